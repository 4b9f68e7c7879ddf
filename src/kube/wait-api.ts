/**
 * The little of the API client that waiting and locking need. `KubeClient` satisfies it; tests
 * pass an in-memory fake. Kept here so wait and lock do not depend on how requests are sent.
 */

export interface KubeRequester {
  request<T>(req: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    path: string;
    query?: Record<string, string | number | boolean | undefined>;
    body?: unknown;
    contentType?: string;
    /** What the request is about, for error messages. */
    subject?: string;
    /** Plain-text response (pods/log). */
    text?: boolean;
  }): Promise<T>;
}

/** The HTTP status of an API error (KubeApiError carries `status`), or undefined for anything else. */
export function apiStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

/** Time as waiting and locking see it, so tests can run hours of backoff in no time. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new Error('The operation was cancelled.');
}
