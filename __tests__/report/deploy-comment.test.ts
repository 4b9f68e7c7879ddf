import { DEPLOY_MARKER, renderDeployComment } from '../../src/report/deploy-comment.js';
import { PREVIEW_MARKER } from '../../src/report/preview-comment.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { changeSet, entry } from './fixtures.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const SHA = 'fedcba9876543210fedcba9876543210fedcba98';
const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

describe('renderDeployComment', () => {
  it('reports counts, health and duration per environment, and why a deploy failed', () => {
    const body = renderDeployComment({
      sha: SHA,
      runUrl: 'https://github.com/acme/gitops/actions/runs/5',
      environments: [
        {
          name: 'dev',
          status: 'success',
          changeSet: changeSet('dev', [entry('Deployment', 'web', 'update'), entry('ConfigMap', 'c', 'create'), entry('Service', 's', 'unchanged')]),
          health: { healthy: true, timedOut: false, failing: [] },
          durationMs: 12_400,
        },
        {
          name: 'staging',
          status: 'failure',
          changeSet: changeSet('staging', [entry('Deployment', 'web', 'update'), entry('Secret', 'old', 'delete')]),
          health: {
            healthy: false,
            timedOut: true,
            failing: [{ ref: web, status: 'InProgress', message: 'Deployment does not have minimum availability', events: ['Back-off pulling image "web:1.2.4"'], causes: [] }],
          },
          durationMs: 300_000,
        },
        { name: 'prod', status: 'skipped', durationMs: 0, reason: 'staging failed' },
      ],
    }, secrets);
    expect(body.startsWith(DEPLOY_MARKER)).toBe(true);
    expect(body).not.toContain(PREVIEW_MARKER);
    expect(body).toContain('Deploy of `fedcba9` failed');
    expect(body).toContain('| **dev** | ✅ deployed | 1 | 1 | 1 | 0 | ✅ healthy | 12.4 s |');
    expect(body).toContain('| **staging** | ❌ failed | 0 | 1 | 0 | 1 | ⏱️ timed out | 5 min 0 s |');
    expect(body).toContain('| **prod** | ⏭️ skipped | – | – | – | – | ⏭️ skipped | – |');
    expect(body).toContain('- ❌ `Deployment/shop/web` (InProgress): Deployment does not have minimum availability');
    expect(body).toContain('Back-off pulling image "web:1.2.4"');
    expect(body).toContain('Skipped: staging failed');
    expect(body).toContain('[workflow run](https://github.com/acme/gitops/actions/runs/5)');
  });

  it('lists promotions made after the deploy', () => {
    const body = renderDeployComment({
      sha: SHA,
      environments: [{ name: 'dev', status: 'success', durationMs: 1000 }],
      promotions: [
        { source: 'dev', target: 'staging', mode: 'commit', commit: 'a'.repeat(40), changes: [{ image: 'web', from: '1.0', to: '1.1' }] },
        { source: 'staging', target: 'prod', mode: 'pull-request', pullRequestUrl: 'https://github.com/acme/gitops/pull/9', changes: [{ image: 'web', to: '1.1' }] },
      ],
    }, secrets);
    expect(body).toContain('**dev → staging**: commit `aaaaaaa` (1 image)');
    expect(body).toContain('  - `web`: `1.0` → `1.1`');
    expect(body).toContain('**staging → prod**: pull request https://github.com/acme/gitops/pull/9');
  });

  it('stays under the limit with thousands of failing objects and long event logs', () => {
    const failing = Array.from({ length: 4000 }, (_, i) => ({
      ref: { ...web, name: `web-${i}` },
      status: 'Failed' as const,
      message: `container crashed ${'x'.repeat(200)}`,
      events: Array.from({ length: 30 }, (_, j) => `event ${j} ${'y'.repeat(100)}`),
      causes: [],
    }));
    const body = renderDeployComment({
      sha: SHA,
      summaryUrl: 'https://example.test/summary',
      environments: [{ name: 'prod', status: 'failure', health: { healthy: false, timedOut: false, failing }, durationMs: 1 }],
    }, secrets);
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body).toContain('| **prod** | ❌ failed |');
    expect(body).toMatch(/more entries not listed/);
    expect(body).toContain('[job summary](https://example.test/summary)');
  });

  it('shows a failure with its hint on a line of its own', () => {
    const body = renderDeployComment({
      sha: SHA,
      environments: [{ name: 'staging', status: 'failure', durationMs: 1, error: { message: 'promotion from dev failed: envs/staging/version.yml has uncommitted changes.', hint: 'Commit or discard them and promote again.' } }],
    }, secrets);
    expect(body).toContain('❌ promotion from dev failed: envs/staging/version.yml has uncommitted changes.<br>Commit or discard them and promote again.');
  });

  it('masks secrets in error messages and events', () => {
    secrets.add('tok-abcdef-123456');
    const body = renderDeployComment({
      sha: SHA,
      environments: [
        {
          name: 'dev',
          status: 'failure',
          error: { message: 'Unauthorized: tok-abcdef-123456' },
          health: { healthy: false, timedOut: false, failing: [{ ref: web, status: 'Failed', message: 'pull secret tok-abcdef-123456 rejected', events: ['tok-abcdef-123456'], causes: [] }] },
          durationMs: 10,
        },
      ],
    }, secrets);
    expect(body).not.toContain('tok-abcdef-123456');
    expect(body).toContain('Unauthorized: \\*\\*\\*');
  });
});
