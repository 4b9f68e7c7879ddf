/**
 * Pull requests for promotions: find the open one for a branch, create it or bring its title and
 * body up to date, add labels. Running twice leaves one pull request, not two.
 */

import type { GitHubClient } from './client.js';
import { fitCommentBody } from './comments.js';

export interface PullRequestInfo {
  number: number;
  url: string;
  state: string;
  title: string;
  body: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  merged: boolean;
  labels: string[];
}

export interface EnsurePullRequestRequest {
  owner: string;
  repo: string;
  /** Branch with the changes, in this repository. */
  head: string;
  base: string;
  title: string;
  body: string;
  labels?: string[];
  draft?: boolean;
}

export interface EnsurePullRequestResult {
  pullRequest: PullRequestInfo;
  action: 'created' | 'updated' | 'unchanged';
}

interface PullData {
  number: number;
  html_url: string;
  state: string;
  title: string;
  body?: string | null;
  merged?: boolean | null;
  merged_at?: string | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  labels: Array<{ name?: string } | string>;
}

export async function findOpenPullRequest(
  gh: GitHubClient,
  owner: string,
  repo: string,
  head: string,
  base?: string,
): Promise<PullRequestInfo | undefined> {
  const { data } = await gh.rest.pulls.list({ owner, repo, state: 'open', head: `${owner}:${head}`, base, per_page: 10 });
  return data.length ? toInfo(data[0]) : undefined;
}

export async function ensurePullRequest(gh: GitHubClient, request: EnsurePullRequestRequest): Promise<EnsurePullRequestResult> {
  const { owner, repo, head, base } = request;
  const title = gh.secrets.mask(request.title);
  const body = fitCommentBody(gh.secrets.mask(request.body));
  let existing = await findOpenPullRequest(gh, owner, repo, head, base);

  let created: PullRequestInfo | undefined;
  if (!existing) {
    try {
      const { data } = await gh.rest.pulls.create({ owner, repo, head, base, title, body, draft: request.draft });
      created = toInfo(data);
    } catch (error) {
      // Another run opened it between our look-up and the create: carry on with that one.
      if (!isAlreadyExists(error)) throw error;
      existing = await findOpenPullRequest(gh, owner, repo, head, base);
      if (!existing) throw error;
    }
  }

  let pullRequest: PullRequestInfo;
  let action: EnsurePullRequestResult['action'];
  if (created) {
    pullRequest = created;
    action = 'created';
  } else if (!existing) {
    throw new Error(`no pull request for ${head}`);
  } else if (existing.title !== title || existing.body !== body) {
    const { data } = await gh.rest.pulls.update({ owner, repo, pull_number: existing.number, title, body });
    pullRequest = toInfo(data);
    action = 'updated';
  } else {
    pullRequest = existing;
    action = 'unchanged';
  }

  const missing = (request.labels ?? []).filter((l) => !pullRequest.labels.includes(l));
  if (missing.length) {
    const { data } = await gh.rest.issues.addLabels({ owner, repo, issue_number: pullRequest.number, labels: missing });
    pullRequest = { ...pullRequest, labels: data.map((l) => l.name) };
  }
  return { pullRequest, action };
}

function isAlreadyExists(error: unknown): boolean {
  const e = error as { status?: number; message?: string };
  return e.status === 422 && /already exists/i.test(e.message ?? '');
}

function toInfo(data: PullData): PullRequestInfo {
  return {
    number: data.number,
    url: data.html_url,
    state: data.state,
    title: data.title,
    body: data.body ?? '',
    headRef: data.head.ref,
    headSha: data.head.sha,
    baseRef: data.base.ref,
    merged: Boolean(data.merged ?? data.merged_at),
    labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
  };
}

/**
 * The merged pull request a pushed commit came from (its merge, squash or rebase commit), so a
 * deploy started by `push` can comment on it. Undefined for direct pushes.
 */
export async function findMergedPullRequestOfCommit(gh: GitHubClient, owner: string, repo: string, sha: string): Promise<number | undefined> {
  const { data } = await gh.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: sha, per_page: 10 });
  const merged = data.find((pr) => pr.merged_at && pr.merge_commit_sha === sha) ?? data.find((pr) => pr.merged_at);
  return merged?.number;
}
