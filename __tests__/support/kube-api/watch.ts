/**
 * Watches as kube-apiserver serves them: a chunked stream of JSON lines
 * `{"type":"ADDED|MODIFIED|DELETED","object":{...}}` for one collection, filtered by label and
 * field selectors. From a `resourceVersion` the stream first replays what happened after it;
 * from one that was compacted away it sends a single `ERROR` event carrying a 410 Expired
 * Status, and ends (clients then list again). Without one (or `0`) it starts with an ADDED
 * event per existing object. `timeoutSeconds` ends the stream, as the real server does.
 */
import type { KubeObject } from '../../../src/model/objects.js';
import type { KubeApi } from './api.js';
import { fieldSelector, labelSelector } from './selectors.js';
import type { StoreEvent } from './store.js';

export interface WatchRequest {
  path: string;
  query: Record<string, string>;
}

/** Where a watch stream goes: an HTTP response, or an in-process stream (see ../kube-api-server.ts). */
export interface WatchSink {
  /** Sends the status line and headers at once, as the real server does. */
  open(status: number, headers: Record<string, string>): void;
  write(text: string): void;
  end(): void;
  /** Called once when the client goes away. */
  onClose(listener: () => void): void;
}

/** Serves one watch on `res`; returns false when the path is not a watchable collection. */
export function serveWatch(api: KubeApi, req: WatchRequest, res: WatchSink, onEnd: (end: () => void) => void): boolean {
  const route = api.watchRoute(req.path);
  if (!route) return false;
  const { type, group, version, namespace } = route;
  const byLabel = labelSelector(req.query.labelSelector);
  const byField = fieldSelector(req.query.fieldSelector);
  const matches = (event: StoreEvent): boolean =>
    event.group === group &&
    event.object.kind === type.kind &&
    (namespace === undefined || event.object.metadata.namespace === namespace) &&
    byLabel(event.object) &&
    byField(event.object);
  const send = (kind: string, object: unknown): void => void res.write(`${JSON.stringify({ type: kind, object })}\n`);
  const present = (object: KubeObject): KubeObject => api.presentInVersion(object, type, version);

  // The real server answers at once; events follow as they happen. No Content-Length:
  // HTTP/1.1 chunks it, HTTP/2 frames it.
  res.open(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  const from = req.query.resourceVersion;
  let backlog: StoreEvent[];
  if (from === undefined || from === '' || from === '0') {
    backlog = api.store
      .scan(group, type.kind, namespace)
      .map((object) => ({ type: 'ADDED' as const, revision: Number(object.metadata.resourceVersion), group, object }));
  } else {
    const since = api.store.eventsSince(Number(from));
    if (!since) {
      send('ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${from} (${api.store.currentRevision})`,
        reason: 'Expired',
        code: 410,
      });
      res.end();
      return true;
    }
    backlog = since;
  }
  for (const event of backlog) if (matches(event)) send(event.type, present(event.object));

  const unsubscribe = api.store.subscribe((event) => {
    if (matches(event)) send(event.type, present(event.object));
  });
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    res.end();
  };
  res.onClose(end);
  onEnd(end);
  return true;
}
