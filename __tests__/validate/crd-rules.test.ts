import { byRule, environment, rendered, validateYaml } from './helpers.js';

// Shaped like a controller-gen CRD: CEL rules at several levels, defaults, list maps and sets.
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: rollouts.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: rollouts, kind: Rollout}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [mode]
              x-kubernetes-validations:
                - rule: self.minReplicas <= self.maxReplicas
                  message: minReplicas must not exceed maxReplicas
                - rule: "self.mode != 'Canary' || has(self.canary)"
                  messageExpression: "'mode ' + self.mode + ' needs spec.canary'"
                  fieldPath: .canary
                - rule: self.mode == oldSelf.mode
                  message: mode is immutable
                - rule: "quantity(self.memory).isLessThan(quantity('64Gi'))"
                  message: memory must be less than 64Gi
                - rule: "url(self.endpoint).getScheme() == 'https'"
                - rule: "self.name.lowerAscii().startsWith('app-') || self.name.charAt(0) == 'x'"
              properties:
                mode: {type: string, default: Rolling}
                name: {type: string, default: app-default}
                minReplicas: {type: integer, default: 1}
                maxReplicas: {type: integer, default: 3}
                memory: {type: string, default: 1Gi}
                endpoint: {type: string, default: "https://example.com"}
                canary:
                  type: object
                  properties:
                    weight: {type: integer, x-kubernetes-validations: [{rule: "self >= 0 && self <= 100", message: weight is a percentage}]}
                port: {x-kubernetes-int-or-string: true, x-kubernetes-validations: [{rule: "type(self) == string || self > 0"}]}
                startAt: {type: string, format: date-time}
                token: {type: string, format: byte}
                count: {type: integer, format: int32}
                ports:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [port, protocol]
                  items:
                    type: object
                    required: [port]
                    properties:
                      port: {type: integer}
                      protocol: {type: string, default: TCP}
                tags: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                child: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
`;

const crd = rendered(CRD, 'crds/rollouts.yaml');
const rollout = (spec: string) => `apiVersion: example.com/v1
kind: Rollout
metadata: {name: web, namespace: apps}
spec:
${spec}`;
const findingsOf = (spec: string) => validateYaml(rollout(spec), environment(), crd);
const errors = (spec: string) => findingsOf(spec).filter((f) => f.severity === 'error');

describe('custom resources against their CRD', () => {
  it('accepts an object that leans on defaults, int-or-string, preserved and embedded fields', () => {
    const spec = `  port: http
  startAt: "2026-11-30T10:00:00Z"
  token: aGVsbG8=
  count: 10
  ports: [{port: 80}, {port: 80, protocol: UDP}]
  tags: [a, b]
  extra: {anything: {goes: [1, 2]}}
  child: {apiVersion: v1, kind: ConfigMap, data: {a: b}}
`;
    expect(errors(spec)).toEqual([]);
  });

  it('applies defaults before required fields and rules: mode comes from its default', () => {
    expect(errors('  minReplicas: 2\n')).toEqual([]);
  });

  it('refuses a failed CEL rule with its message, at the object it is declared on', () => {
    const [finding, ...rest] = byRule(errors('  minReplicas: 5\n  maxReplicas: 2\n'), 'cel');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'error', line: 4, message: 'spec: minReplicas must not exceed maxReplicas' });
  });

  it('uses messageExpression and fieldPath', () => {
    expect(byRule(errors('  mode: Canary\n'), 'cel').map((f) => f.message)).toEqual(['spec.canary: mode Canary needs spec.canary']);
  });

  it('says "failed rule" when a rule has no message, and evaluates nested and int-or-string rules', () => {
    expect(byRule(errors('  port: 0\n  canary: {weight: 150}\n  mode: Canary\n'), 'cel').map((f) => f.message)).toEqual([
      'spec.canary.weight: weight is a percentage',
      'spec.port: failed rule: type(self) == string || self > 0',
    ]);
  });

  it('uses the Kubernetes string library functions registered for the evaluator', () => {
    expect(byRule(errors('  name: web\n'), 'cel').map((f) => f.message)).toEqual([
      "spec: failed rule: self.name.lowerAscii().startsWith('app-') || self.name.charAt(0) == 'x'",
    ]);
    expect(byRule(errors('  name: xweb\n'), 'cel')).toEqual([]);
  });

  it('skips transition rules (oldSelf) on create and makes a rule it cannot evaluate a notice', () => {
    const findings = byRule(findingsOf('  mode: Rolling\n'), 'cel');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'notice' });
    expect(findings[0].message).toContain('url(self.endpoint)');
    expect(findings[0].message).toContain('cannot be evaluated offline');
    expect(findings.some((f) => f.message.includes('immutable'))).toBe(false);
  });

  it('evaluates quantity rules with the Kubernetes quantity library', () => {
    expect(byRule(errors('  memory: 128Gi\n'), 'cel').map((f) => f.message)).toEqual(['spec: memory must be less than 64Gi']);
    expect(byRule(errors('  memory: 65536Mi\n'), 'cel').map((f) => f.message)).toEqual(['spec: memory must be less than 64Gi']);
    expect(byRule(errors('  memory: 0.5Gi\n'), 'cel')).toEqual([]);
  });

  it('refuses list-map duplicates after defaults and repeated set items', () => {
    expect(byRule(errors('  ports: [{port: 80}, {port: 80, protocol: TCP}]\n  tags: [a, a]\n'), 'list-map-duplicate').map((f) => f.message)).toEqual([
      expect.stringContaining('spec.ports[1]: duplicate entries for key [port=80, protocol="TCP"]'),
      expect.stringContaining('spec.tags[1]: duplicate value "a" in a set'),
    ]);
  });

  it('checks the formats the server checks', () => {
    const messages = byRule(errors('  startAt: tomorrow\n  token: "not base64!"\n  count: 3000000000\n'), 'schema').map((f) => f.message);
    expect(messages).toEqual([
      'spec.startAt: value does not match format "date-time"',
      'spec.token: value does not match format "byte"',
      'spec.count: value does not match format "int32"',
    ]);
  });

  it('requires apiVersion and kind of an embedded resource', () => {
    expect(byRule(errors('  child: {data: {a: b}}\n'), 'schema').map((f) => f.message)).toEqual([
      'spec.child: missing required field "apiVersion"',
      'spec.child: missing required field "kind"',
    ]);
  });
});
