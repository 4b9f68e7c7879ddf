/**
 * Which commit a deploy carries, and how it tells whether the environment already runs a newer
 * one: the recorded commit is newer when it descends from ours. Two runs can push in one order
 * and take the deploy lock in the other; this is what keeps the later lock holder from
 * deploying the past.
 */
import { errorMessage } from '../model/errors.js';
import type { Log } from './log.js';
import type { DeployRevision } from '../kube/deploy-environment.js';
import type { CommitHistoryPort } from './ports.js';

export interface RevisionOptions {
  environment: string;
  /**
   * The commit was pushed by this run (commit-mode promotion): a racing run's newer commit is
   * on the remote, maybe not here yet, so fetch the recorded commit before comparing.
   */
  fetchFirst: boolean;
}

/** The revision of `ref`, or undefined (no comparison, nothing recorded) when it names no commit here. */
export async function deployRevision(ref: string, history: CommitHistoryPort | undefined, options: RevisionOptions, log: Log): Promise<DeployRevision | undefined> {
  if (!history) return undefined;
  let commit: string;
  try {
    commit = await history.resolve(ref);
  } catch (error) {
    log.warning(`${options.environment}: ${errorMessage(error)} The deploy goes ahead without checking for a newer deployed commit, and records none.`);
    return undefined;
  }
  return {
    commit,
    async isSupersededBy(recorded) {
      try {
        if (options.fetchFirst || !(await history.has(recorded))) await history.fetch(recorded);
        return await history.isAncestor(commit, recorded);
      } catch (error) {
        // A commit no longer in the history (a force-push, another repository) cannot be ordered against ours.
        log.warning(
          `${options.environment}: could not tell whether the deployed commit ${recorded} is newer than ${commit}: ${errorMessage(error)} Deploying ${commit}; fetch the full history (actions/checkout with fetch-depth: 0) so the check can run.`,
        );
        return false;
      }
    },
  };
}
