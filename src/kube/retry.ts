/**
 * When and how long to retry a request to the API server. Transient trouble (a reset
 * connection, a timeout, 429 Too Many Requests, 5xx from an overloaded or restarting
 * server) is retried with jittered exponential backoff, bounded in attempts and total time.
 * Answers that describe the request itself (400, 403, 404, 409 on apply, 422) are final:
 * retrying would only repeat them. A 409 on an update (stale resourceVersion) is for the
 * caller to handle, because only it can re-read and rebuild the request.
 */

import { KubeApiError, KubeTransportError } from './errors.js';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Backoff before the second attempt; doubles each time. */
  baseDelayMs: number;
  /** Largest single backoff (Retry-After is honoured up to `maxTotalMs`). */
  maxDelayMs: number;
  /** Give up once this much time has passed since the first attempt. */
  maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
  maxTotalMs: 60_000,
};

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/** Transport error codes worth another attempt. ECONNREFUSED only once a connection has worked (a restarting server), not for a wrong address. */
const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export interface RetryDecision {
  retry: boolean;
  /** Delay the server asked for, if any. */
  delayMs?: number;
}

/** The request got no answer within its timeout (it may or may not have reached the server). */
function isNoAnswer(error: unknown): boolean {
  return error instanceof KubeTransportError && (error.code === 'ETIMEDOUT' || error.code === 'ESOCKETTIMEDOUT');
}

export function classifyError(error: unknown, hasConnectedBefore: boolean): RetryDecision {
  if (error instanceof KubeApiError) {
    return RETRYABLE_STATUS.has(error.status) ? { retry: true, delayMs: error.retryAfterMs } : { retry: false };
  }
  if (error instanceof KubeTransportError) {
    if (RETRYABLE_CODES.has(error.code)) return { retry: true };
    if (error.code === 'ECONNREFUSED' && hasConnectedBefore) return { retry: true };
  }
  return { retry: false };
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base * 2^(attempt-1))], never below a quarter of it so retries do not stampede. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.25 + 0.75 * random()));
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `operation` until it succeeds, fails for good, or the policy's bounds are reached; the last error is thrown. */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  classify: (error: unknown) => RetryDecision,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  hooks: RetryHooks = {},
): Promise<T> {
  const now = hooks.now ?? Date.now;
  const wait = hooks.sleep ?? sleep;
  const started = now();
  // Time spent waiting for answers that never came: not counted against maxTotalMs, or one or
  // two hung requests (each up to the request timeout) would use up the budget that fast
  // failures get eight attempts from. maxAttempts still bounds them.
  let unanswered = 0;
  for (let attempt = 1; ; attempt += 1) {
    const attemptStarted = now();
    try {
      return await operation(attempt);
    } catch (error) {
      if (isNoAnswer(error)) unanswered += now() - attemptStarted;
      const decision = classify(error);
      if (!decision.retry || attempt >= policy.maxAttempts) throw error;
      const delay = decision.delayMs ?? backoffDelay(attempt, policy, hooks.random);
      if (now() - started - unanswered + delay > policy.maxTotalMs) throw error;
      hooks.onRetry?.(attempt, delay, error);
      await wait(delay);
    }
  }
}
