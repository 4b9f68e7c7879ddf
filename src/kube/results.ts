/** What happened to each object when a change set was carried out. */

import type { ChangeAction } from '../model/changeset.js';
import type { ObjectRef } from '../model/objects.js';
import type { TakenFields } from './ownership.js';

/** `applied` / `deleted`: written; `unchanged`: nothing to write; `kept`: prune refused by annotation; `skipped`: not attempted (dry run or an earlier failure); `failed`: see message. */
export type ObjectOutcome = 'applied' | 'unchanged' | 'deleted' | 'kept' | 'skipped' | 'failed';

export interface ObjectResult {
  ref: ObjectRef;
  /** The change set's action for the object. */
  action: ChangeAction;
  outcome: ObjectOutcome;
  /** Why it failed or was skipped; fields taken from other managers; recreation. Secret values masked. */
  message?: string;
  durationMs: number;
  /** Fields a forced apply took from other field managers. */
  takenFields?: TakenFields[];
}

/** What applyChangeSet did: each object's result, and whether prune ran. */
export interface ApplyResult {
  results: ObjectResult[];
  /** True when no object failed and prune was not refused. */
  ok: boolean;
  /** Why prune did not run, when it did not. */
  pruneSkipped?: string;
  /** A guard rail refused the prune (the run fails); `pruneSkipped` says why. */
  pruneRefused?: boolean;
}

/** What a deploy did, counted from each object's result (never from the plan: a refused prune deletes nothing). */
export interface ApplyOutcome {
  /** Objects written: `created` + `updated`. */
  applied: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: Array<{ ref: ObjectRef; message: string }>;
}

export function noApplyOutcome(unchanged = 0): ApplyOutcome {
  return { applied: 0, created: 0, updated: 0, unchanged, deleted: 0, failed: [] };
}

export function summariseApply(results: readonly ObjectResult[]): ApplyOutcome {
  const outcome = noApplyOutcome();
  for (const r of results) {
    if (r.outcome === 'applied') {
      outcome.applied += 1;
      if (r.action === 'create') outcome.created += 1;
      else outcome.updated += 1;
    } else if (r.outcome === 'unchanged') outcome.unchanged += 1;
    else if (r.outcome === 'deleted') outcome.deleted += 1;
    else if (r.outcome === 'failed') outcome.failed.push({ ref: r.ref, message: r.message ?? 'failed' });
  }
  return outcome;
}
