/**
 * The fast path (js-yaml) must give exactly what the slow path (`yaml` package) gives: the same
 * objects, source positions, findings and key locations, for every input.
 */
import { parseManifests } from '../../src/render/parse.js';
import { parseManifestsFast } from '../../src/render/parse-fast.js';
import { locateKey } from '../../src/model/key-locations.js';

const OBJECT = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n';
const withData = (data: string) => `${OBJECT}data:\n${data}`;

const SCALARS = [
  '0644', '0o644', '089', '0_', '00', '0', '-0', '+0', '+12', '-12', '1_000', '0b1010', '-0b11', '0x1F', '0x_1f', '-0xff', '0xG',
  '12345678901234567890', '1.5', '1.', '.5', '-.5', '+.5', '1.50', '1_0.5', '1e3', '1E+3', '.5e-2', '1e', '.', '-.', '.inf', '-.Inf',
  '+.INF', '.nan', '.NaN', '.NAN', '.Nan', 'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO', 'true', 'True', 'TRUE',
  'tRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL', 'nULL', '', '1:20',
  '190:20:30.15', '2020-01-01', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', 'v1.2', '1.2.3', '10Gi', '100m', '25%',
  '"0644"', "'yes'", '"~"', '"null"', "'it''s'", '"a\\tb\\u00e9\\x41\\/"', '"line\\\n    joined"', 'http://a:b/c?d=e&f', 'a b  c',
  '-x', ':x', '?x', 'x#y', '[0644, yes, ~, 0x1f, 1e3]', '{y: n, on: 1, 0644: x}', '[]', '{}', '[a: 1, b]',
];

