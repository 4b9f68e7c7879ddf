import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderJobSummary, writeJobSummary } from '../../src/report/summary.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { changeSet, diffOf, entry } from './fixtures.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const MiB = 1024 * 1024;

describe('renderJobSummary', () => {
  it('holds the table, findings and every diff', () => {
    const text = renderJobSummary({
      command: 'preview',
      sha: 'abcdef1234567890abcdef1234567890abcdef12',
      totalMs: 4200,
      runUrl: 'https://github.com/acme/gitops/actions/runs/1',
      environments: [
        {
          name: 'dev',
          status: 'previewed',
          mode: 'cluster',
          changeSet: changeSet('dev', [entry('Deployment', 'web', 'update', diffOf(3)), entry('Service', 'web', 'unchanged')]),
          findings: [{ severity: 'error', rule: 'schema', message: 'spec.replicas: expected integer', file: 'envs/dev/web.yaml', line: 7 }],
          durationMs: 2030,
        },
      ],
    }, secrets);
    expect(text).toContain('## Slipway preview');
    expect(text).toContain('| **dev** | previewed | 0 | 1 | 0 | 1 | ❌ 1 | 2.0 s |');
    expect(text).toContain('spec.replicas: expected integer');
    expect(text).toContain('envs/dev/web.yaml:7');
    expect(text).toContain('#### dev (against the cluster)');
    expect(text).toContain('```diff\n--- live');
  });

  it('stays within 1 MiB of UTF-8 bytes when diffs are full of multibyte characters', () => {
    // "€" is 1 UTF-16 unit but 3 UTF-8 bytes: counting characters would overshoot the byte limit threefold.
    const wide = (lines: number) => diffOf(lines, 40).replace(/[ab]/g, '€');
    const entries = [
      ...Array.from({ length: 30 }, (_, i) => entry('ConfigMap', `big-${i}`, 'update', wide(300))),
      ...Array.from({ length: 30 }, (_, i) => entry('ConfigMap', `small-${i}`, 'update', wide(2))),
    ];
    const text = renderJobSummary({ command: 'preview', environments: [{ name: 'dev', mode: 'cluster', changeSet: changeSet('dev', entries) }] }, secrets);
    expect(text.length).toBeLessThan(MiB);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MiB);
    expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(MiB / 2);
    expect(text).toMatch(/\*\*\d+ diffs left out\*\* to stay within GitHub's 1 MiB summary limit/);
    for (let i = 0; i < 30; i++) expect(text).toContain(`<code>ConfigMap/shop/small-${i}</code></summary>`);
  });

  it('stays within the limit with tens of thousands of resources', () => {
    const environments = Array.from({ length: 20 }, (_, e) => ({
      name: `env-${e}`,
      changeSet: changeSet(`env-${e}`, Array.from({ length: 2000 }, (_, i) => entry('ConfigMap', `c-${i}`, 'update', diffOf(10)))),
    }));
    const text = renderJobSummary({ command: 'drift', environments }, secrets);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MiB);
    expect(text).toContain('| **env-19** |');
  });

  it('masks registered secrets', () => {
    secrets.add('P@ssw0rd-very-secret');
    const text = renderJobSummary({
      command: 'deploy',
      environments: [{ name: 'dev', status: 'failure', error: { message: 'login failed for P@ssw0rd-very-secret' }, changeSet: changeSet('dev', [entry('ConfigMap', 'c', 'update', '+ token: P@ssw0rd-very-secret\n')]) }],
    }, secrets);
    expect(text).not.toContain('P@ssw0rd-very-secret');
  });

  it('appends to GITHUB_STEP_SUMMARY, and does nothing outside Actions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slipway-summary-'));
    try {
      const file = join(dir, 'summary.md');
      expect(await writeJobSummary('# one\n', file, secrets)).toBe(true);
      expect(await writeJobSummary('# two\n', file, secrets)).toBe(true);
      expect(await readFile(file, 'utf8')).toBe('# one\n# two\n');
      expect(await writeJobSummary('x', '', secrets)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
