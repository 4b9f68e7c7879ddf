/**
 * Waiting for health by watching instead of polling: one LIST and then one watch per kind and
 * namespace, resuming from the list's resourceVersion, so a deploy ends as soon as the event
 * that makes the last object Current arrives rather than at the next poll. A watch the server
 * ends is resumed from the last resourceVersion seen; `410 Gone` (the version was compacted)
 * lists again; a broken connection is watched again after a short pause. Where a watch is
 * refused (no `watch` verb, a proxy that cannot stream) the wait falls back to polling
 * (wait.ts) for the time that is left.
 */

import { errorMessage } from '../model/errors.js';
import type { KubeObject } from '../model/objects.js';
import type { WatchEvent } from './client.js';
import { computeStatus } from './status.js';
import type { ObjectHealth } from '../model/health.js';
import { failFastJudge, finish, type HealthReport, type WaitOptions, type WaitTarget, waitForHealth } from './wait.js';
import { type KubeRequester, abortReason, apiStatusOf, systemClock } from './wait-api.js';

/** What watching needs of the client; `KubeClient` satisfies it. */
export interface WatchingRequester extends KubeRequester {
  watch(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal, subject?: string): AsyncIterable<WatchEvent>;
}

export interface WatchWaitOptions extends WaitOptions {
  /** Pause before watching again after a broken connection. Default 200 ms. */
  rewatchDelayMs?: number;
  /** How often `onProgress` is called while waiting. Default 5 s. */
  progressIntervalMs?: number;
}

/** Server-side bound of one watch request; the watch is resumed after it. */
const WATCH_TIMEOUT_SECONDS = 300;

class WatchRefused extends Error {}

