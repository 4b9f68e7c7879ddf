/**
 * In-memory state of the fake GitHub: one repository's comments, pull requests, labels and
 * deployments, shaped as GitHub returns them (only the fields Octokit and Slipway read, plus ids
 * and URLs that make the responses look real).
 */

import { createHash } from 'node:crypto';

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface FakeComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: FakeUser;
  author_association: string;
  created_at: string;
  updated_at: string;
}

export interface FakeLabel {
  id: number;
  node_id: string;
  url: string;
  name: string;
  color: string;
  default: boolean;
  description: string | null;
}

export interface FakeBranchRef {
  label: string;
  ref: string;
  sha: string;
  user: FakeUser;
  repo: { id: number; name: string; full_name: string; owner: FakeUser };
}

export interface FakePull {
  id: number;
  node_id: string;
  number: number;
  url: string;
  html_url: string;
  issue_url: string;
  state: 'open' | 'closed';
  title: string;
  body: string | null;
  draft: boolean;
  merged: boolean;
  merged_at: string | null;
  merge_commit_sha: string | null;
  user: FakeUser;
  labels: FakeLabel[];
  head: FakeBranchRef;
  base: FakeBranchRef;
  created_at: string;
  updated_at: string;
}

export interface FakeDeploymentStatus {
  id: number;
  node_id: string;
  url: string;
  state: string;
  description: string;
  environment: string;
  target_url: string;
  log_url: string;
  environment_url: string;
  creator: FakeUser;
  deployment_url: string;
  repository_url: string;
  created_at: string;
  updated_at: string;
}

export interface FakeDeployment {
  id: number;
  node_id: string;
  url: string;
  sha: string;
  ref: string;
  task: string;
  payload: unknown;
  environment: string;
  original_environment: string;
  description: string | null;
  transient_environment: boolean;
  production_environment: boolean;
  creator: FakeUser;
  statuses_url: string;
  repository_url: string;
  created_at: string;
  updated_at: string;
  /** Not in GitHub's deployment object: kept here so tests can read the history in one place. */
  statuses: FakeDeploymentStatus[];
}

export class FakeRepoState {
  readonly botUser: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
  readonly repoId = 424242;
  defaultBranch = 'main';
  /** Comments by issue (or pull request) number, oldest first, as GitHub lists them. */
  readonly comments = new Map<number, FakeComment[]>();
  readonly pulls: FakePull[] = [];
  readonly deployments: FakeDeployment[] = [];
  /** Branch name -> SHA, for pull request heads and deployment refs. */
  readonly branches = new Map<string, string>();
  private nextId = 1000;
  private nextIssueNumber = 1;
  private clock = Date.UTC(2026, 0, 1);

  constructor(
    readonly owner: string,
    readonly repo: string,
    private readonly apiUrl: () => string,
  ) {}

  get repoApiUrl(): string {
    return `${this.apiUrl()}/repos/${this.owner}/${this.repo}`;
  }

  get repoHtmlUrl(): string {
    return `https://github.com/${this.owner}/${this.repo}`;
  }

  id(): number {
    return this.nextId++;
  }

  nodeId(kind: string, id: number): string {
    return Buffer.from(`${kind}:${id}`).toString('base64');
  }

  /** Strictly increasing timestamps, so "newest" is always well defined. */
  now(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Issue and pull request numbers share one sequence, as on GitHub. */
  issueNumber(): number {
    return this.nextIssueNumber++;
  }

  reserveIssueNumbers(upTo: number): void {
    this.nextIssueNumber = Math.max(this.nextIssueNumber, upTo + 1);
  }

  /** A SHA for a ref: itself when it already is one, the branch head when known, else a stable hash. */
  resolveSha(ref: string): string {
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    const known = this.branches.get(ref.replace(/^refs\/heads\//, ''));
    return known ?? createHash('sha1').update(ref).digest('hex');
  }

  repository(): Record<string, unknown> {
    const owner = this.ownerUser();
    return {
      id: this.repoId,
      node_id: this.nodeId('Repository', this.repoId),
      name: this.repo,
      full_name: `${this.owner}/${this.repo}`,
      owner,
      private: false,
      html_url: this.repoHtmlUrl,
      url: this.repoApiUrl,
      default_branch: this.defaultBranch,
      fork: false,
    };
  }

  ownerUser(): FakeUser {
    return { login: this.owner, id: 1, type: 'User' };
  }

  branchRef(branch: string, owner = this.owner): FakeBranchRef {
    const user = owner === this.owner ? this.ownerUser() : { login: owner, id: 2, type: 'User' as const };
    return {
      label: `${owner}:${branch}`,
      ref: branch,
      sha: this.resolveSha(branch),
      user,
      repo: { id: this.repoId, name: this.repo, full_name: `${owner}/${this.repo}`, owner: user },
    };
  }
}
