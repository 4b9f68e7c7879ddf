/**
 * Commit mode: edit, verify, commit, push. When the push is rejected because the branch moved
 * on, the commit is dropped, the branch is reset to the new remote tip and the promotion is
 * planned again from the files there: a bounded number of times, with jittered back-off so
 * racing promotions spread out. If the target's version of an image changed in the meantime to
 * something other than the old or the new version, that is a real conflict and nothing is pushed.
 * Any failure puts the branch back where it started.
 */
import { PushRejectedError, type Git, type Person } from '../exec/git.js';
import { UserError } from '../model/errors.js';
import { applyPromotion, type ApplyInput } from './apply-promotion.js';
import { versionOf } from './image-ref.js';
import { commitMessage, type PromotionSummary } from './message.js';
import type { PromotionPlan } from './types.js';
import { restorePlannedFiles } from './write-files.js';

export interface CommitInput extends ApplyInput {
  git: Git;
  remote: string;
  /** false: commit on the checked-out HEAD and stop (the command line leaves pushing to its user). Default true. */
  push?: boolean;
  /** Branch to push to; default the checked-out branch. */
  branch?: string;
  token?: string;
  author?: Person;
  summary: Omit<PromotionSummary, 'changes'>;
  maxAttempts?: number;
  /** Upper bound of the first back-off in ms (doubles per attempt, capped at 5 s). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface CommitOutcome {
  plan: PromotionPlan;
  commit?: string;
  attempts: number;
}

export const DEFAULT_PUSH_ATTEMPTS = 8;

export async function commitPromotion(input: CommitInput): Promise<CommitOutcome> {
  const { git } = input;
  const dirty = await git.uncommittedChanges();
  if (dirty.length > 0) {
    throw new UserError(
      `The working tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}); a promotion commit must not include them.`,
      'Commit or discard them, or promote with mode working-tree.',
    );
  }
  if (input.push === false) return commitLocally(input);
  const branch = input.branch ?? (await git.currentBranch());
  if (!branch) throw new UserError('HEAD is detached, so there is no branch to push the promotion to.', 'Check out the branch (actions/checkout with ref: <branch>) or name it explicitly.');
  const originalHead = await git.headSha();
  const maxAttempts = input.maxAttempts ?? DEFAULT_PUSH_ATTEMPTS;
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let first: PromotionPlan | undefined;

  const giveUp = async (error: unknown, plan?: PromotionPlan): Promise<never> => {
    if (plan) await restorePlannedFiles(plan.files);
    await git.resetHard(originalHead);
    throw error;
  };

  for (let attempt = 1; ; attempt += 1) {
    let plan: PromotionPlan;
    try {
      plan = await applyPromotion(input);
    } catch (error) {
      return giveUp(error);
    }
    if (first) {
      const conflict = conflictBetween(first, plan, input);
      if (conflict) return giveUp(conflict, plan);
    }
    first ??= plan;
    if (plan.files.length === 0) return { plan, attempts: attempt };

    let sha: string;
    try {
      await git.add(plan.files.map((f) => f.path));
      sha = await git.commit({ message: commitMessage({ ...input.summary, changes: plan.changes }), ...(input.author ? { author: input.author } : {}) });
      await git.push(input.remote, `HEAD:refs/heads/${branch}`, { token: input.token });
      return { plan, commit: sha, attempts: attempt };
    } catch (error) {
      if (!(error instanceof PushRejectedError)) {
        return giveUp(new UserError(`Promotion into ${input.target.name} was not pushed: ${(error as Error).message}`, `The local branch ${branch} was reset to ${originalHead.slice(0, 12)}; nothing changed on the remote.`));
      }
      if (attempt >= maxAttempts) {
        return giveUp(new UserError(`Promotion into ${input.target.name} was not pushed: ${branch} kept moving and the push was rejected ${attempt} times.`, 'Run the promotion again; nothing changed on the remote.'));
      }
    }
    const cap = Math.min(5000, (input.backoffMs ?? 250) * 2 ** (attempt - 1));
    await sleep(Math.random() * cap);
    try {
      await git.fetch(input.remote, branch, { token: input.token });
      const tip = await git.revParse('FETCH_HEAD');
      if (!(await git.isAncestor(originalHead, tip))) {
        throw new UserError(`The local branch ${branch} has commits the remote does not, so Slipway cannot rebuild the promotion on the remote tip without losing them.`, 'Push or drop those commits first.');
      }
      await git.resetHard(tip);
    } catch (error) {
      return giveUp(error);
    }
  }
}

/** One commit of the edits on HEAD, nothing pushed; on a failure the edits are put back and HEAD stays. */
async function commitLocally(input: CommitInput): Promise<CommitOutcome> {
  const { git } = input;
  const plan = await applyPromotion(input);
  if (plan.files.length === 0) return { plan, attempts: 1 };
  const originalHead = await git.headSha();
  try {
    await git.add(plan.files.map((f) => f.path));
    const sha = await git.commit({ message: commitMessage({ ...input.summary, changes: plan.changes }), ...(input.author ? { author: input.author } : {}) });
    return { plan, commit: sha, attempts: 1 };
  } catch (error) {
    await restorePlannedFiles(plan.files);
    await git.resetHard(originalHead);
    throw error;
  }
}

/** The target now holds, for some image, a version other than the one the promotion started from (and not the promoted one). */
function conflictBetween(first: PromotionPlan, again: PromotionPlan, input: CommitInput): UserError | undefined {
  const startedFrom = new Map(first.changes.map((c) => [c.image, c.from]));
  for (const change of again.changes) {
    const desired = input.desired.find((d) => d.name === change.image);
    const expected = startedFrom.get(change.image) ?? (desired ? versionOf(desired) : undefined);
    if (change.from !== expected) {
      return new UserError(
        `Conflict: while promoting, someone else changed ${change.image} in ${input.target.name} to ${change.from} (${change.file}:${change.line}); the promotion expected ${expected} and would set ${change.to}.`,
        'Nothing was pushed and the branch was reset. Decide which version the target should run, then promote again.',
      );
    }
  }
  return undefined;
}
