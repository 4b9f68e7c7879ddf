/** One line saying why a deploy (or a rollback) failed: what failed to apply, or which objects are unhealthy and the first line of why. */
import { describeRef } from '../model/objects.js';
import type { ApplyOutcome } from '../kube/results.js';
import type { HealthResult } from '../model/health.js';

export function describeFailure(apply: ApplyOutcome, health: HealthResult | undefined): string {
  if (apply.failed.length > 0) {
    return `${apply.failed.length} object(s) failed to apply: ${apply.failed.map((f) => `${describeRef(f.ref)}: ${f.message}`).join('; ')}`;
  }
  const failing = health?.failing ?? [];
  if (health?.timedOut) return `not healthy before the timeout: ${failing.map((f) => `${describeRef(f.ref)} (${f.message}${firstCause(f.causes)})`).join('; ')}`;
  return `unhealthy: ${failing.map((f) => `${describeRef(f.ref)}: ${f.message}${firstCause(f.causes)}`).join('; ')}`;
}

/** The diagnosis's first line, the short answer to "why", for one-line descriptions. */
function firstCause(causes: readonly string[] | undefined): string {
  const first = causes?.[0];
  if (!first) return '';
  return `; ${first.length > 200 ? `${first.slice(0, 200)}…` : first}`;
}
