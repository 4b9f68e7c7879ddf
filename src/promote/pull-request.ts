/**
 * Pull-request mode: the promotion commit is built on the base branch tip without touching the
 * checkout, force-pushed to `slipway/promote-<target>`, and one open pull request per target is
 * created or brought up to date. The preview comment is posted by the caller.
 */
import type { Git, Person } from '../exec/git.js';
import { UserError } from '../model/errors.js';
import { applyPromotion, type ApplyInput } from './apply-promotion.js';
import { commitMessage, pullRequestBody, pullRequestTitle, type PromotionSummary, type RepositoryLink } from './message.js';
import type { PromotionPlan } from './types.js';
import { restorePlannedFiles } from './write-files.js';

/** What promotion needs from GitHub; `src/promote/github-pull-requests.ts` provides it for a real repository. */
export interface PullRequestApi {
  /**
   * Creates the pull request from `head`, or brings the open one up to date (title, body, missing
   * labels): running twice, or racing another run, leaves one pull request.
   */
  ensure(request: { head: string; base: string; title: string; body: string; labels: readonly string[] }): Promise<{ number: number; url: string; action: 'created' | 'updated' | 'unchanged' }>;
}

/** The promotion pull request, as the run that created or updated it reports it (and previews it). */
export interface PromotionPullRequest {
  number: number;
  url: string;
  action: 'created' | 'updated' | 'unchanged';
  /** The promotion branch (`slipway/promote-<target>`). */
  branch: string;
  /** The commit on the branch, and the base branch tip it was built on: the preview compares the two. */
  commit: string;
  baseCommit: string;
}

export interface PullRequestInput extends ApplyInput {
  git: Git;
  api: PullRequestApi;
  remote: string;
  /** Branch the pull request merges into; default the checked-out branch. */
  baseBranch?: string;
  token?: string;
  author?: Person;
  labels: readonly string[];
  summary: Omit<PromotionSummary, 'changes'>;
  repository?: RepositoryLink;
}

export interface PullRequestOutcome {
  plan: PromotionPlan;
  commit?: string;
  pullRequest?: PromotionPullRequest;
}

export function promotionBranch(target: string): string {
  return `slipway/promote-${target.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

export async function pullRequestPromotion(input: PullRequestInput): Promise<PullRequestOutcome> {
  const { git } = input;
  const branch = promotionBranch(input.target.name);
  const base = input.baseBranch ?? (await git.currentBranch());
  if (!base) throw new UserError('HEAD is detached, so there is no base branch for the promotion pull request.', 'Check out the base branch or name it explicitly.');
  const plan = await applyPromotion(input);
  // The edits only exist to be verified and committed: the checkout goes back to how it was.
  await restorePlannedFiles(plan.files);
  if (plan.files.length === 0) return { plan };

  const dirty = new Set(await git.uncommittedChanges());
  const touched = plan.files.find((f) => dirty.has(f.path));
  if (touched) {
    throw new UserError(`${touched.path} has uncommitted changes; the promotion commit is built from the committed base, so they would be lost or mixed in.`, 'Commit or discard them and promote again.');
  }
  const parent = await git.headSha();
  const message = commitMessage({ ...input.summary, changes: plan.changes });
  const commit = await git.commitFiles(parent, plan.files.map((f) => ({ path: f.path, content: f.after })), { message, ...(input.author ? { author: input.author } : {}) });
  // Force: the branch always holds exactly one promotion commit on the current base tip.
  await git.push(input.remote, `+${commit}:refs/heads/${branch}`, { token: input.token });

  const summary = { ...input.summary, changes: plan.changes };
  const title = pullRequestTitle(summary);
  const body = pullRequestBody(summary, input.repository);
  const pull = await input.api.ensure({ head: branch, base, title, body, labels: input.labels });
  return { plan, commit, pullRequest: { ...pull, branch, commit, baseCommit: parent } };
}
