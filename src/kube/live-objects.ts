/**
 * Reading the live objects a change set compares against. One GET per object costs a round
 * trip and a request the API server must serve; where a render holds many objects of one kind
 * in one namespace, a single LIST of that kind and namespace answers for all of them. Small
 * groups keep the GET, so a render of one Secret never lists every Secret of a namespace.
 */

import type { KubeObject, ObjectRef } from '../model/objects.js';
import { refKey } from '../model/objects.js';
import type { KubeClient } from './client.js';
import { mapLimit } from '../model/concurrency.js';
import type { ResourceRef } from './discovery.js';

/** Objects of one kind in one namespace from which a LIST is cheaper than the GETs it replaces. */
export const LIST_THRESHOLD = 8;

export interface LiveReader {
  /** The live object (undefined when it does not exist), from the prefetched lists or a GET. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Every live object of a kind in a namespace when that was listed whole; else undefined. */
  listed?(resource: ResourceRef, namespace: string | undefined): KubeObject[] | undefined;
}

/**
 * Lists each kind+namespace group of at least `threshold` wanted objects. A group whose LIST
 * fails (say, RBAC grants get but not list) falls back to GETs, so listing is never required.
 */
export async function prefetchLive(
  client: KubeClient,
  wanted: readonly { ref: ObjectRef; resource: ResourceRef }[],
  concurrency: number,
  threshold = LIST_THRESHOLD,
): Promise<LiveReader> {
  const groups = new Map<string, { resource: ResourceRef; namespace: string; count: number }>();
  for (const { ref, resource } of wanted) {
    const key = `${resource.apiVersion}/${resource.kind}/${ref.namespace}`;
    const group = groups.get(key) ?? { resource, namespace: ref.namespace, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  const listed = new Set<string>();
  const found = new Map<string, KubeObject>();
  const byGroup = new Map<string, KubeObject[]>();
  const big = [...groups].filter(([, g]) => g.count >= threshold);
  await mapLimit(big, concurrency, async ([key, group]) => {
    try {
      const items = await client.list(group.resource, { namespace: group.resource.namespaced ? group.namespace : undefined });
      for (const item of items) found.set(refKey(group.resource.refOf(item)), item);
      byGroup.set(key, items);
      listed.add(key);
    } catch {
      // Not allowed or not served as a list: the GETs below answer instead.
    }
  });
  return {
    get(ref) {
      const key = `${groupVersionOf(ref)}/${ref.kind}/${ref.namespace}`;
      if (listed.has(key)) return Promise.resolve(found.get(refKey(ref)));
      return client.get(ref);
    },
    listed(resource, namespace) {
      return byGroup.get(`${resource.apiVersion}/${resource.kind}/${resource.namespaced ? (namespace ?? '') : ''}`);
    },
  };
}

function groupVersionOf(ref: Pick<ObjectRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}
