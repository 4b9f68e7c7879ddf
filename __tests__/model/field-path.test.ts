import { expandFieldPath, formatFieldPath, parseFieldPath, removeFieldPaths, type FieldPath } from '../../src/model/field-path.js';

const parsed = (text: string): FieldPath => {
  const result = parseFieldPath(text);
  if ('problem' in result) throw new Error(result.problem);
  return result;
};

describe('field paths', () => {
  it('reads JSON pointers with ~1 and ~0, and dotted paths with brackets, to the same segments', () => {
    expect(parsed('/metadata/annotations/deployment.kubernetes.io~1revision')).toEqual([{ key: 'metadata' }, { key: 'annotations' }, { key: 'deployment.kubernetes.io/revision' }]);
    expect(parsed('metadata.annotations["deployment.kubernetes.io/revision"]')).toEqual(parsed('/metadata/annotations/deployment.kubernetes.io~1revision'));
    expect(parsed('/a~0b')).toEqual([{ key: 'a~b' }]);
    expect(parsed('.spec.replicas')).toEqual(parsed('/spec/replicas'));
    expect(parsed('webhooks[*].clientConfig.caBundle')).toEqual(parsed('/webhooks/*/clientConfig/caBundle'));
    expect(parsed('spec.template.spec.containers[0].image')).toEqual(parsed('/spec/template/spec/containers/0/image'));
    expect(formatFieldPath(parsed('metadata.annotations["a/b"]'))).toBe('/metadata/annotations/a~1b');
  });

  it('says what is wrong with a bad pointer or path', () => {
    const problem = (text: string) => (parseFieldPath(text) as { problem: string }).problem;
    expect(problem('/spec/~2x')).toMatch(/"~2", which is no JSON pointer escape: write ~1 for "\/" and ~0 for "~"/);
    expect(problem('/spec//replicas')).toMatch(/empty segment/);
    expect(problem('')).toMatch(/whole object/);
    expect(problem('spec/replicas')).toMatch(/starts with "\/"/);
    expect(problem('spec.containers[name]')).toMatch(/inside brackets/);
    expect(problem('spec.')).toMatch(/trailing/);
  });

  it('removes what a path reaches on every item, and maps it emptied, but keeps maps that were empty', () => {
    const object = {
      webhooks: [
        { name: 'a', clientConfig: { caBundle: 'X' } },
        { name: 'b', clientConfig: { caBundle: 'Y', service: { name: 's' } } },
      ],
      keep: {},
    };
    expect(expandFieldPath(object, parsed('/webhooks/*/clientConfig/caBundle'))).toHaveLength(2);
    removeFieldPaths(object, [parsed('/webhooks/*/clientConfig/caBundle')]);
    expect(object).toEqual({ webhooks: [{ name: 'a' }, { name: 'b', clientConfig: { service: { name: 's' } } }], keep: {} });
  });

  it('selects list items by their key fields, as managedFields names them', () => {
    const object = { containers: [{ name: 'app', image: 'a' }, { name: 'sidecar', image: 'b' }] };
    removeFieldPaths(object, [[{ key: 'containers' }, { item: { name: 'sidecar' } }, { key: 'image' }], [{ key: 'containers' }, { item: { name: 'sidecar' } }, { key: 'name' }]]);
    expect(object).toEqual({ containers: [{ name: 'app', image: 'a' }] });
  });
});
