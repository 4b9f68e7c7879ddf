import { byRule, validateYaml } from './helpers.js';

// Shaped like a controller-gen CRD: int-or-string with anyOf, list maps, preserved fields, status.
const goodCrd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: backups.ops.example.com}
spec:
  group: ops.example.com
  scope: Namespaced
  names: {plural: backups, singular: backup, kind: Backup, listKind: BackupList}
  versions:
    - name: v1beta1
      served: true
      storage: false
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: {type: string}
            kind: {type: string}
            metadata: {type: object}
            spec:
              type: object
              properties:
                maxSurge:
                  anyOf: [{type: integer}, {type: string}]
                  x-kubernetes-int-or-string: true
                targets:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name, protocol]
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
                      protocol: {type: string, default: TCP}
                raw: {x-kubernetes-preserve-unknown-fields: true}
                labels: {type: object, additionalProperties: {type: string}}
            status: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

const crdFindings = (text: string) => byRule(validateYaml(text), 'crd-schema');

describe('CRDs themselves (crd-schema)', () => {
  it('accepts a controller-gen style CRD', () => {
    expect(validateYaml(goodCrd)).toEqual([]);
  });

  it('refuses a misspelt type at the line of the type', () => {
    const [finding, ...rest] = crdFindings(goodCrd.replace('name: {type: string}', 'name: {type: strign}'));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ severity: 'error', file: 'envs/dev/app.yaml', line: 38 });
    expect(finding.message).toBe(
      'spec.versions[1].schema.openAPIV3Schema.properties.spec.properties.targets.items.properties.name.type: unsupported type "strign": supported types: "array", "boolean", "integer", "number", "object", "string"',
    );
  });

  it('refuses properties on a node that is not an object, and a node without a type', () => {
    const text = goodCrd.replace('labels: {type: object, additionalProperties: {type: string}}', 'labels: {type: string, properties: {a: {type: string}}}\n                untyped: {description: no type}');
    expect(crdFindings(text).map((f) => f.message)).toEqual([
      expect.stringContaining('properties.spec.properties.labels.properties: properties are only allowed on type object'),
      expect.stringContaining('properties.spec.properties.untyped: type is required in a structural schema'),
    ]);
  });

  it('refuses a missing openAPIV3Schema, two storage versions and a name that is not plural.group', () => {
    const text = goodCrd
      .replace('name: backups.ops.example.com', 'name: backup.ops.example.com')
      .replace('      storage: false\n      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}', '      storage: true');
    expect(crdFindings(text).map((f) => f.message)).toEqual([
      'metadata.name: must be spec.names.plural + "." + spec.group, here "backups.ops.example.com"',
      'spec.versions: must have exactly one version marked as storage version, has 2',
      expect.stringContaining('spec.versions[0].schema: schema.openAPIV3Schema is required'),
    ]);
  });

  it('refuses list-map keys that items may lack', () => {
    const text = goodCrd.replace('protocol: {type: string, default: TCP}', 'protocol: {type: string}');
    expect(crdFindings(text).map((f) => f.message)).toEqual([
      expect.stringContaining('x-kubernetes-list-map-keys: list-map key "protocol" must be required or have a default'),
    ]);
  });

  it('refuses a root that is not an object and an unknown scope', () => {
    const text = goodCrd.replace('schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}', 'schema: {openAPIV3Schema: {type: string}}').replace('scope: Namespaced', 'scope: Global');
    expect(validateYaml(text).map((f) => `${f.rule} ${f.message}`)).toEqual([
      'server-enum spec.scope: unsupported value "Global": supported values: "Namespaced", "Cluster"',
      'crd-schema spec.versions[0].schema.openAPIV3Schema.type: the root of the schema must be of type object',
    ]);
  });
});
