/** A rollback in every report: the deploy comment, the job summary, the JSON report and the terminal. */
import { describe, expect, it } from '@jest/globals';
import { renderDeployComment } from '../../src/report/deploy-comment.js';
import { buildJsonReport } from '../../src/report/json-report.js';
import { rollbackText, type RollbackReport } from '../../src/report/rollback.js';
import { renderJobSummary } from '../../src/report/summary.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it. */
const secrets = new SecretMask();

const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const canary = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-canary' };
const flags = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'shared-flags' };
const failing = [{ ref: web, status: 'Failed' as const, message: 'Deployment not available', events: [], causes: ['2 Pods: container web: ImagePullBackOff: image "registry.example.com/shop/web:1.5.0" could not be pulled'] }];
const error = 'unhealthy: Deployment/shop/web: Deployment not available; 2 Pods: container web: ImagePullBackOff';
const good = '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d';

const rolledBack: RollbackReport = { status: 'rolled-back', commit: good, summary: 'rolled back to 1a2b3c4d5e6f and healthy (2 applied, 1 pruned, 1 kept (existed before))', pruned: [canary], kept: [flags], health: { healthy: true, timedOut: false, failing: [] } };
const rollbackFailed: RollbackReport = {
  status: 'failed',
  commit: good,
  summary: 'rollback to 1a2b3c4d5e6f failed: unhealthy: Deployment/shop/web: Deployment not available',
  pruned: [],
  kept: [],
  health: { healthy: false, timedOut: false, failing: [{ ref: web, status: 'Failed', message: 'Deployment not available', events: [], causes: ['2 Pods: container web: ImagePullBackOff: image "registry.example.com/shop/web:1.4.0" could not be pulled'] }] },
};
const env = (rollback: RollbackReport) => ({ name: 'prod', status: 'failure' as const, health: { healthy: false, timedOut: false, failing }, durationMs: 1000, error: { message: error }, rollback });

describe('a rollback in the reports', () => {
  it('the deploy comment shows the failure, then what the rollback did and to which commit', () => {
    const body = renderDeployComment({ sha: 'f'.repeat(40), environments: [env(rolledBack)] }, secrets);
    expect(body).toContain('| **prod** | ❌ failed, ↩️ rolled back to 1a2b3c4 |');
    const why = body.indexOf(`❌ ${error}`);
    const rollback = body.indexOf('↩️ **Rollback**: rolled back to 1a2b3c4d5e6f and healthy (2 applied, 1 pruned, 1 kept (existed before))');
    expect(why).toBeGreaterThan(0);
    expect(rollback).toBeGreaterThan(why);
    expect(body).toContain('- deleted (created by the failed deploy): `ConfigMap/shop/web-canary`');
    expect(body).toContain('- kept (existed before the failed deploy): `ConfigMap/shop/shared-flags`');
    expect(body).toContain('<summary>Why</summary>');
  });

  it('a failed rollback says so and why, in the comment and the job summary', () => {
    const body = renderDeployComment({ sha: 'f'.repeat(40), environments: [env(rollbackFailed)] }, secrets);
    expect(body).toContain('❌ failed, ❌ rollback failed');
    expect(body).toContain('❌ **Rollback**: rollback to 1a2b3c4d5e6f failed: unhealthy: Deployment/shop/web: Deployment not available');
    expect(body).toContain('- ❌ `Deployment/shop/web` (Failed): Deployment not available - 2 Pods: container web: ImagePullBackOff: image &quot;registry.example.com/shop/web:1.4.0&quot; could not be pulled');
    const summary = renderJobSummary({ command: 'deploy', environments: [{ ...env(rollbackFailed), mode: 'cluster' }] }, secrets);
    expect(summary).toContain('❌ failure, ❌ rollback failed');
    expect(summary).toContain('❌ **Rollback**: rollback to 1a2b3c4d5e6f failed');
    expect(summary).toContain('could not be pulled');
  });

  it('nothing to roll back to is said plainly', () => {
    const nothing: RollbackReport = { status: 'nothing', summary: 'nothing to roll back to: no healthy deploy of prod is recorded', pruned: [], kept: [] };
    const body = renderDeployComment({ sha: 'f'.repeat(40), environments: [env(nothing)] }, secrets);
    expect(body).toContain('⚠️ nothing to roll back to');
    expect(body).toContain('⚠️ **Rollback**: nothing to roll back to: no healthy deploy of prod is recorded');
    expect(rollbackText(nothing)).toEqual(['rollback: nothing to roll back to: no healthy deploy of prod is recorded']);
  });

  it('the JSON report carries the rollback with objects named', () => {
    const report = buildJsonReport({ command: 'deploy', ok: false, environments: [{ ...env(rolledBack), mode: 'cluster' }] }, secrets);
    expect(report.environments[0]?.rollback).toEqual({
      status: 'rolled-back',
      commit: good,
      summary: rolledBack.summary,
      pruned: ['ConfigMap/shop/web-canary'],
      kept: ['ConfigMap/shop/shared-flags'],
      healthy: true,
      failing: [],
    });
  });

  it('the terminal lists what was deleted and kept', () => {
    expect(rollbackText(rolledBack)).toEqual([
      `rollback: ${rolledBack.summary}`,
      '  deleted (created by the failed deploy): ConfigMap/shop/web-canary',
      '  kept (existed before the failed deploy): ConfigMap/shop/shared-flags',
    ]);
  });
});
