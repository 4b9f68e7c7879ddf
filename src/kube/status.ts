/**
 * `computeStatus`: kstatus's `status.Compute` in TypeScript. Generic rules come first and,
 * when they decide, win: a deletion in progress, a generation the controller has not yet
 * observed, or a standard Reconciling / Stalled condition. Then the kind's own rule, if it
 * has one (status-kinds.ts). Anything else is Current, because most objects (ConfigMaps,
 * RBAC, …) have no status to wait for.
 *
 * One addition to kstatus: a custom resource with a `Ready` condition (Flux, Crossplane,
 * cert-manager and most operators write one) is Current only once Ready is True for its
 * current generation. Ready=False stays InProgress rather than Failed because operators set it
 * during ordinary reconciling too; a real failure is reported through Stalled.
 */

import type { KubeObject } from '../model/objects.js';
import { splitApiVersion } from '../model/objects.js';
import { conditionsOf, findCondition, optionalInt, stringField } from './status-fields.js';
import { KIND_RULES } from './status-kinds.js';
import { current, inProgress, type StatusResult } from './status-result.js';

export type { HealthStatus, StatusCondition, StatusResult } from './status-result.js';

export interface ComputeOptions {
  /** Milliseconds since the epoch; defaults to the system clock. */
  now?: number;
}

export function computeStatus(object: KubeObject, options: ComputeOptions = {}): StatusResult {
  const generic = genericStatus(object);
  if (generic) return generic;
  const rule = KIND_RULES.get(ruleKey(object));
  if (rule) return rule(object, { now: options.now ?? Date.now() });
  return readyConditionStatus(object) ?? current('Resource is current');
}

function ruleKey(object: KubeObject): string {
  const { group } = splitApiVersion(object.apiVersion ?? '');
  return group ? `${group}/${object.kind}` : object.kind;
}

function genericStatus(object: KubeObject): StatusResult | undefined {
  if (stringField(object, ['metadata', 'deletionTimestamp'], '') !== '') {
    return { status: 'Terminating', message: 'Resource scheduled for deletion', conditions: [] };
  }

  // Every status field describes the generation the controller last saw; until it has seen
  // ours, they say nothing about what was just applied. Objects without the fields are not judged here.
  const generation = optionalInt(object, ['metadata', 'generation']);
  const observed = optionalInt(object, ['status', 'observedGeneration']);
  if (generation !== undefined && observed !== undefined && observed !== generation) {
    return inProgress(
      'LatestGenerationNotObserved',
      `${object.kind} generation is ${generation}, but latest observed generation is ${observed}`,
    );
  }

  for (const c of conditionsOf(object)) {
    if (c.type === 'Reconciling' && c.status === 'True') {
      return { status: 'InProgress', message: c.message, conditions: [{ type: 'Reconciling', status: 'True', reason: c.reason, message: c.message }] };
    }
    if (c.type === 'Stalled' && c.status === 'True') {
      return { status: 'Failed', message: c.message, conditions: [{ type: 'Stalled', status: 'True', reason: c.reason, message: c.message }] };
    }
  }
  return undefined;
}

function readyConditionStatus(object: KubeObject): StatusResult | undefined {
  const ready = findCondition(conditionsOf(object), 'Ready');
  if (!ready) return undefined;
  const generation = optionalInt(object, ['metadata', 'generation']);
  // A condition stamped with an older generation describes the previous spec.
  if (generation !== undefined && ready.observedGeneration !== undefined && ready.observedGeneration !== generation) {
    return inProgress(
      'ReadyConditionStale',
      `${object.kind} Ready condition is for generation ${ready.observedGeneration}, but generation is ${generation}`,
    );
  }
  const detail = [ready.reason, ready.message].filter(Boolean).join(': ');
  if (ready.status === 'True') return current(detail ? `Ready: ${detail}` : 'Resource is Ready');
  return inProgress(ready.reason || 'NotReady', detail ? `Not ready: ${detail}` : `Ready condition is ${ready.status || 'unset'}`);
}
