/**
 * The identity a run writes into the deploy lock (the Lease's `holderIdentity`). It must be
 * unique per process: two holders with one identity would both "hold" the Lease (a run takes a
 * Lease that names itself). It must also be readable: whoever waits is told who holds it.
 * So it names the run (a link to the workflow run's attempt, the job, the runner) or the user
 * and host, and ends with the process id and a random suffix that tells apart everything the
 * rest cannot (matrix legs of one job, two terminals on one machine).
 */
import { randomBytes } from 'node:crypto';

export interface ProcessMark {
  pid: number;
  /** A few random characters; see `randomSuffix`. */
  suffix: string;
}

export function randomSuffix(): string {
  return randomBytes(4).toString('hex');
}

export interface ActionRunFacts {
  /** Link to the workflow run. */
  runUrl?: string;
  runId?: string;
  runAttempt?: string;
  /** `GITHUB_JOB`: the job's id in the workflow. */
  job?: string;
  /** `RUNNER_NAME`: parallel legs of a matrix run on different runners. */
  runner?: string;
}

/** e.g. `https://github.com/acme/app/actions/runs/42/attempts/2 job deploy on runner "GitHub Actions 7" (pid 1841, 3fa9c2d0)`. */
export function actionLockHolder(run: ActionRunFacts, mark: ProcessMark): string {
  const attempt = run.runAttempt ?? '1';
  const where = run.runUrl ? `${run.runUrl}/attempts/${attempt}` : `workflow run ${run.runId ?? 'unknown'} attempt ${attempt}`;
  const job = run.job ? ` job ${run.job}` : '';
  const runner = run.runner ? ` on runner "${run.runner}"` : '';
  return `${where}${job}${runner} (pid ${mark.pid}, ${mark.suffix})`;
}

/** e.g. `alice@laptop (pid 5120, 9c01d2e4)`. */
export function cliLockHolder(user: string, host: string, mark: ProcessMark): string {
  return `${user}@${host} (pid ${mark.pid}, ${mark.suffix})`;
}
