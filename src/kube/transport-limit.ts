/**
 * How many requests one client keeps in flight, adapted to what the API server can take:
 * halved when the server sheds load (429 Too Many Requests, whether from the max-in-flight
 * filter or an API Priority and Fairness rejection), then raised by one per window of
 * successes (additive increase, multiplicative decrease) up to the ceiling. A burst of 429s
 * answering requests sent before the last cut counts as one signal, not one cut each.
 */

export type Outcome = 'ok' | 'throttled' | 'other';

export interface LimitSnapshot {
  limit: number;
  inFlight: number;
  queued: number;
  /** Times the limit was cut. */
  cuts: number;
  lowest: number;
}

export interface InFlightLimitOptions {
  /** Ceiling and starting point (default 64). */
  max?: number;
  /** Floor (default 1). */
  min?: number;
}

/** A ticket from acquire(), handed back to release() with how the request went. */
export interface Slot {
  readonly epoch: number;
}

export const DEFAULT_MAX_IN_FLIGHT = 64;

export class InFlightLimit {
  private limit: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  /** Counts cuts: a throttled answer to a request sent before the latest cut is old news. */
  private epoch = 0;
  private lowest: number;
  readonly max: number;
  readonly min: number;

  constructor(options: InFlightLimitOptions = {}) {
    this.max = Math.max(1, options.max ?? DEFAULT_MAX_IN_FLIGHT);
    this.min = Math.max(1, Math.min(this.max, options.min ?? 1));
    this.limit = this.max;
    this.lowest = this.max;
  }

  async acquire(): Promise<Slot> {
    if (this.inFlight < Math.floor(this.limit) && this.waiting.length === 0) {
      this.inFlight += 1;
      return { epoch: this.epoch };
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return { epoch: this.epoch };
  }

  release(slot: Slot, outcome: Outcome): void {
    this.inFlight -= 1;
    if (outcome === 'throttled') {
      if (slot.epoch === this.epoch) {
        this.limit = Math.max(this.min, Math.floor(this.limit / 2));
        this.lowest = Math.min(this.lowest, this.limit);
        this.epoch += 1;
      }
    } else if (outcome === 'ok' && this.limit < this.max) {
      this.limit = Math.min(this.max, this.limit + 1 / Math.floor(this.limit));
    }
    while (this.waiting.length && this.inFlight < Math.floor(this.limit)) {
      this.inFlight += 1;
      this.waiting.shift()?.();
    }
  }

  snapshot(): LimitSnapshot {
    return { limit: Math.floor(this.limit), inFlight: this.inFlight, queued: this.waiting.length, cuts: this.epoch, lowest: this.lowest };
  }
}

/** API Priority and Fairness marks its answers with the flow schema and priority level that judged them. */
export function isPriorityAndFairnessRejection(status: number, headers: Record<string, string | string[] | undefined>): boolean {
  return status === 429 && (headers['x-kubernetes-pf-flowschema-uid'] !== undefined || headers['x-kubernetes-pf-prioritylevel-uid'] !== undefined);
}
