/**
 * Progress while waiting, as counts per kind (`12/84 Deployments available, 3 failed`) rather
 * than the same list of names again: one line every few seconds on the injected clock, and an
 * unchanged line only after a longer pause, so a long wait says it is alive without flooding the log.
 */

import type { Clock } from './wait-api.js';
import type { ObjectHealth } from '../model/health.js';

/** What "healthy" is called per kind in the line; anything else is "ready". */
const HEALTHY_WORD: Record<string, string> = { Deployment: 'available', DaemonSet: 'available', Job: 'complete', PersistentVolumeClaim: 'bound' };

function plural(kind: string, count: number): string {
  if (count === 1) return kind;
  if (/(s|x|ch|sh)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

/** One line of counts: kinds with something still pending first, then how many other objects are healthy. */
export function progressLine(objects: readonly ObjectHealth[]): string {
  const byKind = new Map<string, ObjectHealth[]>();
  for (const o of objects) byKind.set(o.ref.kind, [...(byKind.get(o.ref.kind) ?? []), o]);
  const parts: string[] = [];
  let settled = 0;
  for (const [kind, list] of [...byKind].sort(([a], [b]) => a.localeCompare(b))) {
    const current = list.filter((o) => o.status === 'Current').length;
    if (current === list.length) {
      settled += list.length;
      continue;
    }
    const failed = list.filter((o) => o.status === 'Failed').length;
    const missing = list.filter((o) => o.status === 'NotFound').length;
    const extra = [failed ? `${failed} failed` : '', missing ? `${missing} not found` : ''].filter(Boolean);
    parts.push(`${current}/${list.length} ${plural(kind, list.length)} ${HEALTHY_WORD[kind] ?? 'ready'}${extra.length ? `, ${extra.join(', ')}` : ''}`);
  }
  if (parts.length === 0) return `all ${objects.length} objects healthy`;
  if (settled > 0) parts.push(`${settled} other object${settled === 1 ? '' : 's'} healthy`);
  return parts.join('; ');
}

export interface ProgressOptions {
  /** Least time between two lines. Default 5 s. */
  intervalMs?: number;
  /** An unchanged line is repeated only after this long. Default 30 s. */
  repeatMs?: number;
}

/** Returns a function to call after each round; it logs a line when one is due. */
export function progressReporter(clock: Clock, log: (line: string) => void, options: ProgressOptions = {}): (objects: readonly ObjectHealth[]) => void {
  const interval = options.intervalMs ?? 5_000;
  const repeat = options.repeatMs ?? 30_000;
  const started = clock.now();
  let lastAt = started;
  let lastLine = '';
  return (objects) => {
    const now = clock.now();
    if (now - lastAt < interval) return;
    const line = progressLine(objects);
    if (line === lastLine && now - lastAt < repeat) return;
    lastAt = now;
    lastLine = line;
    log(`${line} (${Math.round((now - started) / 1000)} s)`);
  };
}
