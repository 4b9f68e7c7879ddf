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

/** One change as a watch reports it; `object` is the stored copy at that revision (read-only). */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  revision: number;
  group: string;
  object: KubeObject;
}

export class ObjectStore {
  private readonly kinds = new Map<string, Map<string, KubeObject>>();
  private revision = 100;
  /** Every change since the last compaction, oldest first, for watches resuming from a resourceVersion. */
  private history: StoreEvent[] = [];
  /** Revisions at or below this one were compacted away: a watch from there gets 410 Gone. */
  private compactedThrough = 0;
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  /** Calls `listener` with every change from now on; returns the unsubscribe. */
  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes after `revision`, or undefined when some were compacted away (410 Gone). */
  eventsSince(revision: number): StoreEvent[] | undefined {
    if (revision < this.compactedThrough) return undefined;
    return this.history.filter((e) => e.revision > revision);
  }

  /** Forgets the history, as etcd compaction does: watches from an older resourceVersion get 410 Gone. */
  compact(): void {
    this.history = [];
    this.compactedThrough = this.revision;
  }

  private emit(type: StoreEvent['type'], group: string, object: KubeObject): void {
    const event: StoreEvent = { type, revision: Number(object.metadata.resourceVersion ?? this.revision), group, object };
    this.history.push(event);
    for (const listener of this.listeners) listener(event);
  }

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
    const id = itemKey(meta.namespace ?? '', meta.name ?? '');
    const existed = items.has(id);
    items.set(id, object);
    this.emit(existed ? 'MODIFIED' : 'ADDED', group, object);
  }

  /** Removes an object; the deletion takes a resourceVersion of its own, as in etcd. */
  delete(group: string, kind: string, namespace: string, name: string): boolean {
    const items = this.kinds.get(kindKey(group, kind));
    const object = items?.get(itemKey(namespace, name));
    if (!items || !object) return false;
    items.delete(itemKey(namespace, name));
    this.emitDeleted(group, object);
    return true;
  }

  private emitDeleted(group: string, object: KubeObject): void {
    this.emit('DELETED', group, { ...object, metadata: { ...object.metadata, resourceVersion: this.nextRevision() } });
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
          this.emitDeleted(groupOf(o), o);
          count++;
        }
      }
    }
    return count;
  }

  deleteKind(group: string, kind: string): void {
    for (const object of this.kinds.get(kindKey(group, kind))?.values() ?? []) this.emitDeleted(group, object);
    this.kinds.delete(kindKey(group, kind));
  }
}

function groupOf(object: KubeObject): string {
  const slash = object.apiVersion.indexOf('/');
  return slash < 0 ? '' : object.apiVersion.slice(0, slash);
}
