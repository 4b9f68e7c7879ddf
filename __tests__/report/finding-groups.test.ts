import type { Finding } from '../../src/model/findings.js';
import { renderPreviewComment } from '../../src/report/preview-comment.js';
import { findingGroupListItem, groupFindings } from '../../src/report/markdown.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const noSchema = (name: string, line: number): Finding => ({
  severity: 'warning',
  rule: 'unknown-kind',
  message: 'no schema for argoproj.io/v1alpha1 Application: add its CRD or a schemas: directory',
  file: 'apps/apps.yaml',
  line,
  object: `Application/argocd/${name}`,
});

describe('grouped findings', () => {
  const findings = Array.from({ length: 14 }, (_, i) => noSchema(`app-${i}`, i * 10 + 1));
  const other: Finding = { severity: 'error', rule: 'schema', message: 'spec.replicas: must be an integer', file: 'apps/web.yaml', line: 9, object: 'Deployment/shop/web' };

  it('14 identical warnings are one group; a different finding stays its own', () => {
    const groups = groupFindings([...findings.slice(0, 7), other, ...findings.slice(7)]);
    expect(groups.map((g) => g.findings.length)).toEqual([14, 1]);
  });

  it('a group is one line with the count and the first objects; a lone finding is unchanged', () => {
    const [group] = groupFindings(findings);
    expect(findingGroupListItem(group)).toBe(
      '- ⚠️ **unknown-kind** ×14: no schema for argoproj.io/v1alpha1 Application: add its CRD or a schemas: directory (Application/argocd/app-0, Application/argocd/app-1, Application/argocd/app-2, … and 11 more in the job summary)\n',
    );
    expect(findingGroupListItem({ first: other, findings: [other] })).toBe('- ❌ `apps/web.yaml:9` **schema**: spec.replicas: must be an integer (Deployment/shop/web)\n');
  });

  it('the preview comment shows the group once', () => {
    const comment = renderPreviewComment({ environments: [{ name: 'argocd', findings, mode: 'render' }], headSha: '0123456789' }, secrets);
    expect(comment.match(/no schema for argoproj.io/g)).toHaveLength(1);
    expect(comment).toContain('**unknown-kind** ×14');
  });
});
