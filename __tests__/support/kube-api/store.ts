/** Stored objects, one per group, kind, namespace and name; resourceVersion is a global counter. */
import type { KubeObject } from '../../../src/model/objects.js';
import { clone } from './merge.js';

function key(group: string, kind: string, namespace: string, name: string): string {
  return `${group}/${kind}/${namespace}/${name}`;
}

export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
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
    const found = this.objects.get(key(group, kind, namespace, name));
    return found && clone(found);
  }

  put(group: string, object: KubeObject): void {
    const meta = object.metadata;
    this.objects.set(key(group, object.kind, meta.namespace ?? '', meta.name ?? ''), clone(object));
  }

  delete(group: string, kind: string, namespace: string, name: string): boolean {
    return this.objects.delete(key(group, kind, namespace, name));
  }

  /** Objects of a kind, in namespace (all when undefined), ordered by namespace then name like etcd keys. */
  list(group: string, kind: string, namespace?: string): KubeObject[] {
    const prefix = namespace === undefined ? `${group}/${kind}/` : `${group}/${kind}/${namespace}/`;
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, o]) => clone(o));
  }

  /** Removes everything stored in a namespace; returns how many objects went. */
  deleteNamespaced(namespace: string): number {
    let count = 0;
    for (const [k, o] of this.objects) {
      if (o.metadata.namespace === namespace) {
        this.objects.delete(k);
        count++;
      }
    }
    return count;
  }

  deleteKind(group: string, kind: string): void {
    for (const k of [...this.objects.keys()]) if (k.startsWith(`${group}/${kind}/`)) this.objects.delete(k);
  }
}
