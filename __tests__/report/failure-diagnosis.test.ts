import { describe, expect, it } from '@jest/globals';
import { renderDeployComment } from '../../src/report/deploy-comment.js';
import { renderJobSummary } from '../../src/report/summary.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const causes = [
  '84 Pods: container app: ImagePullBackOff: image "registry.example.com/web:1.2.4" could not be pulled: Back-off pulling image',
  'Pod web-6b8f9-c0ffe: container app: CrashLoopBackOff: exit code 1 (Error), 6 restarts',
  '  | token=s3cr3t-token-value',
];
const failing = [{ ref: web, status: 'Failed' as const, message: 'Progress deadline exceeded', events: ['Warning ProgressDeadlineExceeded: timed out'], causes }];

describe('the diagnosis in reports', () => {
  it('the deploy comment shows why, masked', () => {
    secrets.add('s3cr3t-token-value');
    const body = renderDeployComment({ sha: 'f'.repeat(40), environments: [{ name: 'prod', status: 'failure', health: { healthy: false, timedOut: false, failing }, durationMs: 1 }] }, secrets);
    expect(body).toContain('<summary>Why</summary>');
    expect(body).toContain('84 Pods: container app: ImagePullBackOff: image "registry.example.com/web:1.2.4"');
    expect(body).toContain('CrashLoopBackOff: exit code 1 (Error), 6 restarts');
    expect(body).toContain('token=***');
    expect(body).not.toContain('s3cr3t-token-value');
  });

  it('the job summary shows why', () => {
    const text = renderJobSummary({ command: 'deploy', environments: [{ name: 'prod', mode: 'cluster', status: 'failure', health: { healthy: false, timedOut: false, failing }, durationMs: 1 } as never] }, secrets);
    expect(text).toContain('84 Pods: container app: ImagePullBackOff');
  });
});

describe('the one-line failure (deployment status description, CLI line)', () => {
  it('carries the first cause of each failing object', async () => {
    const { describeFailure } = await import('../../src/flows/deploy.js');
    const apply = { applied: 1, created: 0, updated: 1, unchanged: 0, deleted: 0, failed: [] };
    expect(describeFailure(apply, { healthy: false, timedOut: false, failing })).toBe(
      'unhealthy: Deployment/shop/web: Progress deadline exceeded; 84 Pods: container app: ImagePullBackOff: image "registry.example.com/web:1.2.4" could not be pulled: Back-off pulling image',
    );
  });
});
