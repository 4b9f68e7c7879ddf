import { ExternalSchemas, fileSystemSchemaReader } from '../../src/validate/index.js';
import type { SchemaDirectory } from '../../src/config/types.js';
import { resolve } from 'node:path';
import { byRule, environment, rendered } from './helpers.js';
import { collectCrdSchemas, validateObjects } from '../../src/validate/index.js';

const catalog: SchemaDirectory = { path: 'schemas/catalog', absolute: resolve('__tests__/fixtures/validate/schemas-catalog') };
const empty: SchemaDirectory = { path: 'schemas/empty', absolute: resolve('__tests__/fixtures/validate/no-such-dir') };

const serviceMonitor = (endpoints: string) => `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web, namespace: apps}
spec:
  selector: {matchLabels: {app: web}}
  endpoints:
${endpoints}`;

function validate(text: string, schemas: SchemaDirectory[] | undefined) {
  const objects = rendered(text);
  return validateObjects(objects, { ...environment(), schemas }, { crds: collectCrdSchemas(objects), externalSchemas: new ExternalSchemas(fileSystemSchemaReader) });
}

describe('schemas: directories of JSON Schemas', () => {
  it('validates a custom resource against {group}/{kind}_{version}.json, accepting int-or-string ports', () => {
    expect(validate(serviceMonitor('    - {port: http, interval: 30s, targetPort: 8080}\n    - {targetPort: metrics, scheme: https}\n'), [empty, catalog])).toEqual([]);
  });

  it('refuses what the schema refuses, at the field', () => {
    const findings = validate(serviceMonitor('    - {port: http, interval: 30 seconds, sheme: https}\n'), [catalog]);
    expect(findings.map((f) => [f.rule, f.line, f.message])).toEqual([
      ['schema', 7, 'spec.endpoints[0].sheme: unknown field "sheme"; did you mean "scheme"?'],
      ['schema', 7, expect.stringContaining('spec.endpoints[0].interval: value must match pattern')],
    ]);
  });

  it('says where it looked for an unknown kind', () => {
    const text = 'apiVersion: monitoring.coreos.com/v1\nkind: PodMonitor\nmetadata: {name: web, namespace: apps}\nspec: {}\n';
    const [finding] = byRule(validate(text, [empty, catalog]), 'unknown-kind');
    expect(finding.message).toContain(
      'no schemas: directory has it (looked for schemas/empty/monitoring.coreos.com/podmonitor_v1.json, schemas/empty/monitoring.coreos.com/PodMonitor_v1.json, schemas/catalog/monitoring.coreos.com/podmonitor_v1.json, schemas/catalog/monitoring.coreos.com/PodMonitor_v1.json)',
    );
  });

  it('names a schema file that is not JSON', () => {
    const text = 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: web, namespace: apps}\nspec: {}\n';
    const [finding] = byRule(validate(text, [catalog]), 'unknown-kind');
    expect(finding).toMatchObject({ severity: 'error' });
    expect(finding.message).toContain('schemas/catalog/cert-manager.io/certificate_v1.json is not valid JSON');
  });

  it('does not read a schema through a path that leaves its directory', () => {
    expect(fileSystemSchemaReader.read(catalog, '../schemas-catalog/monitoring.coreos.com/servicemonitor_v1.json')).toBeUndefined();
    expect(fileSystemSchemaReader.read(catalog, 'monitoring.coreos.com/servicemonitor_v1.json')).toContain('ServiceMonitor');
  });
});
