import type { Finding } from '../../src/model/findings.js';
import { findingsMarkdownTable, findingsToAnnotations, formatFindingsText, formatTotals } from '../../src/report/findings.js';

const findings: Finding[] = [
  { severity: 'warning', rule: 'image-tag', message: 'container "web" image "nginx" has no tag', file: 'envs/dev/b.yaml', line: 9, column: 18, object: 'Deployment/apps/web', environment: 'dev' },
  { severity: 'error', rule: 'schema', message: 'spec.replicas: expected integer, got string', file: 'envs/dev/a.yaml', line: 5, column: 3, object: 'Deployment/apps/api' },
  { severity: 'notice', rule: 'unknown-kind', message: 'no schema for x/v1 Thing' },
  { severity: 'error', rule: 'deprecated-api', message: 'a | b `c`', file: 'envs/dev/a.yaml', line: 1 },
];

describe('formatFindingsText', () => {
  it('groups by file in order, one line per finding, with totals', () => {
    const text = formatFindingsText(findings, { color: false });
    expect(text).toBe(
      [
        'envs/dev/a.yaml',
        '  envs/dev/a.yaml:1  error    deprecated-api  a | b `c`',
        '  envs/dev/a.yaml:5:3  error    schema  spec.replicas: expected integer, got string  (Deployment/apps/api)',
        '',
        'envs/dev/b.yaml',
        '  envs/dev/b.yaml:9:18  warning  image-tag  container "web" image "nginx" has no tag  (Deployment/apps/web, env dev)',
        '',
        '(no file)',
        '  -  notice   unknown-kind  no schema for x/v1 Thing',
        '',
        '2 errors, 1 warning, 1 notice',
        '',
      ].join('\n'),
    );
  });

  it('colours severities only when asked', () => {
    expect(formatFindingsText(findings, { color: true })).toContain('\u001b[31merror');
    expect(formatFindingsText(findings, { color: false })).not.toContain('\u001b[');
  });

  it('says so when there is nothing to report', () => {
    expect(formatFindingsText([], { color: false })).toBe('No problems found.\n');
    expect(formatTotals([])).toBe('0 errors, 0 warnings, 0 notices');
  });
});

describe('findingsToAnnotations', () => {
  it('maps severity, title and position for @actions/core', () => {
    const annotations = findingsToAnnotations(findings);
    expect(annotations[0]).toEqual({ level: 'error', title: 'Slipway deprecated-api', message: 'a | b `c`', file: 'envs/dev/a.yaml', startLine: 1 });
    expect(annotations[1]).toEqual({
      level: 'error',
      title: 'Slipway schema',
      message: 'spec.replicas: expected integer, got string (Deployment/apps/api)',
      file: 'envs/dev/a.yaml',
      startLine: 5,
      startColumn: 3,
    });
    expect(annotations[2].title).toBe('Slipway image-tag (dev)');
    expect(annotations[3]).toEqual({ level: 'notice', title: 'Slipway unknown-kind', message: 'no schema for x/v1 Thing' });
  });
});

describe('findingsMarkdownTable', () => {
  it('escapes pipes and backticks so each finding stays one row', () => {
    const table = findingsMarkdownTable(findings, 10);
    const rows = table.trim().split('\n');
    expect(rows).toHaveLength(2 + findings.length);
    expect(rows[2]).toContain('a \\| b \\`c\\`');
    expect(rows[2]).toContain('`envs/dev/a.yaml:1`');
  });

  it('truncates with a count of what was left out', () => {
    const many: Finding[] = Array.from({ length: 30 }, (_, i) => ({ severity: 'error', rule: 'schema', message: `m${i}`, file: 'f.yaml', line: i + 1 }));
    const table = findingsMarkdownTable(many, 10);
    expect(table.split('\n').filter((l) => l.startsWith('| ❌'))).toHaveLength(10);
    expect(table).toContain('…and 20 more findings not shown (30 errors, 0 warnings, 0 notices in all).');
  });

  it('has a line for no findings', () => {
    expect(findingsMarkdownTable([], 10)).toBe('_No validation findings._\n');
  });
});
