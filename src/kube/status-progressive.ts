/**
 * Health of progressive-delivery objects, which report through their own phase rather than
 * kstatus conditions: Argo Rollouts `Rollout` and Flagger `Canary`. A paused rollout or a
 * canary waiting for promotion is still in progress (a person or an analysis will move it on),
 * never a failure; an aborted rollout, a degraded one or a failed canary analysis is Failed.
 */

import type { KubeObject } from '../model/objects.js';
import { conditionsOf, findCondition, optionalInt, stringField } from './status-fields.js';
import { current, failed, inProgress, type StatusResult } from './status-result.js';
import type { KindRule } from './status-kinds.js';

/** Argo Rollouts writes `status.observedGeneration` as a string; the generic integer check skips it. */
function rolloutGenerationSeen(object: KubeObject): boolean {
  const generation = optionalInt(object, ['metadata', 'generation']);
  const observed = (object as { status?: { observedGeneration?: unknown } }).status?.observedGeneration;
  if (generation === undefined || observed === undefined) return true;
  return String(observed) === String(generation);
}

export const argoRollout: KindRule = (object): StatusResult => {
  if (!rolloutGenerationSeen(object)) return inProgress('LatestGenerationNotObserved', 'Rollout: the controller has not seen the latest spec yet');
  const conditions = conditionsOf(object);
  const invalid = findCondition(conditions, 'InvalidSpec', 'True');
  if (invalid) return failed('InvalidSpec', `Rollout spec is invalid: ${invalid.message}`);
  const message = stringField(object, ['status', 'message'], '');
  if ((object as { status?: { abort?: unknown } }).status?.abort === true) return failed('RolloutAborted', `Rollout aborted${message ? `: ${message}` : ''}`);
  const phase = stringField(object, ['status', 'phase'], '');
  switch (phase) {
    case 'Healthy':
      return current(`Rollout is healthy${message ? `: ${message}` : ''}`);
    case 'Degraded':
      return failed('RolloutDegraded', `Rollout is degraded${message ? `: ${message}` : ''}`);
    case 'Paused': {
      const reasons = ((object as { status?: { pauseConditions?: Array<{ reason?: string }> } }).status?.pauseConditions ?? []).map((c) => c.reason).filter(Boolean);
      return inProgress('RolloutPaused', `Rollout is paused, waiting to be promoted${reasons.length ? ` (${reasons.join(', ')})` : ''}`);
    }
    case 'Progressing':
      return inProgress('RolloutProgressing', `Rollout is progressing${message ? `: ${message}` : ''}`);
    default:
      return inProgress('RolloutNoPhase', phase ? `Rollout phase is ${phase}` : 'Rollout has no phase yet');
  }
};

const CANARY_DONE = new Set(['Initialized', 'Succeeded']);

export const flaggerCanary: KindRule = (object): StatusResult => {
  const phase = stringField(object, ['status', 'phase'], '');
  const promoted = findCondition(conditionsOf(object), 'Promoted');
  const detail = promoted?.message ? `: ${promoted.message}` : '';
  if (phase === 'Failed') return failed('CanaryFailed', `Canary analysis failed${detail}`);
  if (CANARY_DONE.has(phase)) return current(`Canary ${phase.toLowerCase()}${detail}`);
  if (phase === 'Waiting' || phase === 'WaitingPromotion') return inProgress('CanaryWaiting', `Canary is waiting for approval to go on (${phase})${detail}`);
  return inProgress('CanaryProgressing', phase ? `Canary is ${phase}${detail}` : 'Canary has no phase yet');
};
