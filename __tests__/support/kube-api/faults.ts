/** Fault injection: which requests fail and how, decided per rule by share (seeded) or by position. */

/** 'goaway': HTTP/2 GOAWAY refusing this request and later ones on its connection (a reset over HTTP/1.1). */
export type FaultStatus = 429 | 500 | 502 | 503 | 504 | 409 | 'reset' | 'timeout' | 'goaway';

export interface FaultRule {
  /** share 0..1 of matching requests to fail */
  rate?: number;
  /** or fail exactly the Nth matching request(s), counting from 1 */
  nth?: number[];
  status?: FaultStatus;
  retryAfterSeconds?: number;
  /** A 429 as API Priority and Fairness sends it: with the X-Kubernetes-PF-* headers naming the flow schema and priority level. */
  priorityAndFairness?: boolean;
  match?: (req: { method: string; path: string; dryRun: boolean }) => boolean;
}

export interface FaultDecision {
  status: FaultStatus;
  retryAfterSeconds: number;
  priorityAndFairness: boolean;
}

/** A small deterministic generator, so a failing run can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Faults {
  private rules: { rule: FaultRule; seen: number }[] = [];
  private random = mulberry32(0x5eed);

  add(rule: FaultRule): void {
    this.rules.push({ rule, seen: 0 });
  }

  clear(): void {
    this.rules = [];
    this.random = mulberry32(0x5eed);
  }

  /** The first rule that fires for this request, if any; every matching rule counts the request. */
  decide(req: { method: string; path: string; dryRun: boolean }): FaultDecision | undefined {
    let decision: FaultDecision | undefined;
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.match && !rule.match(req)) continue;
      entry.seen += 1;
      const fires = rule.nth ? rule.nth.includes(entry.seen) : this.random() < (rule.rate ?? 0);
      if (fires && !decision) decision = { status: rule.status ?? 500, retryAfterSeconds: rule.retryAfterSeconds ?? 1, priorityAndFairness: rule.priorityAndFairness ?? false };
    }
    return decision;
  }
}
