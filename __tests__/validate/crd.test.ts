import { collectCrdSchemas } from '../../src/validate/index.js';
import { byRule, environment, rendered, validateYaml } from './helpers.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget}
  versions:
    - name: v1alpha1
      served: true
      storage: false
      deprecated: true
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              properties:
                size: {type: integer, minimum: 1}
                color: {type: string, enum: [red, green]}
                port: {x-kubernetes-int-or-string: true}
                note: {type: string, nullable: true}
                labels: {type: object, additionalProperties: {type: string}}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                template: {type: object, x-kubernetes-embedded-resource: true, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
    - name: v0
      served: false
      storage: false
      schema: {openAPIV3Schema: {type: object}}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {plural: gadgets, kind: Gadget}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {on: {type: boolean}}}}}}
`;

const widget = (spec: string, apiVersion = 'example.com/v1', metadataExtra = '') => `apiVersion: ${apiVersion}
kind: Widget
metadata: {name: w, namespace: apps${metadataExtra}}
spec:
${spec}`;

const crdObjects = rendered(CRD, 'crds/widgets.yaml');
const check = (text: string, env = environment()) => validateYaml(text, env, crdObjects);

describe('custom resources', () => {
  it('collects CRDs with their versions and scope', () => {
    const index = collectCrdSchemas(crdObjects);
    expect(index.size).toBe(2);
    expect(index.lookup('example.com', 'Widget')).toMatchObject({ name: 'widgets.example.com', namespaced: true });
    expect(index.lookup('example.com', 'Gadget')?.namespaced).toBe(false);
    expect(index.lookup('example.com', 'Widget')?.versions.map((v) => [v.name, v.served])).toEqual([
      ['v1alpha1', true],
      ['v1', true],
      ['v0', false],
    ]);
  });

  it('accepts a valid custom resource (int-or-string, nullable, maps, preserved and embedded fields)', () => {
    const spec = `  size: 3
  color: red
  port: http
  note: null
  labels: {a: b}
  extra: {anything: [1, {deep: true}]}
  template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {whatever: 1}}
`;
    expect(check(widget(spec))).toEqual([]);
    expect(check(widget('  size: 1\n  port: 8080\n'))).toEqual([]);
  });

  it('reports an unknown field with a suggestion, at its line', () => {
    const [finding] = check(widget('  size: 1\n  colour: red\n'));
    expect(finding).toMatchObject({ severity: 'error', rule: 'schema', line: 6, column: 3, object: 'Widget.example.com/apps/w' });
    expect(finding.message).toBe('spec.colour: unknown field "colour"; did you mean "color"?');
  });

  it('names the CRD and version when its schema cannot be used, for every object of it', () => {
    const broken = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, kind: Gadget}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, pattern: "([unclosed"}}}}
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: a, namespace: apps}
spec: {}
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: b, namespace: apps}
spec: {}
`;
    const findings = byRule(validateYaml(broken), 'schema');
    expect(findings).toHaveLength(2);
    for (const finding of findings) expect(finding.message).toMatch(/openAPIV3Schema of CustomResourceDefinition gadgets\.example\.com version v1 \(.*:1:1\) cannot be used/);
  });

  it('reports an unknown top-level field', () => {
    const findings = check(`${widget('  size: 1\n')}sepc: {}\n`);
    expect(findings.map((f) => f.message)).toEqual(['sepc: unknown field "sepc"; did you mean "spec"?']);
  });

  it.each([
    ['wrong type', '  size: "3"\n', 'spec.size: expected integer, got string'],
    ['int-or-string given an object', '  size: 1\n  port: {a: 1}\n', 'spec.port: expected integer or string, got object'],
    ['value below minimum', '  size: 0\n', 'spec.size: value must be >= 1'],
    ['value outside enum', '  size: 1\n  color: blue\n', 'spec.color: value is not allowed; allowed values: "red", "green"'],
    ['missing required', '  color: red\n', 'spec: missing required field "size"'],
    ['map value of the wrong type', '  size: 1\n  labels: {a: 1}\n', 'spec.labels.a: expected string, got integer'],
  ])('reports %s', (_label, spec, message) => {
    expect(byRule(check(widget(spec)), 'schema').map((f) => f.message)).toContain(message);
  });

  it('keeps unknown fields where x-kubernetes-preserve-unknown-fields says so', () => {
    expect(check(widget('  anything: goes\n', 'example.com/v1alpha1'))).toMatchObject([{ rule: 'deprecated-api', severity: 'warning' }]);
  });

  it('validates metadata as ObjectMeta, not by the CRD', () => {
    const [finding] = check(widget('  size: 1\n', 'example.com/v1', ', labels: {a: 1}, nmae: x'));
    const messages = check(widget('  size: 1\n', 'example.com/v1', ', labels: {a: 1}, nmae: x')).map((f) => f.message);
    expect(finding.rule).toBe('schema');
    expect(messages).toEqual(expect.arrayContaining(['metadata.labels.a: expected string, got integer', expect.stringContaining('metadata.nmae: unknown field "nmae" in ObjectMeta; did you mean "name"?')]));
  });

  it('reports a version the CRD does not serve', () => {
    const [finding] = check(widget('  size: 1\n', 'example.com/v0'));
    expect(finding).toMatchObject({ severity: 'error', rule: 'schema' });
    expect(finding.message).toContain('does not serve version v0');
    expect(finding.message).toContain('example.com/v1alpha1, example.com/v1');
  });

  it('uses the CRD scope for missing-namespace', () => {
    const env = environment({ namespace: undefined });
    expect(check('apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {on: true}\n', env)).toEqual([]);
    expect(byRule(check('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 1}\n', env), 'missing-namespace')).toHaveLength(1);
  });
});

describe('kinds with no schema', () => {
  const text = 'apiVersion: other.example.org/v1\nkind: Thing\nmetadata: {name: t, namespace: apps}\nspec: {x: 1}\n';

  it('is a warning by default', () => {
    expect(validateYaml(text)).toMatchObject([{ severity: 'warning', rule: 'unknown-kind', line: 2 }]);
  });

  it('is an error with strict: true', () => {
    expect(validateYaml(text, environment({ strict: true }))).toMatchObject([{ severity: 'error', rule: 'unknown-kind' }]);
  });

  it('suggests a kind of a CRD group when the kind is misspelt', () => {
    const [finding] = check('apiVersion: example.com/v1\nkind: Widgett\nmetadata: {name: w, namespace: apps}\n');
    expect(finding.message).toContain('did you mean "Widget"?');
  });

  it('does not treat CRD-defined groups under k8s.io as built in', () => {
    const gateway = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r, namespace: apps}\n';
    expect(validateYaml(gateway)).toMatchObject([{ severity: 'warning', rule: 'unknown-kind' }]);
  });
});