export async function watchForHealth(client: WatchingRequester, targets: readonly WaitTarget[], options: WatchWaitOptions): Promise<HealthReport> {
  // Cancelled before it started (a deploy's work goes on in the background after a cancel): an
  // abort listener would never fire, and the watches would run on until the timeout.
  if (options.signal?.aborted) throw abortReason(options.signal);
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const states: ObjectHealth[] = targets.map((t) => ({ ref: t.ref, status: 'Unknown', message: 'Not read yet' }));
  if (targets.length === 0) return { healthy: true, timedOut: false, objects: states, failing: [], polls: 0 };

  const groups = new Map<string, Map<string, number[]>>();
  targets.forEach((target, i) => {
    const slash = target.path.lastIndexOf('/');
    const collection = target.path.slice(0, slash);
    const name = decodeURIComponent(target.path.slice(slash + 1));
    const byName = groups.get(collection) ?? new Map<string, number[]>();
    byName.set(name, [...(byName.get(name) ?? []), i]);
    groups.set(collection, byName);
  });

  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(abortReason(options.signal));
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let settle!: (outcome: 'healthy' | 'failed' | 'timeout') => void;
  const settled = new Promise<'healthy' | 'failed' | 'timeout'>((resolve) => (settle = resolve));
  const check = () => {
    if (states.some((s) => s.status === 'Failed')) settle('failed');
    else if (states.every((s) => s.status === 'Current')) settle('healthy');
  };
  const observe = (byName: Map<string, number[]>, object: KubeObject, deleted: boolean) => {
    for (const i of byName.get(object.metadata?.name ?? '') ?? []) {
      const { ref } = targets[i];
      // Items of a built-in kind's list carry no apiVersion or kind; status rules need them.
      const typed = { ...object, apiVersion: ref.group ? `${ref.group}/${ref.version}` : ref.version, kind: ref.kind };
      states[i] = deleted
        ? { ref, status: 'NotFound', message: 'Not found in the cluster: it was deleted, or never created' }
        : { ref, ...pick(computeStatus(typed, { now: clock.now() })) };
    }
  };

  const watchGroup = async (collection: string, byName: Map<string, number[]>): Promise<void> => {
    let resourceVersion: string | undefined;
    while (!stop.signal.aborted) {
      if (resourceVersion === undefined) {
        const list = await client.request<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>({ method: 'GET', path: collection, subject: `${collection} (health)` });
        const seen = new Set<string>();
        for (const item of list.items ?? []) {
          seen.add(item.metadata?.name ?? '');
          observe(byName, item, false);
        }
        for (const [name] of byName) if (!seen.has(name)) observe(byName, { apiVersion: '', kind: '', metadata: { name } }, true);
        resourceVersion = list.metadata?.resourceVersion ?? '0';
        check();
      }
      try {
        for await (const event of client.watch(collection, { resourceVersion, timeoutSeconds: WATCH_TIMEOUT_SECONDS }, stop.signal, `${collection} (health)`)) {
          if (event.type === 'ERROR') {
            if (event.object.code === 410) {
              resourceVersion = undefined;
              break;
            }
            throw new Error(`watch error: ${event.object.message ?? event.object.reason ?? 'unknown'}`);
          }
          const version = event.object.metadata?.resourceVersion;
          if (typeof version === 'string') resourceVersion = version;
          if (event.type === 'BOOKMARK') continue;
          observe(byName, event.object, event.type === 'DELETED');
          check();
        }
      } catch (error) {
        if (stop.signal.aborted) return;
        const status = apiStatusOf(error);
        if (status === 410) resourceVersion = undefined;
        else if (status !== undefined && status !== 429 && status < 500) throw new WatchRefused(errorMessage(error));
        else await clock.sleep(options.rewatchDelayMs ?? 200, stop.signal).catch(() => undefined);
      }
    }
  };

  const remaining = () => options.timeoutMs - (clock.now() - started);
  // Any failure to list or watch a group (refused, not served as a stream) means polling instead.
  const watchers = [...groups].map(([collection, byName]) =>
    watchGroup(collection, byName).catch((error: unknown) => {
      if (!stop.signal.aborted) throw error instanceof WatchRefused ? error : new WatchRefused(errorMessage(error));
    }),
  );
  const aborted = new Promise<never>((_, reject) => stop.signal.addEventListener('abort', () => reject(abortReason(stop.signal)), { once: true }));
  aborted.catch(() => undefined);
  const refused = Promise.all(watchers).then(
    () => undefined,
    (error: unknown) => error,
  );
  const deadline = clock.sleep(Math.max(0, remaining()), stop.signal).then(
    () => 'timeout' as const,
    () => undefined,
  );
  const judge = failFastJudge(client, clock, options);
  const progress = (async () => {
    for (let round = 1; !stop.signal.aborted; round += 1) {
      await clock.sleep(options.progressIntervalMs ?? 5_000, stop.signal).catch(() => undefined);
      if (judge && !stop.signal.aborted) {
        await judge(targets, states).catch(() => undefined);
        check();
      }
      if (!stop.signal.aborted) options.onProgress?.(states, round * 3);
    }
  })();

  try {
    const outcome = await Promise.race([settled, aborted, deadline.then((t) => t ?? settled), refused.then((error) => (error === undefined ? settled : Promise.reject(error)))]);
    if (options.signal?.aborted) throw abortReason(options.signal);
    if (outcome === 'healthy') return { healthy: true, timedOut: false, objects: states, failing: [], polls: 0 };
    // Statuses computed from the last event; a final read gives Events and fresh messages.
    const problems = outcome === 'failed' ? states.filter((s) => s.status === 'Failed') : states.filter((s) => s.status !== 'Current');
    return finish(client, states, problems, outcome === 'timeout', 0, { ...options, targets });
  } catch (error) {
    if (!(error instanceof WatchRefused)) throw options.signal?.aborted ? abortReason(options.signal) : error;
    stop.abort();
    return waitForHealth(client, targets, { ...options, timeoutMs: Math.max(0, remaining()) });
  } finally {
    stop.abort();
    options.signal?.removeEventListener('abort', onOuterAbort);
    await Promise.allSettled([...watchers, progress, deadline]);
  }
}

function pick(result: { status: ObjectHealth['status']; message: string }): Pick<ObjectHealth, 'status' | 'message'> {
  return { status: result.status, message: result.message };
}
