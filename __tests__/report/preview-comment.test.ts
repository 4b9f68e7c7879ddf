import { renderPreviewComment, PREVIEW_MARKER } from '../../src/report/preview-comment.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { changeSet, diffOf, entry } from './fixtures.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const SHA = '0123456789abcdef0123456789abcdef01234567';
const SUMMARY = 'https://github.com/acme/gitops/actions/runs/9';

describe('renderPreviewComment', () => {
  it('starts with the marker, then a table, then collapsible diffs per resource', () => {
    const body = renderPreviewComment({
      headSha: SHA,
      runUrl: SUMMARY,
      environments: [
        {
          name: 'dev',
          mode: 'cluster',
          changeSet: changeSet('dev', [
            entry('Deployment', 'web', 'update', diffOf(2)),
            entry('ConfigMap', 'cfg', 'create', diffOf(1)),
            entry('Service', 'web', 'unchanged'),
          ]),
          findings: [{ severity: 'warning', rule: 'image-tag', message: 'image web uses :latest', file: 'envs/dev/web.yaml', line: 12 }],
        },
        { name: 'prod', mode: 'render', changeSet: changeSet('prod', [entry('Service', 'web', 'delete', diffOf(1))], 'render'), findings: [] },
      ],
    }, secrets);
    expect(body.startsWith(PREVIEW_MARKER)).toBe(true);
    expect(body).toContain('| Environment | Create | Update | Delete | Unchanged | Validation | Diff against |');
    expect(body).toContain('| **dev** | 1 | 1 | 0 | 1 | ⚠️ 1 | cluster |');
    expect(body).toContain('| **prod** | 0 | 0 | 1 | 0 | ✅ | base render |');
    expect(body).toContain('<details><summary>🟡 update <code>Deployment/shop/web</code></summary>');
    expect(body).toContain('```diff\n--- live');
    expect(body).toContain('`envs/dev/web.yaml:12` **image-tag**: image web uses :latest');
    expect(body.indexOf('| **dev**')).toBeLessThan(body.indexOf('<details>'));
    expect(body).not.toContain('Service/shop/web</code></summary>\n\n```diff\n---'.replace('Service', 'unchanged'));
    expect(body).not.toContain('not shown');
  });

  it('says so when no environment changes', () => {
    const body = renderPreviewComment({
      headSha: SHA,
      environments: [{ name: 'dev', mode: 'cluster', changeSet: changeSet('dev', [entry('Service', 'web', 'unchanged')]), findings: [] }],
    }, secrets);
    expect(body.startsWith(PREVIEW_MARKER)).toBe(true);
    expect(body).toContain('No environment changes');
    expect(body).not.toContain('<details>');
  });

  it('uses a longer fence when a diff contains one', () => {
    const diff = '--- live\n+++ desired\n@@ -1 +1 @@\n ```\n-old\n+new\n ````\n';
    const body = renderPreviewComment({
      headSha: SHA,
      environments: [{ name: 'dev', mode: 'cluster', changeSet: changeSet('dev', [entry('ConfigMap', 'docs', 'update', diff)]), findings: [] }],
    }, secrets);
    expect(body).toContain('`````diff\n--- live');
    expect(body).toContain(' ````\n`````\n');
  });

  it('drops the largest diffs first, keeps their summary lines and names them', () => {
    const small = Array.from({ length: 20 }, (_, i) => entry('ConfigMap', `small-${i}`, 'update', diffOf(3)));
    const big = [entry('ConfigMap', 'huge-b', 'update', diffOf(500)), entry('ConfigMap', 'huge-a', 'update', diffOf(600))];
    const body = renderPreviewComment({
      headSha: SHA,
      summaryUrl: SUMMARY,
      environments: [{ name: 'dev', mode: 'cluster', changeSet: changeSet('dev', [...big, ...small]), findings: [] }],
    }, secrets);
    expect(body.length).toBeLessThanOrEqual(65000);
    expect(body).toContain('**2 diffs not shown**');
    expect(body).toMatch(/largest first: dev: ConfigMap\/shop\/huge-a, dev: ConfigMap\/shop\/huge-b\)/);
    expect(body).toContain('🟡 update <code>ConfigMap/shop/huge-a</code>: diff not shown here (1203 lines)');
    for (let i = 0; i < 20; i++) expect(body).toContain(`<code>ConfigMap/shop/small-${i}</code></summary>`);
    expect(body).toContain(`[job summary](${SUMMARY})`);
  });

  it('stays under the limit for 5,000 resources with big diffs in many environments', () => {
    const environments = Array.from({ length: 10 }, (_, e) => ({
      name: `env-${e}`,
      mode: 'cluster' as const,
      changeSet: changeSet(
        `env-${e}`,
        Array.from({ length: 500 }, (_, i) => entry('ConfigMap', `config-map-with-a-long-name-${i}`, 'update', diffOf(50))),
      ),
      findings: [],
    }));
    // Linear in the input (35 MB of diffs): a budget that re-rendered the body per dropped
    // resource would not finish within the test's timeout.
    const body = renderPreviewComment({ headSha: SHA, summaryUrl: SUMMARY, environments }, secrets);
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body.startsWith(PREVIEW_MARKER)).toBe(true);
    expect(body).toContain('| **env-9** | 0 | 500 |');
    expect(body).toMatch(/changed resources not listed/);
    expect(balanced(body, '<details>', '</details>')).toBe(true);
    expect(balanced(body, '<details><summary>', '</details>')).toBe(true)
  }, 60_000);


  it('cuts the table itself when there are thousands of environments', () => {
    const environments = Array.from({ length: 3000 }, (_, e) => ({
      name: `environment-number-${e}`,
      mode: 'render' as const,
      changeSet: changeSet(`e${e}`, [entry('ConfigMap', 'c', 'update', diffOf(5))], 'render'),
      findings: [],
    }));
    const body = renderPreviewComment({ headSha: SHA, environments }, secrets);
    expect(body.length).toBeLessThanOrEqual(65536);
    expect(body).toMatch(/and \d+ more environments/);
    expect(body).not.toContain('<details>');
  });

  it('never shows a registered secret, even when it is in a diff or an error', () => {
    secrets.add('hunter2-password-value');
    const body = renderPreviewComment({
      headSha: SHA,
      environments: [
        {
          name: 'dev',
          mode: 'cluster',
          changeSet: changeSet('dev', [entry('Secret', 'db', 'update', '-  password: hunter2-password-value\n+  password: ***\n')]),
          findings: [],
          error: { message: 'connection refused with token hunter2-password-value' },
        },
      ],
    }, secrets);
    expect(body).not.toContain('hunter2-password-value');
    expect(body).not.toContain(Buffer.from('hunter2-password-value').toString('base64'));
  });

  it('shows environments that could not be previewed or were skipped', () => {
    const body = renderPreviewComment({
      headSha: SHA,
      environments: [
        { name: 'dev', mode: 'cluster', findings: [], error: { message: 'kustomize build failed: missing resource <x>' } },
        { name: 'prod', mode: 'render', findings: [], skippedReason: 'fork pull request' },
      ],
    }, secrets);
    expect(body).toContain('| **dev** | – | – | – | – | ✅ | ❌ could not diff |');
    expect(body).toContain('| **prod** | – | – | – | – | ✅ | skipped: fork pull request |');
    expect(body).not.toContain('<b>prod</b>');
    expect(body).toContain('❌ **Could not preview**: kustomize build failed: missing resource &lt;x&gt;');
  });

  it('does not report "no changes" when every environment was skipped', () => {
    const body = renderPreviewComment({ headSha: SHA, environments: [{ name: 'prod', mode: 'render', findings: [], skippedReason: 'no credentials' }] }, secrets);
    expect(body).not.toContain('No environment changes');
    expect(body).toContain('skipped: no credentials');
  });
});

function balanced(text: string, open: string, close: string): boolean {
  return text.split(open).length - 1 === text.split(close).length - 1;
}
