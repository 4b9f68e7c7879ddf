import { describe, expect, it } from '@jest/globals';
import { actionLockHolder, cliLockHolder, randomSuffix } from '../../src/kube/lock-holder.js';

describe('lock holder identity', () => {
  const run = { runUrl: 'https://github.com/acme/app/actions/runs/42', runId: '42', runAttempt: '2', job: 'deploy', runner: 'GitHub Actions 7' };

  it('names the run attempt, job and runner, then the process', () => {
    expect(actionLockHolder(run, { pid: 1841, suffix: '3fa9c2d0' })).toBe('https://github.com/acme/app/actions/runs/42/attempts/2 job deploy on runner "GitHub Actions 7" (pid 1841, 3fa9c2d0)');
    expect(actionLockHolder({ runId: '42' }, { pid: 7, suffix: 'ab' })).toBe('workflow run 42 attempt 1 (pid 7, ab)');
    expect(cliLockHolder('alice', 'laptop', { pid: 5120, suffix: '9c01d2e4' })).toBe('alice@laptop (pid 5120, 9c01d2e4)');
  });

  it('differs between two processes of one run, or one user on one host', () => {
    // Two matrix legs: same run, attempt and job; the runner may even report the same pid.
    const legs = [actionLockHolder(run, { pid: 1841, suffix: randomSuffix() }), actionLockHolder(run, { pid: 1841, suffix: randomSuffix() })];
    expect(legs[0]).not.toBe(legs[1]);
    expect(cliLockHolder('alice', 'laptop', { pid: 1, suffix: randomSuffix() })).not.toBe(cliLockHolder('alice', 'laptop', { pid: 1, suffix: randomSuffix() }));
    expect(randomSuffix()).toMatch(/^[0-9a-f]{8}$/);
  });
});
