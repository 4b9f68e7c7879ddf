import { isMap, type YAMLMap } from 'yaml';
import { applyTextEdits, findPair, insertPair, isPlainSafe, replaceScalar } from '../../src/promote/edit-yaml.js';
import { addImageEntries } from '../../src/promote/kustomization.js';
import { parseYamlText } from '../../src/promote/yaml-file.js';
import { DIGEST_A } from './support.js';

const parse = (text: string) => parseYamlText('k.yaml', '/k.yaml', text);
const addEntries = (text: string, images: { name: string; tag?: string; digest?: string }[]) => {
  const file = parse(text);
  return applyTextEdits(text, [addImageEntries(file, images).edit]);
};

describe('scalar rewriting', () => {
  it.each([
    ['1.5.0', true],
    ['v2', true],
    ['1.10', false], // a float under YAML
    ['1e3', false],
    ['010', false], // octal under YAML 1.1
    ['yes', false], // a boolean under YAML 1.1
    ['null', false],
    ['', false],
  ])('%j is safe as a plain scalar: %s', (value, safe) => {
    expect(isPlainSafe(value)).toBe(safe);
  });

  it('keeps single, double and plain styles and escapes as each needs', () => {
    const text = "a: 'x'\nb: \"y\"\nc: z # note\n";
    const file = parse(text);
    const map = file.documents[0].contents as YAMLMap;
    const node = (key: string) => findPair(map, key)!.value as never;
    expect(applyTextEdits(text, [replaceScalar(file, node('a'), "it's"), replaceScalar(file, node('b'), 'q"uote'), replaceScalar(file, node('c'), '1.20')])).toBe(
      "a: 'it''s'\nb: \"q\\\"uote\"\nc: \"1.20\" # note\n",
    );
  });

  it('adds a pair to a flow map before its brace, and to a block map with its indentation and CRLF', () => {
    const flow = '- {name: app, newTag: 1.0}\n';
    const flowFile = parse(flow);
    const flowMap = (flowFile.documents[0].contents as { items: unknown[] }).items[0] as YAMLMap;
    expect(applyTextEdits(flow, [insertPair(flowFile, flowMap, 'digest', DIGEST_A, 'PLAIN')])).toBe(`- {name: app, newTag: 1.0, digest: ${DIGEST_A}}\n`);

    const block = 'images:\r\n    -   name: app   # note\r\n        newTag: "1.0"\r\nother: x\r\n';
    const file = parse(block);
    const seq = findPair(file.documents[0].contents as YAMLMap, 'images')!.value as { items: unknown[] };
    const entry = seq.items[0];
    expect(isMap(entry)).toBe(true);
    expect(applyTextEdits(block, [insertPair(file, entry as YAMLMap, 'digest', DIGEST_A, 'QUOTE_DOUBLE')])).toBe(
      `images:\r\n    -   name: app   # note\r\n        newTag: "1.0"\r\n        digest: "${DIGEST_A}"\r\nother: x\r\n`,
    );
  });
});

describe('adding images: entries to a kustomization', () => {
  it('appends to an existing list with its dash and key indentation', () => {
    expect(addEntries('images:\n  - name: a\n    newTag: "1"\n# tail comment\n', [{ name: 'b', tag: '2.0.0' }])).toBe(
      'images:\n  - name: a\n    newTag: "1"\n  - name: b\n    newTag: 2.0.0\n# tail comment\n',
    );
  });

  it('creates the images: key at the end, copying the indentation of the other lists, and keeps CRLF', () => {
    expect(addEntries('resources:\r\n  - ../base\r\n', [{ name: 'b', tag: '1.10' }])).toBe('resources:\r\n  - ../base\r\nimages:\r\n  - name: b\r\n    newTag: "1.10"\r\n');
    expect(addEntries('resources:\n- ../base', [{ name: 'b', digest: DIGEST_A }])).toBe(`resources:\n- ../base\nimages:\n- name: b\n  digest: ${DIGEST_A}\n`);
  });

  it('extends a flow list in flow style', () => {
    expect(addEntries('resources: [../base]\nimages: []\n', [{ name: 'b', tag: '2' }])).toBe('resources: [../base]\nimages: [{name: b, newTag: "2"}]\n');
    expect(addEntries('images: [{name: a, newTag: x}]\n', [{ name: 'b', tag: 'v2' }])).toBe('images: [{name: a, newTag: x}, {name: b, newTag: v2}]\n');
  });
});
