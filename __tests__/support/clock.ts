/** Time for tests of waiting, locking and back-off: it moves only when something sleeps. */
import type { Clock } from '../../src/kube/wait-api.js';

/** A clock whose time moves only when something sleeps, so backoff costs no real time. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = Date.parse('2026-11-05T12:00:00Z')) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
    await Promise.resolve();
    if (signal?.aborted) throw signal.reason;
  }
}
