import { byRule, validateYaml } from './helpers.js';

const object = (apiVersion: string, kind: string, metadata: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n${metadata}`;

describe('object names by kind (server-name)', () => {
  it.each([
    ['v1', 'ConfigMap', 'Web_Config', 'lowercase RFC 1123 subdomain'],
    ['apps/v1', 'Deployment', 'web.', 'lowercase RFC 1123 subdomain'],
    ['v1', 'Namespace', 'team.apps', 'lowercase RFC 1123 label'],
    ['v1', 'Service', 'web.internal', 'lowercase RFC 1123 label'],
    ['v1', 'Service', 'a'.repeat(64), 'no more than 63 characters'],
    ['v1', 'Secret', 'a'.repeat(254), 'no more than 253 characters'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'team/reader', "may not contain '/'"],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', '..', "may not be '..'"],
  ])('refuses %s %s named %s', (apiVersion, kind, name, message) => {
    const findings = byRule(validateYaml(object(apiVersion, kind, `  name: "${name}"\n  namespace: apps\n`)), 'server-name');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', line: 4, column: 3 });
    expect(findings[0].message).toContain(`metadata.name: invalid ${kind} name "${name}": `);
    expect(findings[0].message).toContain(message);
  });

  it.each([
    ['v1', 'ConfigMap', 'app.config.v2'],
    ['apps/v1', 'Deployment', '0-web'],
    ['v1', 'Namespace', 'team-apps'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'system:metrics-server:aggregated-reader'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'Team Readers'],
    ['v1', 'Secret', 'a'.repeat(253)],
    ['networking.k8s.io/v1', 'IPAddress', '2001:db8::1'],
    ['certificates.k8s.io/v1', 'CertificateSigningRequest', 'node-csr:Worker_1'],
  ])('accepts %s %s named %s', (apiVersion, kind, name) => {
    expect(byRule(validateYaml(object(apiVersion, kind, `  name: "${name}"\n  namespace: apps\n`)), 'server-name')).toEqual([]);
  });

  it('refuses a CronJob name longer than 52 characters (its Jobs add 11)', () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${'n'.repeat(53)}, namespace: apps}
spec:
  schedule: "@daily"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: job, image: "busybox:1.36"}]}}}}
`;
    expect(byRule(validateYaml(text), 'server-name')[0].message).toContain('no more than 52 characters');
    expect(byRule(validateYaml(text.replace('n'.repeat(53), 'n'.repeat(52))), 'server-name')).toEqual([]);
  });

  it('checks custom resources with a CRD as DNS subdomains', () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
---
`;
    const findings = byRule(validateYaml(`${crd}apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: My_Widget, namespace: apps}\n`), 'server-name');
    expect(findings).toHaveLength(1);
    expect(byRule(validateYaml(`${crd}apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: my.widget, namespace: apps}\n`), 'server-name')).toEqual([]);
  });
});

describe('labels and annotations (server-label)', () => {
  const configMap = (metadata: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: apps\n${metadata}`;

  it.each([
    ['  labels: {"app.kubernetes.io/name": "-web"}\n', 'invalid label value "-web" of "app.kubernetes.io/name"'],
    ['  labels: {"app.kubernetes.io/name": "' + 'v'.repeat(64) + '"}\n', 'must be no more than 63 characters'],
    ['  labels: {"Example.com/app": web}\n', 'invalid label key "Example.com/app": prefix part'],
    ['  labels: {"a/b/c": web}\n', 'invalid label key "a/b/c"'],
    ['  labels: {"' + 'k'.repeat(64) + '": web}\n', 'name part must be no more than 63 characters'],
    ['  annotations: {"team@example.com/owner": alice}\n', 'invalid annotation key "team@example.com/owner"'],
  ])('refuses %s', (metadata, message) => {
    const findings = byRule(validateYaml(configMap(metadata)), 'server-label');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', line: 6 });
    expect(findings[0].message).toContain(message);
  });

  it('accepts empty values, dotted and underscored values, prefixed keys and any annotation value', () => {
    const metadata = `  labels: {"app.kubernetes.io/name": web, tier: "", version: "1.2.3_rc.1", "example.com/Team": Platform}
  annotations: {"kubectl.kubernetes.io/last-applied-configuration": "{\\"a\\": 1} spaces / and : colons", "Description": "x"}
`;
    expect(validateYaml(configMap(metadata))).toEqual([]);
  });

  it('refuses annotations of more than 256 KiB in all', () => {
    const big = 'x'.repeat(140 * 1024);
    const findings = byRule(validateYaml(configMap(`  annotations: {a: "${big}", b: "${big}"}\n`)), 'server-label');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('metadata.annotations: annotations total');
    expect(byRule(validateYaml(configMap(`  annotations: {a: "${big}"}\n`)), 'server-label')).toEqual([]);
  });

  it('checks the labels of pod templates and selectors', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps}
spec:
  selector: {matchLabels: {app: web_}}
  template:
    metadata: {labels: {app: web_}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`;
    const paths = byRule(validateYaml(text), 'server-label').map((f) => f.message.split(':')[0]);
    expect(paths).toEqual(['spec.template.metadata.labels.app', 'spec.selector.matchLabels.app']);
  });
});
