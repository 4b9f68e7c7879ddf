/**
 * A loopback fake of the GitHub REST API for tests: plain HTTP on 127.0.0.1, random port.
 * Point `GITHUB_API_URL` (or a client's `baseUrl`) at `url`.
 *
 * It serves one repository (`owner/repo`): issue comments with GitHub's pagination (Link headers,
 * `per_page`, `page`), pull requests, labels, deployments with statuses, and the repository itself.
 * It records every request, and can fail chosen requests (5xx, secondary rate limit) to test retries.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeRepoState, type FakeComment, type FakeDeployment, type FakePull, type FakeUser } from './github-api/state.js';
import type { FakeRequest, FakeResponse, Route } from './github-api/http.js';
import { notFound } from './github-api/http.js';
import { addComment, commentRoutes } from './github-api/comments.js';
import { pullRoutes, newPull } from './github-api/pulls.js';
import { deploymentRoutes } from './github-api/deployments.js';

export interface RecordedRequest {
  /** 1-based position among all requests the fake received. */
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization?: string;
  /** Status the fake answered with. */
  status: number;
}

export interface Fault {
  /** Fail the request with this 1-based sequence number. */
  nth?: number;
  method?: string;
  /** Matches the path (without query): a substring or a regular expression. */
  path?: string | RegExp;
  /** How many matching requests to fail; default 1. */
  times?: number;
  /** `502`, `503`, ... or `secondary-rate-limit` (403 with GitHub's message and `retry-after`), or `rate-limit`. */
  kind: number | 'secondary-rate-limit' | 'rate-limit';
  /** Seconds for `retry-after` (secondary) or until `x-ratelimit-reset` (primary). Default 1. */
  retryAfter?: number;
  /** Drop the connection instead of answering (a network error). Only with a numeric kind. */
  hangUp?: boolean;
}

export interface GitHubApiFakeOptions {
  owner?: string;
  repo?: string;
}

export class GitHubApiFake {
  readonly owner: string;
  readonly repo: string;
  readonly state: FakeRepoState;
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Array<Fault & { remaining: number }> = [];
  private readonly routes: Route[];
  private server?: Server;
  private baseUrl = '';

  constructor(options: GitHubApiFakeOptions = {}) {
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'gitops';
    this.state = new FakeRepoState(this.owner, this.repo, () => this.baseUrl);
    const repoPath = `/repos/${escapeRegExp(this.owner)}/${escapeRegExp(this.repo)}`;
    this.routes = [
      ...commentRoutes(this.state, repoPath),
      ...pullRoutes(this.state, repoPath),
      ...deploymentRoutes(this.state, repoPath),
    ];
  }

  get url(): string {
    if (!this.baseUrl) throw new Error('GitHubApiFake: start() first');
    return this.baseUrl;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // --- fault injection -------------------------------------------------------------------------

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  // --- state, for arranging and asserting ---------------------------------------------------------

  commentsOn(issue: number): FakeComment[] {
    return this.state.comments.get(issue) ?? [];
  }

  /** Adds a comment as if someone (default: a person) had written it. */
  seedComment(issue: number, body: string, user?: FakeUser): FakeComment {
    return addComment(this.state, issue, body, user ?? { login: 'octocat', id: 583231, type: 'User' });
  }

  get pulls(): FakePull[] {
    return this.state.pulls;
  }

  seedPull(fields: { head: string; base?: string; title?: string; body?: string; state?: 'open' | 'closed'; mergeCommitSha?: string }): FakePull {
    const pull = newPull(this.state, {
      title: fields.title ?? `Change ${fields.head}`,
      body: fields.body ?? null,
      draft: false,
      head: this.state.branchRef(fields.head),
      base: this.state.branchRef(fields.base ?? this.state.defaultBranch),
    });
    if (fields.state) pull.state = fields.state;
    if (fields.mergeCommitSha) {
      Object.assign(pull, { state: 'closed', merged: true, merged_at: pull.created_at, merge_commit_sha: fields.mergeCommitSha });
    }
    return pull;
  }

  get deployments(): FakeDeployment[] {
    return this.state.deployments;
  }

  /** Requests whose method and path match (path: substring or RegExp). */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && matches(r.path, path));
  }

  // --- serving ------------------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const seq = this.requests.length + 1;
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const record: RecordedRequest = {
      seq,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
      status: 0,
    };
    this.requests.push(record);

    const fault = this.takeFault(record);
    if (fault?.hangUp) {
      record.status = 0;
      req.socket.destroy();
      return;
    }
    const request: FakeRequest = {
      method: record.method,
      path: url.pathname,
      query: url.searchParams,
      body,
      headers: req.headers,
      baseUrl: this.baseUrl,
    };
    const response = fault ? faultResponse(fault) : this.route(request);
    record.status = response.status;
    const text = response.body === undefined ? '' : JSON.stringify(response.body);
    res.writeHead(response.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-github-request-id': `FAKE:${seq}`,
      ...response.headers,
    });
    res.end(text);
  }

  private route(request: FakeRequest): FakeResponse {
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (match) return route.handle(request, match.slice(1));
    }
    return notFound();
  }

  private takeFault(request: RecordedRequest): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.nth === undefined || f.nth === request.seq) &&
        (f.method === undefined || f.method === request.method) &&
        (f.path === undefined || matches(request.path, f.path)),
    );
    if (fault) fault.remaining -= 1;
    return fault;
  }
}

function faultResponse(fault: Fault): FakeResponse {
  const after = fault.retryAfter ?? 1;
  if (fault.kind === 'secondary-rate-limit') {
    return {
      status: 403,
      headers: { 'retry-after': String(after) },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: '403',
      },
    };
  }
  if (fault.kind === 'rate-limit') {
    return {
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + after) },
      body: { message: 'API rate limit exceeded for installation.', documentation_url: 'https://docs.github.com/rest', status: '403' },
    };
  }
  const messages: Record<number, string> = { 500: 'Internal Server Error', 502: 'Server Error', 503: 'Service Unavailable', 504: 'Gateway Timeout' };
  return { status: fault.kind, body: { message: messages[fault.kind] ?? 'Error', status: String(fault.kind) } };
}

function matches(path: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? path.includes(pattern) : pattern.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
