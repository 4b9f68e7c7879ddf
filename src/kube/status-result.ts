/**
 * The health of one object as kstatus defines it (sigs.k8s.io/cli-utils pkg/kstatus/status),
 * so Slipway's "healthy" means what `kubectl`-adjacent tools (kpt, Config Sync, Flux) mean.
 */

import type { HealthStatus } from '../model/health.js';

export type { HealthStatus };

/**
 * kstatus's two standard conditions, following the "abnormal-true" convention: a result that
 * is InProgress carries Reconciling=True, one that is Failed carries Stalled=True.
 */
export interface StatusCondition {
  type: 'Reconciling' | 'Stalled';
  status: 'True';
  reason: string;
  message: string;
}

export interface StatusResult {
  status: HealthStatus;
  /** Why, in a few words a person can act on (e.g. `Ready: 1/3`). */
  message: string;
  conditions: StatusCondition[];
}

export function inProgress(reason: string, message: string): StatusResult {
  return { status: 'InProgress', message, conditions: [{ type: 'Reconciling', status: 'True', reason, message }] };
}

export function failed(reason: string, message: string): StatusResult {
  return { status: 'Failed', message, conditions: [{ type: 'Stalled', status: 'True', reason, message }] };
}

export function current(message: string): StatusResult {
  return { status: 'Current', message, conditions: [] };
}
