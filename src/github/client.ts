/**
 * The one way Slipway talks to GitHub: `@actions/github`'s Octokit with retry and throttling.
 *
 * - Transient failures (5xx, network errors, which Octokit reports as 500) are retried with backoff.
 * - Every 4xx is final for the retry plugin: a 422 (validation) or 404 will not get better by asking again.
 * - Rate limits (403/429 with GitHub's rate-limit signals) belong to the throttling plugin, which waits
 *   as GitHub asks, a bounded number of times.
 * - Every HTTP attempt is counted, so callers and tests can check how many calls a flow makes.
 */

import { Octokit as CoreOctokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { SecretMask } from '../exec/secrets.js';

// What `@actions/github`'s client is (core, REST methods, pagination), built here so that its
// proxy-aware fetch (a whole undici, a tenth of a second to load) is loaded only when the
// runner has a proxy; see proxy.ts.
const RestOctokit = CoreOctokit.plugin(restEndpointMethods, paginateRest);

/** How the client sends its requests: Node's fetch, or one through the runner's proxy (proxy.ts). */
export type GitHubFetch = typeof globalThis.fetch;

/** The Octokit instance every helper in `src/github/` accepts. */
export type Octokit = InstanceType<typeof RestOctokit>;

export interface ApiCall {
  method: string;
  /** Path with parameters filled in and no query, e.g. `/repos/acme/gitops/issues/7/comments`. */
  path: string;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
}

/** Every HTTP attempt made through one client, retries included. */
export interface ApiCallLog {
  readonly count: number;
  readonly calls: readonly ApiCall[];
  reset(): void;
}

/** `secrets`: the run's mask; every helper that writes through the client masks what it sends with it. */
export type GitHubClient = Octokit & { apiCalls: ApiCallLog; secrets: SecretMask };

export interface GitHubClientOptions {
  token: string;
  /** The run's mask; the token is registered in it. */
  secrets: SecretMask;
  /** Default https://api.github.com; the action passes `GITHUB_API_URL`. */
  baseUrl?: string;
  /** Retries of a transient failure (5xx, network). Default 3. */
  retries?: number;
  /** Times a rate-limited request is retried. Default 2. */
  rateLimitRetries?: number;
  /** Longest wait for a rate limit before giving up, in seconds. Default 120. */
  maxRateLimitWaitSeconds?: number;
  /**
   * Milliseconds per unit of backoff (the plugins count in seconds). Default 1000; tests shrink it
   * so a retried request does not cost a real second.
   */
  backoffUnitMs?: number;
  /**
   * Space out writes as GitHub's best practices ask (the throttling plugin waits 1 s between writes
   * and 3 s between writes that notify people). Default true; the action turns it off when
   * `SLIPWAY_GITHUB_PACE_WRITES=false` (loopback tests).
   */
  paceWrites?: boolean;
  /** Where warnings about retries go. Default: nowhere. */
  warn?: (message: string) => void;
  /** How requests are sent. Default: Node's fetch; the action passes `proxyAwareFetch` (proxy.ts). */
  fetch?: GitHubFetch;
}

// Every status from 400 to 499: a client error is never retried by the retry plugin.
const CLIENT_ERRORS = Array.from({ length: 100 }, (_, i) => 400 + i);

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  options.secrets.add(options.token);
  const unit = options.backoffUnitMs ?? 1000;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWaitSeconds ?? 120;
  const warn = options.warn ?? (() => {});
  const paceWrites = options.paceWrites ?? true;

  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const again = retryCount < rateLimitRetries && retryAfter <= maxWait;
      warn(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}` +
          (again ? `: retrying in ${retryAfter} s` : ': giving up'),
      );
      return again;
    };

  const SlipwayOctokit = RestOctokit.plugin(
    // Registered first, so its hook sits innermost: it sees each attempt, retries included.
    countCalls,
    retry,
    throttling,
  );
  const octokit = new SlipwayOctokit({
      auth: options.token,
      baseUrl: options.baseUrl ?? 'https://api.github.com',
      request: { fetch: options.fetch ?? globalThis.fetch },
      retry: { retries: options.retries ?? 3, doNotRetry: CLIENT_ERRORS, retryAfterBaseValue: unit },
      throttle: {
        retryAfterBaseValue: unit,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        ...(paceWrites ? {} : { write: passThroughGroup(), notifications: passThroughGroup() }),
      },
  });
  return Object.assign(octokit, { secrets: options.secrets }) as GitHubClient;
}

function countCalls(octokit: CoreOctokit): { apiCalls: ApiCallLog } {
  const calls: ApiCall[] = [];
  octokit.hook.wrap('request', async (request, options) => {
    const call: ApiCall = { method: options.method, path: pathOf(octokit, options), status: 0 };
    calls.push(call);
    try {
      const response = await request(options);
      call.status = response.status;
      return response;
    } catch (error) {
      call.status = (error as { status?: number }).status ?? 0;
      throw error;
    }
  });
  return {
    apiCalls: {
      get count() {
        return calls.length;
      },
      calls,
      reset: () => {
        calls.length = 0;
      },
    },
  };
}

function pathOf(octokit: CoreOctokit, options: Parameters<CoreOctokit['request']['endpoint']['parse']>[0]): string {
  try {
    return new URL(octokit.request.endpoint.parse(options).url).pathname;
  } catch {
    return String(options.url);
  }
}

/**
 * Stands in for a Bottleneck group that would space requests out: runs each job at once.
 * The throttling plugin only calls `key(id).schedule(options, job, ...args)` on it.
 */
function passThroughGroup(): never {
  const limiter = {
    schedule: (_options: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) =>
      Promise.resolve().then(() => job(...args)),
  };
  return { key: () => limiter } as never;
}
