import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildJsonReport, writeJsonReport } from '../../src/report/json-report.js';
import { SecretMask } from '../../src/exec/secrets.js';
import type { ChangeEntry } from '../../src/model/changeset.js';
import { changeSet, diffOf, entry } from './fixtures.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

describe('JSON report', () => {
  const secretEntry: ChangeEntry = {
    ...entry('Secret', 'db', 'update', '-  password: *** (before)\n+  password: *** (after)\n'),
    desired: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'c3VwZXItc2VjcmV0' } },
    live: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'b2xkLXNlY3JldA==' } },
  };

  it('lists every object with its action, and counts, findings and promotions', () => {
    const report = buildJsonReport({
      command: 'deploy',
      ok: true,
      sha: 'a'.repeat(40),
      affected: ['dev'],
      startedAt: new Date('2026-11-22T10:00:00Z'),
      environments: [
        {
          name: 'dev',
          status: 'success',
          changeSet: changeSet('dev', [entry('Deployment', 'web', 'update', diffOf(1)), entry('Service', 'web', 'unchanged'), secretEntry]),
          findings: [{ severity: 'warning', rule: 'image-tag', message: 'latest' }],
          health: { healthy: true, timedOut: false, failing: [] },
        },
      ],
      promotions: [{ source: 'dev', target: 'staging', mode: 'commit', commit: 'b'.repeat(40), changes: [{ image: 'web', to: '1.1' }] }],
    }, secrets);
    expect(report).toMatchObject({ tool: 'slipway', version: 1, command: 'deploy', ok: true, changed: true, startedAt: '2026-11-22T10:00:00.000Z' });
    const [dev] = report.environments;
    expect(dev.counts).toEqual({ create: 0, update: 2, unchanged: 1, delete: 0, error: 0 });
    expect(dev.actions.map((a) => `${a.action} ${a.object}`)).toEqual(['update Deployment/shop/web', 'unchanged Service/shop/web', 'update Secret/shop/db']);
    expect(dev.actions[0].diff).toContain('+++ desired');
    expect(report.promotions[0].target).toBe('staging');
  });

  it('never includes object bodies, nor any diff of a Secret', () => {
    const report = buildJsonReport({ command: 'preview', ok: true, environments: [{ name: 'dev', changeSet: changeSet('dev', [secretEntry]) }] }, secrets);
    const text = JSON.stringify(report);
    expect(text).not.toContain('c3VwZXItc2VjcmV0');
    expect(text).not.toContain('b2xkLXNlY3JldA==');
    expect(text).not.toMatch(/"(live|desired)"/);
    expect(report.environments[0].actions[0]).not.toHaveProperty('diff');
  });

  it('masks registered secrets, including ones that JSON would escape', async () => {
    secrets.add('tok"en\\with-quotes');
    const report = buildJsonReport({ command: 'deploy', ok: false, environments: [{ name: 'dev', error: { message: 'rejected tok"en\\with-quotes' } }] }, secrets);
    expect(report.environments[0].error).toBe('rejected ***');
    const dir = await mkdtemp(join(tmpdir(), 'slipway-report-'));
    try {
      const path = await writeJsonReport(report, { dir });
      expect(path.startsWith(dir)).toBe(true);
      const parsed = JSON.parse(await readFile(path, 'utf8'));
      expect(parsed.environments[0].error).toBe('rejected ***');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
