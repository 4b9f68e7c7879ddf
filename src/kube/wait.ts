/**
 * Waiting for applied objects to become healthy, as `kstatus`-based tools do: poll each object,
 * compute its status (status.ts), back off exponentially between rounds, and stop when every
 * object is Current, as soon as one is Failed (waiting longer would not help), or at the
 * timeout. Objects already Current are not polled again, so a large environment costs one
 * request per object plus one per round for each object still settling.
 */

import { errorMessage } from '../model/errors.js';
import type { ObjectRef } from '../model/objects.js';
import { describeRef } from '../model/objects.js';
import type { FailingObject, HealthResult, ObjectHealth } from '../model/health.js';
import { computeStatus } from './status.js';
import { mapLimit } from '../model/concurrency.js';
import { type Clock, type KubeRequester, abortReason, apiStatusOf, systemClock } from './wait-api.js';
import { recentEvents } from './wait-events.js';
import { fetchDiagnosis } from './diagnose-fetch.js';
import { diagnosisReport } from './diagnose.js';
import { FailFastJudge, type FailFastOptions } from './fail-fast.js';

export interface WaitTarget {
  ref: ObjectRef;
  /** The object's API path, e.g. `/apis/apps/v1/namespaces/web/deployments/api` (see `resolveWaitTargets`). */
  path: string;
}

export interface HealthReport extends HealthResult {
  /** Every target, in the order given, with its last known status. */
  objects: ObjectHealth[];
  /** Rounds of polling done. */
  polls: number;
}

export interface WaitOptions {
  timeoutMs: number;
  /** Pause after the first round; doubles each round up to `maxDelayMs`. Default 500 ms. */
  initialDelayMs?: number;
  /** Default 5 s. */
  maxDelayMs?: number;
  /** Objects read at once. Default 16. */
  concurrency?: number;
  /** Events kept per failing object. Default 5. */
  eventLimit?: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** Stop before the timeout when a workload's Pods cannot recover (fail-fast.ts); `false` waits the full timeout. */
  failFast?: FailFastOptions | false;
  /** Called after each round, e.g. to log what is still in progress. */
  onProgress?: (objects: readonly ObjectHealth[], round: number) => void;
}

/** What resolves a kind to its resource path; `Discovery` satisfies it. */
export interface PathResolver {
  resolve(target: Pick<ObjectRef, 'group' | 'version' | 'kind'>): Promise<{ objectPath(namespace: string | undefined, name: string): string }>;
}

export async function resolveWaitTargets(resolver: PathResolver, refs: readonly ObjectRef[]): Promise<WaitTarget[]> {
  return Promise.all(refs.map(async (ref) => ({ ref, path: (await resolver.resolve(ref)).objectPath(ref.namespace || undefined, ref.name) })));
}

/** Objects reported with Events at most; beyond this the report names them without Events. */
const MAX_EVENT_LOOKUPS = 20;

export async function waitForHealth(reader: KubeRequester, targets: readonly WaitTarget[], options: WaitOptions): Promise<HealthReport> {
  const clock = options.clock ?? systemClock;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const concurrency = options.concurrency ?? 16;
  const deadline = clock.now() + options.timeoutMs;
  const states: ObjectHealth[] = targets.map((t) => ({ ref: t.ref, status: 'Unknown', message: 'Not read yet' }));
  let delay = options.initialDelayMs ?? 500;
  let polls = 0;
  const judge = failFastJudge(reader, clock, options);

  for (;;) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const pending = states.map((s, i) => i).filter((i) => states[i]?.status !== 'Current');
    await mapLimit(pending, concurrency, async (i) => {
      states[i] = await readHealth(reader, targets[i] as WaitTarget, clock);
    });
    polls += 1;
    await judge?.(targets, states);
    options.onProgress?.(states, polls);

    const failedObjects = states.filter((s) => s.status === 'Failed');
    if (failedObjects.length > 0) return finish(reader, states, failedObjects, false, polls, { ...options, targets });
    if (states.every((s) => s.status === 'Current')) return { healthy: true, timedOut: false, objects: states, failing: [], polls };

    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      return finish(reader, states, states.filter((s) => s.status !== 'Current'), true, polls, { ...options, targets });
    }
    await clock.sleep(Math.min(delay, remaining), options.signal);
    delay = Math.min(delay * 2, maxDelay);
  }
}

/** How often workloads still in progress are judged for causes that will not resolve themselves. */
export const FAIL_FAST_INTERVAL_MS = 5_000;

/**
 * Marks as Failed the workloads in progress whose Pods cannot recover, judged at most every
 * few seconds and not in the first seconds of a wait, so a rollout that goes well costs no reads.
 */
export function failFastJudge(reader: KubeRequester, clock: Clock, options: WaitOptions): ((targets: readonly WaitTarget[], states: ObjectHealth[]) => Promise<void>) | undefined {
  if (options.failFast === false) return undefined;
  const judge = new FailFastJudge(reader, clock, options.failFast ?? {});
  let next = clock.now() + FAIL_FAST_INTERVAL_MS;
  return async (targets, states) => {
    if (clock.now() < next) return;
    next = clock.now() + FAIL_FAST_INTERVAL_MS;
    const pending = states.map((s, i) => i).filter((i) => states[i]?.status === 'InProgress');
    await mapLimit(pending, options.concurrency ?? 16, async (i) => {
      const verdict = await judge.judge(targets[i] as WaitTarget);
      const state = states[i];
      if (verdict && state?.status === 'InProgress') states[i] = { ref: state.ref, status: 'Failed', message: `${state.message}. ${verdict}` };
    });
  };
}

export async function readHealth(reader: KubeRequester, target: WaitTarget, clock: Clock): Promise<ObjectHealth> {
  try {
    const object = await reader.request<Parameters<typeof computeStatus>[0]>({ method: 'GET', path: target.path, subject: describeRef(target.ref) });
    const { status, message } = computeStatus(object, { now: clock.now() });
    return { ref: target.ref, status, message };
  } catch (error) {
    if (apiStatusOf(error) === 404) {
      return { ref: target.ref, status: 'NotFound', message: 'Not found in the cluster: it was deleted, or never created' };
    }
    // The client already retried transient failures; keep waiting, the next round may succeed.
    return { ref: target.ref, status: 'Unknown', message: `Could not read the object: ${errorMessage(error)}` };
  }
}

/** The report for objects that failed or never became Current, with their recent Events and a diagnosis. */
export async function finish(
  reader: KubeRequester,
  objects: ObjectHealth[],
  problems: ObjectHealth[],
  timedOut: boolean,
  polls: number,
  options: WaitOptions & { targets?: readonly WaitTarget[] },
): Promise<HealthReport> {
  const clock = options.clock ?? systemClock;
  const pathOf = new Map((options.targets ?? []).map((t) => [t.ref, t.path]));
  const failing = await mapLimit(problems, options.concurrency ?? 16, async (problem, index): Promise<FailingObject> => {
    if (index >= MAX_EVENT_LOOKUPS) return { ...problem, events: [], causes: [] };
    const causes = problem.status === 'NotFound' ? [] : diagnosisReport(await fetchDiagnosis(reader, problem.ref, pathOf.get(problem.ref), clock.now()));
    try {
      return { ...problem, events: await recentEvents(reader, problem.ref, options.eventLimit ?? 5), causes };
    } catch (error) {
      return { ...problem, events: [`(could not read Events: ${errorMessage(error)})`], causes };
    }
  });
  return { healthy: false, timedOut, objects, failing, polls };
}
