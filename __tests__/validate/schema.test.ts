import { byRule, deploymentYaml, validateYaml } from './helpers.js';

describe('built-in schema validation', () => {
  it('accepts a valid Deployment, Service, ConfigMap and CronJob', () => {
    const text = `${deploymentYaml(
      `          resources:
            requests: {cpu: 100m, memory: 64Mi}
            limits: {cpu: 1, memory: 1.5Gi}
          ports: [{containerPort: 8080, name: http}]
          readinessProbe: {httpGet: {path: /, port: http}}
`,
      `      volumes:
        - name: tmp
          emptyDir: {sizeLimit: 1Gi}
`,
      `  strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 1}}
`,
    )}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec:
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web, namespace: apps, creationTimestamp: null}
data: {a: b}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: job, image: "busybox:1.36"}]
`;
    expect(validateYaml(text)).toEqual([]);
  });

  it.each([
    ['container field', deploymentYaml('          imagePullPolicyy: Always\n'), 'spec.template.spec.containers[0].imagePullPolicyy', 'imagePullPolicy', 17, 11],
    ['pod template key', deploymentYaml().replace('  template:', '  templat:'), 'spec.templat', 'template', 10, 3],
    ['volume source field', deploymentYaml('', '      volumes:\n        - name: v\n          emptyDir: {medum: Memory}\n'), 'spec.template.spec.volumes[0].emptyDir.medum', 'medium', 19, 22],
    ['probe field', deploymentYaml('          livenessProbe: {httpGet: {pth: /}}\n'), 'spec.template.spec.containers[0].livenessProbe.httpGet.pth', 'path', 17, 37],
  ])('reports an unknown %s with its path, position and a suggestion', (_label, text, path, suggestion, line, column) => {
    // A misspelt required key is also reported as missing; the unknown-field finding comes first.
    const findings = byRule(validateYaml(text), 'schema').filter((f) => f.message.includes('unknown field'));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', file: 'envs/dev/app.yaml', line, column, object: 'Deployment/apps/web' });
    expect(findings[0].message).toContain(`${path}: unknown field`);
    expect(findings[0].message).toContain(`did you mean "${suggestion}"?`);
  });

  it('reports an unknown field inside a CronJob job template', () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: apps}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: job, image: "busybox:1.36", comand: [sh]}]
`;
    const [finding] = byRule(validateYaml(text), 'schema');
    expect(finding.message).toContain('spec.jobTemplate.spec.template.spec.containers[0].comand: unknown field');
    expect(finding.message).toContain('did you mean "command"?');
  });

  it('lists the allowed fields when nothing is close', () => {
    const [finding] = byRule(validateYaml(deploymentYaml('', '', '  zzzzzzzzzzzz: 1\n')), 'schema');
    expect(finding.message).toMatch(/allowed fields: .*replicas/);
  });

  it.each([
    ['string where integer', deploymentYaml().replace('replicas: 2', 'replicas: "2"'), 'spec.replicas: expected integer, got string'],
    ['fraction where integer', deploymentYaml().replace('replicas: 2', 'replicas: 2.5'), 'spec.replicas: expected integer, got number'],
    ['object where int-or-string', deploymentYaml('', '', '  strategy: {rollingUpdate: {maxSurge: {a: 1}}}\n'), 'maxSurge: expected integer or string, got object'],
    ['boolean where quantity', deploymentYaml('          resources: {limits: {cpu: true}}\n'), 'limits.cpu: expected quantity'],
    ['malformed quantity', deploymentYaml('          resources: {limits: {memory: 1GB}}\n'), 'limits.memory: expected a quantity'],
    ['number in a map of strings', deploymentYaml().replace('labels: {app: web}', 'labels: {app: web, n: 1}'), 'spec.template.metadata.labels.n: expected string, got integer'],
    ['string where array', deploymentYaml('          args: "--flag"\n'), 'containers[0].args: expected array of string, got string'],
    ['array where object', deploymentYaml('', '', '  selector: [a]\n').replace('  selector:\n    matchLabels: {app: web}\n', ''), 'spec.selector: expected object (LabelSelector), got array'],
    ['string where boolean', deploymentYaml('          tty: "yes"\n'), 'containers[0].tty: expected boolean'],
  ])('reports a wrong type: %s', (_label, text, expected) => {
    const findings = byRule(validateYaml(text), 'schema');
    expect(findings.map((f) => f.message).join('\n')).toContain(expected);
    expect(findings.every((f) => f.severity === 'error')).toBe(true);
  });

  it('accepts quantities written as numbers and int-or-string ports by name or number', () => {
    const text = deploymentYaml('          resources: {limits: {cpu: 2, memory: 1e9}, requests: {cpu: 0.5}}\n          livenessProbe: {tcpSocket: {port: 8080}}\n');
    expect(validateYaml(text)).toEqual([]);
  });

  it('reports missing required fields at the object that lacks them', () => {
    const text = deploymentYaml().replace('        - name: web\n          image: nginx:1.27.1\n', '        - image: nginx:1.27.1\n');
    const [finding] = byRule(validateYaml(text), 'schema');
    expect(finding.message).toBe('spec.template.spec.containers[0]: missing required field "name" in Container');
    expect(finding.line).toBe(15);
  });

  it('reports a missing selector and template of a Deployment', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: apps}\nspec: {replicas: 1}\n';
    const messages = byRule(validateYaml(text), 'schema').map((f) => f.message);
    expect(messages).toEqual(['spec: missing required field "selector" in DeploymentSpec', 'spec: missing required field "template" in DeploymentSpec']);
  });

  it('requires apiVersion, kind and metadata.name', () => {
    expect(validateYaml('kind: ConfigMap\nmetadata: {name: a}\n')[0].message).toContain('apiVersion');
    expect(validateYaml('apiVersion: v1\nmetadata: {name: a}\n')[0].message).toContain('kind');
    expect(validateYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n')[0].message).toContain('metadata.name is required');
  });

  it('refuses generateName objects, which server-side apply cannot create, at the generateName line', () => {
    const text = `apiVersion: batch/v1
kind: Job
metadata:
  generateName: db-migrate-
  namespace: apps
  annotations: {argocd.argoproj.io/hook: PreSync}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "busybox:1.36"}]
`;
    const findings = validateYaml(text);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', rule: 'server-name', file: 'envs/dev/app.yaml', line: 4, column: 3 });
    expect(findings[0].message).toContain('metadata.generateName');
    expect(findings[0].message).toContain('give it a metadata.name');
    expect(findings[0].message).toContain('move it out of the environment');
    expect(findings[0].message).toContain('Argo CD hooks are not run by Slipway');
  });

  it('accepts generateName next to a name (the name wins)', () => {
    expect(validateYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, generateName: a-, namespace: apps}\n')).toEqual([]);
  });

  it('falls back to the document start when no key locator is attached', async () => {
    const { validateObjects, emptyCrdSchemaIndex } = await import('../../src/validate/index.js');
    const findings = validateObjects(
      [{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' }, dta: {} }, source: { file: 'x.yaml', line: 7, column: 1 } }],
      { kubernetesVersion: '1.33', strict: false, namespace: undefined, policies: {} as never },
      { crds: emptyCrdSchemaIndex() },
    );
    expect(findings).toMatchObject([{ rule: 'schema', file: 'x.yaml', line: 7, message: expect.stringContaining('did you mean "data"?') }]);
  });
});
