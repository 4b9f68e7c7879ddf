/**
 * After a deploy, the counts shown are what was done, not what was planned: a refused prune
 * deletes nothing, so no report may say "6 deleted".
 */
import { printOutcome } from '../../src/cli/print.js';
import type { CliArgs } from '../../src/cli/args.js';
import type { DeployResult } from '../../src/flows/deploy.js';
import type { RunOutcome } from '../../src/flows/run.js';
import { renderDeployComment } from '../../src/report/deploy-comment.js';
import { buildJsonReport } from '../../src/report/json-report.js';
import { renderJobSummary } from '../../src/report/summary.js';
import { changeSet, entry } from './fixtures.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const planned = changeSet('prod', [entry('ConfigMap', 'fresh', 'create'), ...['a', 'b', 'c', 'd', 'e', 'f'].map((name) => entry('ConfigMap', name, 'delete'))]);
const refusal = 'prune refused: it would delete 6 of the 6 objects in the inventory (more than prune.maxShare 50%); pass --force-prune';
const apply = {
  applied: 1,
  created: 1,
  updated: 0,
  unchanged: 0,
  deleted: 0,
  failed: [{ ref: { group: '', version: 'v1', kind: 'Secret', namespace: 'prod', name: 'slipway-prod' }, message: refusal }],
};
const deploy: DeployResult = {
  environments: [{ name: 'prod', status: 'failure', findings: [], changeSet: planned, apply, durationMs: 1200, error: { message: `1 object(s) failed to apply: ${refusal}` } }],
  promotions: [],
  blockingFindings: [],
  ok: false,
};

describe('counts after a refused prune', () => {
  it('the CLI prints what was done', () => {
    let out = '';
    const args = { command: 'apply', json: false, color: false } as CliArgs;
    printOutcome({ command: 'deploy', ok: false, affected: ['prod'], deploy } as unknown as RunOutcome, args, { stdout: (t) => void (out += t), stderr: () => undefined, isTty: false });
    expect(out).toContain('prod: failure (1 created, 0 updated, 0 deleted, 0 unchanged');
    expect(out).not.toContain('6 deleted');
  });

  it('the job summary row counts what was done', () => {
    const text = renderJobSummary({ command: 'deploy', environments: deploy.environments.map((e) => ({ ...e, mode: 'cluster' })) }, secrets);
    expect(text).toMatch(/\| \*\*prod\*\* \| ❌ failure \| 1 \| 0 \| 0 \| 0 \|/);
  });

  it('the deploy comment counts what was done', () => {
    const body = renderDeployComment({ environments: deploy.environments, sha: 'a'.repeat(40), dryRun: false, promotions: [] }, secrets);
    const row = body.split('\n').find((line) => line.includes('prod') && line.startsWith('|')) ?? '';
    expect(row).not.toContain('| 6 |');
    expect(row).toMatch(/\| 1 \| 0 \| 0 \| 0 \|/);
  });

  it('the JSON report counts what was done', () => {
    const report = buildJsonReport({
      command: 'deploy',
      ok: false,
      sha: 'a'.repeat(40),
      dryRun: false,
      startedAt: new Date(0),
      finishedAt: new Date(1000),
      affected: ['prod'],
      environments: deploy.environments.map((e) => ({ ...e, mode: 'cluster' as const })),
      promotions: [],
    }, secrets);
    expect(report.environments[0].counts).toEqual({ create: 1, update: 0, delete: 0, unchanged: 0, error: 1 });
  });
});
