/**
 * Recent Events about one object: when a rollout fails, the reason a person needs (image pull
 * errors, failed scheduling, quota) is usually in Events, not in the object's status.
 */

import type { ObjectRef } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { eventTime, type WarningEvent as CoreEvent } from './diagnose.js';
import type { KubeRequester } from './wait-api.js';

function formatEvent(e: CoreEvent): string {
  const count = e.series?.count ?? e.count ?? 1;
  const head = [e.type, e.reason].filter(Boolean).join(' ');
  const text = (e.message ?? '').trim();
  return `${head ? `${head}: ` : ''}${text}${count > 1 ? ` (x${count})` : ''}`;
}

/**
 * The last `limit` events about `ref`, oldest first. Events of cluster-scoped objects are
 * recorded in `default`. The field selector narrows the list on a real server; the same filter
 * runs here as well, for servers that ignore it.
 */
export async function recentEvents(reader: KubeRequester, ref: ObjectRef, limit = 5): Promise<string[]> {
  const namespace = ref.namespace || 'default';
  const list = await reader.request<{ items?: unknown[] }>({
    method: 'GET',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    query: { fieldSelector: `involvedObject.name=${ref.name},involvedObject.kind=${ref.kind}` },
    subject: `events of ${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`,
  });
  const events = (list?.items ?? [])
    .filter(isPlainObject)
    .map((item) => item as CoreEvent)
    .filter(
      (e) =>
        e.involvedObject?.name === ref.name &&
        e.involvedObject?.kind === ref.kind &&
        (!ref.namespace || !e.involvedObject?.namespace || e.involvedObject.namespace === ref.namespace),
    )
    .sort((a, b) => eventTime(a) - eventTime(b));
  return events.slice(-limit).map(formatEvent);
}
