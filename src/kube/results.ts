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

export interface DeployResult {
  results: ObjectResult[];
  /** True when no object failed and prune was not refused. */
  ok: boolean;
  /** Why prune did not run, when it did not. */
  pruneSkipped?: string;
  /** A guard rail refused the prune (the run fails); `pruneSkipped` says why. */
  pruneRefused?: boolean;
}
