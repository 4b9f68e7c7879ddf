/**
 * Failing fast: some causes do not resolve themselves while Slipway waits (an image that does
 * not exist, a container that crashes at start), so waiting the full timeout only delays the
 * report. A workload still in progress is judged from the Pods of its current revision: an
 * image pull failing for longer than a grace period, or a crash loop past N restarts, makes it
 * Failed now. Time comes from the injected clock.
 */

import type { KubeObject } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { arrayField, intField, stringField } from './status-fields.js';
import { currentPods } from './diagnose-fetch.js';
import type { Clock, KubeRequester } from './wait-api.js';
import type { WaitTarget } from './wait.js';

export interface FailFastOptions {
  /** How long an image pull may keep failing before the wait stops. Default 60 s. */
  imagePullGraceMs?: number;
  /** Restarts after which a crash-looping container fails the wait. Default 3. */
  crashLoopRestarts?: number;
}

export const DEFAULT_IMAGE_PULL_GRACE_MS = 60_000;
export const DEFAULT_CRASH_LOOP_RESTARTS = 3;

const PULL_FAILURES = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);

export type Unrecoverable = { kind: 'image-pull'; text: string } | { kind: 'crash-loop'; text: string };

/** The first cause among the Pods that will not go away by waiting; pure. */
export function unrecoverableCause(pods: readonly KubeObject[], crashLoopRestarts = DEFAULT_CRASH_LOOP_RESTARTS): Unrecoverable | undefined {
  let pull: Unrecoverable | undefined;
  for (const pod of pods) {
    for (const s of [...arrayField(pod, ['status', 'initContainerStatuses']), ...arrayField(pod, ['status', 'containerStatuses'])]) {
      if (!isPlainObject(s)) continue;
      const reason = stringField(s, ['state', 'waiting', 'reason'], '');
      const container = stringField(s, ['name'], '?');
      const restarts = intField(s, ['restartCount'], 0);
      if (reason === 'CrashLoopBackOff' && restarts >= crashLoopRestarts) {
        return { kind: 'crash-loop', text: `container ${container} of Pod ${pod.metadata?.name ?? '?'} is in CrashLoopBackOff after ${restarts} restarts` };
      }
      if (PULL_FAILURES.has(reason) && !pull) {
        pull = { kind: 'image-pull', text: `image "${stringField(s, ['image'], '')}" of container ${container} cannot be pulled (${reason})` };
      }
    }
  }
  return pull;
}

/** Remembers since when each target's image pull has been failing, and says when to give up. */
export class FailFastJudge {
  private readonly pullSince = new Map<string, number>();

  constructor(
    private readonly reader: KubeRequester,
    private readonly clock: Clock,
    private readonly options: FailFastOptions = {},
  ) {}

  /** A message when the workload cannot become healthy by waiting; undefined to keep waiting. */
  async judge(target: WaitTarget): Promise<string | undefined> {
    if (!['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(target.ref.kind) || !target.ref.namespace) return undefined;
    let cause: Unrecoverable | undefined;
    try {
      const object = await this.reader.request<KubeObject>({ method: 'GET', path: target.path, subject: `${target.ref.kind}/${target.ref.name}` });
      const { pods } = await currentPods(this.reader, object, target.ref);
      cause = unrecoverableCause(pods, this.options.crashLoopRestarts ?? DEFAULT_CRASH_LOOP_RESTARTS);
    } catch {
      // Judging is an optimisation: when it cannot read, the wait goes on to its timeout.
      return undefined;
    }
    if (!cause) {
      this.pullSince.delete(target.path);
      return undefined;
    }
    if (cause.kind === 'crash-loop') return `Failing fast: ${cause.text}`;
    const now = this.clock.now();
    const since = this.pullSince.get(target.path) ?? now;
    this.pullSince.set(target.path, since);
    const grace = this.options.imagePullGraceMs ?? DEFAULT_IMAGE_PULL_GRACE_MS;
    if (now - since < grace) return undefined;
    return `Failing fast: ${cause.text} for ${Math.round((now - since) / 1000)} s`;
  }
}