const CASES: Record<string, string> = {
  'a single object': OBJECT,
  'every scalar spelling': withData(SCALARS.map((s, i) => `  k${i}: ${s}\n`).join('')),
  'scalars in flow collections': withData(`  all: [${SCALARS.filter((s) => !/[[{:#?]/.test(s) && s !== '').join(', ')}]\n`),
  'scalars as keys': withData(['0644', '0x10', 'yes', 'no', 'on', 'off', 'y', 'n', '1.0', '.inf', '-0', 'true', '2020-01-01'].map((k) => `  ${k}: ${k}\n`).join('')),
  'keys like on, y and no': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: k}\non: push\ny: 1\nno: 2\nN: 3\nOff: 4\n',
  'null and empty keys': 'apiVersion: v1\nkind: X\nmetadata: {name: k}\n~: a\nnull: b\ndata: {: c}\n',
  'null values': 'apiVersion: v1\nkind: X\nmetadata:\n  name: n\n  creationTimestamp: null\nspec: ~\nstatus:\n',
  'block scalars': withData('  lit: |\n    a\n      b\n\n    c\n  strip: |-\n    x\n\n  keep: |+\n    x\n\n  fold: >\n    a\n    b\n\n      more\n    c\n  ind: |2\n     lead\n    x\n  empty: |\n  after: 1\n'),
  'quoted and multi-line scalars': withData('  dq: "a \\"b\\" \\\\ c"\n  sq: \'it\'\'s\'\n  plain: one\n    two\n\n    three\n  dqm: "one\n    two"\n'),
  'comments everywhere': '# head\n\n---   # marker comment\n# before\napiVersion: v1 # trailing\nkind: ConfigMap\nmetadata: # c\n  name: c # c\ndata: {a: 1} # c\n# tail\n',
  'marker variants and empty documents': `---\n---\n# only a comment\n---\n${OBJECT}---\n\n---   \n${OBJECT.replace('cm', 'cm2')}...\n# after end\n---\n${OBJECT.replace('cm', 'cm3')}...\n`,
  'a bare document after an end marker': `${OBJECT}...\n${OBJECT.replace('cm', 'cm2')}`,
  'indented first document': `---\n  # c\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: i}\n`,
  'no final newline': OBJECT.trimEnd(),
  'CRLF line ends': `${OBJECT}data:\n  a: |\n    x\n    y\n  b: "q\n    r"\n---\n${OBJECT}`.replace(/\n/g, '\r\n'),
  'a lone CR': `${OBJECT}data: {a: 1}\rb: 2\n`,
  'a byte order mark': `\uFEFF${OBJECT}`,
  'a byte order mark before a marker': `\uFEFF---\n${OBJECT}`,
  'a JSON file': '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "j"},\n  "data": {"a": "0644", "b": [1, 2.5, true, null, 0644]}\n}\n',
  'JSON at column 0': '{\n"apiVersion": "v1",\n"kind": "ConfigMap",\n"metadata": {\n"name": "j"\n}\n}\n',
  'a kind: List': 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b}\n  - just a string\n',
  'anchors and aliases': `${OBJECT}data:\n  a: &v 0644\n  b: *v\n`,
  'merge keys': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: m}\nbase: &b {x: 1, y: 2}\ndata:\n  <<: *b\n  y: 3\n',
  'an alias bomb': `${OBJECT}a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
  'tags': `${OBJECT}data:\n  a: !!str 0644\n  b: !!int "12"\n  c: !custom x\n`,
  'a directive': `%YAML 1.1\n---\n${OBJECT}`,
  'a complex key': `${OBJECT}x:\n  [a, b]: 1\n  {c: d}: 2\n  ? e\n  : 3\n`,
  'a flow mapping with a collection key': '{"apiVersion": "v1", "kind": "X", "metadata": {"name": "f"}, "d": {"a": 1, [1, 2]}}\n',
  'multi-line flow collections in block context': `${OBJECT}data:\n  a: [1,\n    2]\n  b: {c: 1,\n  d: 2}\n`,
  'a quoted scalar continued at the parent indentation': `${OBJECT}data:\n  b: "x\n  y"\n`,
  'tabs': `${OBJECT}data:\n  a:\t1\n  b: |\n    x\ty\n\t\n`,
  'tab indentation': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: a\n',
  'an empty sequence entry': `${OBJECT}data:\n  l:\n     -\n    - b\n`,
  'a long key': `${OBJECT}${'k'.repeat(1100)}: 1\n`,
  'a long value': `${OBJECT}data:\n  a: ${'v'.repeat(2000)}\n`,
  'a comment touching a quote': `${OBJECT}data:\n  a: "x"#c\n  b: [1]#c\n`,
  'a syntax error among good documents': `${OBJECT}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [a\n---\n${OBJECT}`,
  'a duplicate key': `${OBJECT}data:\n  a: 1\n  a: 2\n---\n${OBJECT}`,
  'keys equal only once resolved': `${OBJECT}data:\n  yes: 1\n  true: 2\n  0x10: 3\n  16: 4\n`,
  'documents that are no object': `- a\n- b\n---\njust text\n---\n~\n---\n${OBJECT}---\napiVersion: v1\nmetadata: {name: nokind}\n---\nkind: X\napiVersion: ""\n`,
  'an unterminated quote across a marker': `${OBJECT}data:\n  a: "x\n---\n  y"\n`,
  'content on a marker line': `--- {apiVersion: v1, kind: ConfigMap, metadata: {name: inline}}\n---\t\n${OBJECT}`,
  'a document end with trailing text': `${OBJECT}... x\n`,
  '__proto__ and toString keys': `${OBJECT}data:\n  __proto__: a\n  toString: b\n  constructor: c\n`,
  'unicode and line separators': `${OBJECT}data:\n  a: "é ü \u2028 x"\n  b: x\u0085y\n  c: 😀\n`,
  'a null byte': `${OBJECT}data:\n  a: "x\u0000"\n`,
  'deep nesting': `${OBJECT}data:\n${Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:\n`).join('')}${'  '.repeat(61)}v\n`,
};

/** A parse result without its key locators (closures, compared by where they point in the test below). */
function withoutLocators(result: ReturnType<typeof parseManifests>) {
  return { ...result, objects: result.objects.map(({ keys: _keys, ...rest }) => rest) };
}

describe('parseManifests fast path', () => {
  it.each(Object.entries(CASES))('gives what the slow path gives: %s', (_name, text) => {
    for (const file of ['envs/dev/m.yaml', undefined]) {
      const fast = withoutLocators(parseManifests(text, file));
      const slow = withoutLocators(parseManifests(text, file, { fastPath: false }));
      expect(fast).toEqual(slow);
      // toEqual treats -0 and 0 alike and skips undefined; strict equality does not.
      expect(fast).toStrictEqual(slow);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    }
  });

  it('takes the fast path for ordinary manifests and hands unusual documents to the slow path', () => {
    expect(parseManifestsFast(withData('  a: 0644\n  b: yes\n'), 'm.yaml', 100)).toBeDefined();
    expect(parseManifestsFast(CASES['anchors and aliases']!, 'm.yaml', 100)?.objects).toHaveLength(1);
    // Broken YAML is never judged by the fast path: the whole file goes to the slow path.
    expect(parseManifestsFast(CASES['a syntax error among good documents']!, 'm.yaml', 100)).toBeUndefined();
    expect(parseManifestsFast(CASES['a directive']!, 'm.yaml', 100)).toBeUndefined();
  });

  it('reads scalars the YAML 1.1 way on the fast path', () => {
    const { objects } = parseManifests(withData('  mode: 0644\n  hex: 0x1F\n  flag: yes\n  disabled: off\n  when: 2020-01-01\n  t: 1:20\n  nothing: ~\n  q: "0644"\n  on: 1\n'), 'm.yaml');
    expect(objects[0]!.object.data).toEqual({ mode: 420, hex: 31, flag: true, disabled: false, when: '2020-01-01', t: '1:20', nothing: null, q: '0644', true: 1 });
  });

  it('locates keys lazily and at the same place as the slow path', () => {
    const text = `# lead\n---\n${OBJECT}data:\n  a: 1\n---\n\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n          ports: [{containerPort: 80}]\n`;
    const fast = parseManifests(text, 'envs/dev/m.yaml');
    const slow = parseManifests(text, 'envs/dev/m.yaml', { fastPath: false });
    const paths = [[], ['data', 'a'], ['metadata', 'name'], ['spec', 'template', 'spec', 'containers', 0, 'image'], ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort'], ['spec', 'missing', 'deeper'], ['data', 'nope']];
    for (let i = 0; i < slow.objects.length; i++) {
      for (const path of paths) {
        expect(locateKey(fast.objects[i]!, path)).toEqual(locateKey(slow.objects[i]!, path));
      }
    }
    expect(locateKey(fast.objects[1]!, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({ file: 'envs/dev/m.yaml', line: 19, column: 11 });
  });

  it('locates keys of List items and of documents sent to the slow path', () => {
    const fast = parseManifests(CASES['a kind: List']!, 'l.yaml');
    expect(locateKey(fast.objects[1]!, ['metadata', 'name'])).toEqual({ file: 'l.yaml', line: 9, column: 16 });
    const anchored = parseManifests(`${OBJECT}---\n${CASES['anchors and aliases']!}`, 'a.yaml');
    expect(locateKey(anchored.objects[1]!, ['data', 'b'])).toEqual({ file: 'a.yaml', line: 12, column: 3 });
  });

  it('gives the same results on mutated manifests', () => {
    // A small deterministic fuzz: random edits to realistic manifests, compared path against path.
    let state = 42;
    const random = () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state >>> 8) / 16777216;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const base = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web, tier: "front"}\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          args: ["--port=8080", '--x']\n          env:\n            - {name: A, value: "1"}\n          ports:\n            - containerPort: 80\n      volumes:\n        - name: c\n          configMap: {name: c, defaultMode: 0644}\n---\n${withData('  a: |\n    x\n  b: >-\n    y\n  c: on\n')}`;
    const edits = ['\t', ' ', '  ', '\n', ':', ': ', '- ', '-\n', '#', ' #', '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '!', '? ', '|', '>', '---\n', '...\n', '~', 'null', '0644', 'yes', 'y', '<<: ', '\r\n', '\r', '\\', '\n  ', '\n-', '%'];
    for (let round = 0; round < 250; round++) {
      let text = base;
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
        const at = Math.floor(random() * (text.length + 1));
        text = random() < 0.7 ? text.slice(0, at) + pick(edits) + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
      }
      const fast = parseManifests(text, 'f.yaml');
      const slow = parseManifests(text, 'f.yaml', { fastPath: false });
      if (JSON.stringify(fast) !== JSON.stringify(slow)) expect({ text, fast }).toEqual({ text, fast: slow });
    }
  });
});
