/** Runs `worker` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index], index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * Requests in flight per environment: enough to hide round trips on one HTTP/2 connection
 * (over HTTPS/1.1 the agent's 32 connections bound it); the client's in-flight limit halves
 * what actually goes out when the server answers 429 (API priority and fairness included).
 */
export const DEFAULT_CONCURRENCY = 64;
