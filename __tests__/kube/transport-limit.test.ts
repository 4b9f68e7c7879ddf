// The in-flight limit alone: AIMD on throttling, one cut per burst, gradual recovery, FIFO slots.
import { InFlightLimit, isPriorityAndFairnessRejection } from '../../src/kube/transport-limit.js';

describe('InFlightLimit', () => {
  it('halves on a throttled answer, never below the floor, and grows by one per window of successes', async () => {
    const limit = new InFlightLimit({ max: 8, min: 2 });
    for (const expected of [4, 2, 2]) {
      limit.release(await limit.acquire(), 'throttled');
      expect(limit.snapshot().limit).toBe(expected);
    }
    // At 2, two successes make one more slot; at 3, three more.
    for (let i = 0; i < 2; i++) limit.release(await limit.acquire(), 'ok');
    expect(limit.snapshot().limit).toBe(3);
    for (let i = 0; i < 3; i++) limit.release(await limit.acquire(), 'ok');
    expect(limit.snapshot().limit).toBe(4);
    // Other failures (5xx, resets) neither cut nor raise it.
    limit.release(await limit.acquire(), 'other');
    expect(limit.snapshot()).toMatchObject({ limit: 4, cuts: 3, lowest: 2 });
  });

  it('holds requests beyond the limit and lets them through in order as slots free', async () => {
    const limit = new InFlightLimit({ max: 2 });
    const first = await limit.acquire();
    const second = await limit.acquire();
    const order: number[] = [];
    const third = limit.acquire().then((slot) => (order.push(3), slot));
    const fourth = limit.acquire().then((slot) => (order.push(4), slot));
    expect(limit.snapshot()).toMatchObject({ inFlight: 2, queued: 2 });
    limit.release(first, 'ok');
    limit.release(second, 'ok');
    limit.release(await third, 'ok');
    limit.release(await fourth, 'ok');
    expect(order).toEqual([3, 4]);
    expect(limit.snapshot()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it('counts throttled answers to requests sent before the latest cut as the same signal', async () => {
    const limit = new InFlightLimit({ max: 16 });
    const burst = await Promise.all(Array.from({ length: 10 }, () => limit.acquire()));
    for (const slot of burst) limit.release(slot, 'throttled');
    expect(limit.snapshot()).toMatchObject({ limit: 8, cuts: 1 });
    // A request sent after the cut and throttled again is news: cut again.
    limit.release(await limit.acquire(), 'throttled');
    expect(limit.snapshot()).toMatchObject({ limit: 4, cuts: 2 });
  });
});

describe('isPriorityAndFairnessRejection', () => {
  it('is a 429 carrying the flow schema or priority level headers', () => {
    expect(isPriorityAndFairnessRejection(429, { 'x-kubernetes-pf-flowschema-uid': 'f', 'x-kubernetes-pf-prioritylevel-uid': 'p' })).toBe(true);
    expect(isPriorityAndFairnessRejection(429, { 'retry-after': '1' })).toBe(false);
    expect(isPriorityAndFairnessRejection(200, { 'x-kubernetes-pf-flowschema-uid': 'f' })).toBe(false);
  });
});
