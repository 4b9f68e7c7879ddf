import { describe, expect, it } from '@jest/globals';
import { progressLine, progressReporter } from '../../src/kube/wait-progress.js';
import type { ObjectHealth } from '../../src/model/health.js';
import { FakeClock } from '../support/clock.js';

const health = (kind: string, name: string, status: ObjectHealth['status']): ObjectHealth => ({ ref: { group: '', version: 'v1', kind, namespace: 'web', name }, status, message: '' });

function fleet(available: number, failed: number): ObjectHealth[] {
  return [
    ...Array.from({ length: 84 }, (_, i) => health('Deployment', `d${i}`, i < available ? 'Current' : i < available + failed ? 'Failed' : 'InProgress')),
    health('Service', 's1', 'Current'),
    health('ConfigMap', 'c1', 'Current'),
    health('StatefulSet', 'db', 'InProgress'),
  ];
}

describe('progressLine', () => {
  it('counts per kind instead of listing names', () => {
    expect(progressLine(fleet(12, 3))).toBe('12/84 Deployments available, 3 failed; 0/1 StatefulSet ready; 2 other objects healthy');
    expect(progressLine([health('Job', 'migrate', 'InProgress'), health('Ingress', 'i', 'NotFound'), health('Ingress', 'j', 'Current')])).toBe('1/2 Ingresses ready, 1 not found; 0/1 Job complete');
  });
});

describe('progressReporter', () => {
  it('logs every few seconds on the clock, and an unchanged line only after a longer pause', async () => {
    const clock = new FakeClock();
    const lines: string[] = [];
    const report = progressReporter(clock, (line) => lines.push(line), { intervalMs: 5_000, repeatMs: 30_000 });
    report(fleet(0, 0)); // at 0 s: too early
    await clock.sleep(5_000);
    report(fleet(10, 0));
    await clock.sleep(2_000);
    report(fleet(11, 0)); // 2 s later: too soon
    await clock.sleep(5_000);
    report(fleet(12, 0));
    await clock.sleep(5_000);
    report(fleet(12, 0)); // same line, 5 s later: not repeated
    await clock.sleep(30_000);
    report(fleet(12, 0)); // same line after 35 s: repeated
    expect(lines).toEqual([
      '10/84 Deployments available; 0/1 StatefulSet ready; 2 other objects healthy (5 s)',
      '12/84 Deployments available; 0/1 StatefulSet ready; 2 other objects healthy (12 s)',
      '12/84 Deployments available; 0/1 StatefulSet ready; 2 other objects healthy (47 s)',
    ]);
  });
});
