import { parseManifests } from '../../src/render/parse.js';

const rules = (text: string) => parseManifests(text, 'm.yaml').findings.map((f) => f.rule);

describe('parseManifests', () => {
  it('parses every document with the position where it starts, skipping empty ones', () => {
    const text = '# comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\n# only a comment\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: b}\n';
    const { objects, findings } = parseManifests(text, 'envs/dev/a.yaml');
    expect(findings).toEqual([]);
    expect(objects.map((o) => [o.object.kind, o.source])).toEqual([
      ['ConfigMap', { file: 'envs/dev/a.yaml', line: 3, column: 1 }],
      ['Secret', { file: 'envs/dev/a.yaml', line: 10, column: 1 }],
    ]);
  });

  it('reads scalars the way kubectl does (YAML 1.1 octal and booleans, timestamps as strings)', () => {
    const { objects } = parseManifests('apiVersion: v1\nkind: X\nmetadata: {name: a}\ndata: {mode: 0644, flag: yes, when: 2020-01-01, port: "22:22", t: 1:20}\n', 'm.yaml');
    expect(objects[0]!.object.data).toEqual({ mode: 420, flag: true, when: '2020-01-01', port: '22:22', t: '1:20' });
  });

  it('parses JSON through the same path', () => {
    const { objects } = parseManifests('{\n  "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}\n}', 'x.json');
    expect(objects[0]!.object.metadata.name).toBe('j');
    expect(objects[0]!.source).toEqual({ file: 'x.json', line: 1, column: 1 });
  });

  it('flattens kind: List with each item at its own position', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b}\n';
    const { objects } = parseManifests(text, 'l.yaml');
    expect(objects.map((o) => [o.object.metadata.name, o.source?.line, o.source?.column])).toEqual([
      ['a', 4, 5],
      ['b', 7, 5],
    ]);
  });

  it('reports a syntax error with its position', () => {
    const { findings } = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a\n', 'bad.yaml');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'yaml-syntax', severity: 'error', file: 'bad.yaml' });
    expect(findings[0]!.line).toBeGreaterThanOrEqual(4);
  });

  it('reports a duplicate key at the second occurrence and keeps the object', () => {
    const { objects, findings } = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n', 'd.yaml');
    expect(findings).toEqual([expect.objectContaining({ rule: 'yaml-duplicate-key', line: 5, column: 3 })]);
    expect(findings[0]!.message).toContain('"name"');
    expect(objects).toHaveLength(1);
  });

  it('reports tabs used for indentation', () => {
    const { findings, objects } = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n', 't.yaml');
    expect(findings).toEqual([expect.objectContaining({ rule: 'yaml-tab', line: 4, column: 1 })]);
    expect(objects).toEqual([]);
  });

  it('bounds alias expansion: a billion-laughs document is a finding, quickly', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    // Expanded, the document holds 9^12 nodes: stopping at the limit is what lets it finish at all
    // (in milliseconds; the test's timeout is far above that, whatever the machine's load).
    const { findings, objects } = parseManifests(`${levels.join('\n')}\n`, 'bomb.yaml', { maxAliasCount: 100 });
    expect(objects).toEqual([]);
    expect(findings).toEqual([expect.objectContaining({ rule: 'yaml-alias-limit', line: 1 })]);
  }, 30_000);

  it('allows a few aliases', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &l {app: x}\n  annotations: *l\n';
    expect(parseManifests(text, 'a.yaml').objects[0]!.object.metadata.annotations).toEqual({ app: 'x' });
  });

  it('reports documents that are not mappings', () => {
    expect(rules('just a string\n---\n- a\n- b\n')).toEqual(['yaml-not-object', 'yaml-not-object']);
    expect(rules('apiVersion: v1\nkind: List\nitems:\n  - 3\n')).toEqual(['yaml-not-object']);
  });

  it('reports objects without apiVersion or kind', () => {
    const { findings } = parseManifests('---\nmetadata: {name: x}\n', 'k.yaml');
    expect(findings).toEqual([expect.objectContaining({ rule: 'yaml-missing-kind', line: 2 })]);
    expect(findings[0]!.message).toMatch(/apiVersion and no kind/);
  });

  it('leaves source undefined when there is no file', () => {
    expect(parseManifests('apiVersion: v1\nkind: X\nmetadata: {name: a}\n', undefined).objects[0]!.source).toBeUndefined();
  });
});
