/**
 * Stored objects, one per group, kind, namespace and name; resourceVersion is a global counter.
 * Indexed by group and kind, so a GET or a LIST of one kind does not walk every stored object.
 *
 * `get` and `list` hand out copies (tests may edit what they get). The server's own read paths
 * use `peek` and `scan`, which hand out the stored objects themselves to save a deep copy per
 * request: callers must treat those as read-only and copy before changing anything.
 */
import type { KubeObject } from '../../../src/model/objects.js';
import { clone } from './clone.js';

function kindKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

function itemKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export class ObjectStore {
  private readonly kinds = new Map<string, Map<string, KubeObject>>();
  private revision = 100;

  /** The last resourceVersion handed out. */
  get currentRevision(): number {
    return this.revision;
  }

  nextRevision(): string {
    this.revision += 1;
    return String(this.revision);
  }

  get(group: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    const found = this.peek(group, kind, namespace, name);
    return found && clone(found);
  }

  /** The stored object itself: read-only. */
  peek(group: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.kinds.get(kindKey(group, kind))?.get(itemKey(namespace, name));
  }

  /** Stores a copy of `object`. */
  put(group: string, object: KubeObject): void {
    this.putOwned(group, clone(object));
  }

  /** Stores `object` itself: the caller hands it over and keeps no reference it will change. */
  putOwned(group: string, object: KubeObject): void {
    const meta = object.metadata;
    const key = kindKey(group, object.kind);
    let items = this.kinds.get(key);
    if (!items) this.kinds.set(key, (items = new Map()));
    items.set(itemKey(meta.namespace ?? '', meta.name ?? ''), object);
  }

  delete(group: string, kind: string, namespace: string, name: string): boolean {
    return this.kinds.get(kindKey(group, kind))?.delete(itemKey(namespace, name)) ?? false;
  }

  /** Objects of a kind, in namespace (all when undefined), ordered by namespace then name like etcd keys. */
  list(group: string, kind: string, namespace?: string): KubeObject[] {
    return this.scan(group, kind, namespace).map((o) => clone(o));
  }

  /** As `list`, but the stored objects themselves: read-only. */
  scan(group: string, kind: string, namespace?: string): KubeObject[] {
    const items = this.kinds.get(kindKey(group, kind));
    if (!items) return [];
    const prefix = namespace === undefined ? '' : `${namespace}/`;
    const entries: [string, KubeObject][] = [];
    for (const entry of items) if (entry[0].startsWith(prefix)) entries.push(entry);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return entries.map(([, o]) => o);
  }

  /** Removes everything stored in a namespace; returns how many objects went. */
  deleteNamespaced(namespace: string): number {
    let count = 0;
    for (const items of this.kinds.values()) {
      for (const [k, o] of items) {
        if (o.metadata.namespace === namespace) {
          items.delete(k);
          count++;
        }
      }
    }
    return count;
  }

  deleteKind(group: string, kind: string): void {
    this.kinds.delete(kindKey(group, kind));
  }
}
