import { byRule, deploymentYaml, environment, validateYaml } from './helpers.js';

const workload = (text: string, version = '1.33') => byRule(validateYaml(text, environment({ kubernetesVersion: version })), 'server-workload');
const messages = (text: string, version?: string) => workload(text, version).map((f) => f.message);

describe('workload rules the API server enforces (server-workload)', () => {
  it('accepts a full valid Deployment: named ports, int-or-string probes, quantities, mounts of its volumes', () => {
    const text = deploymentYaml(
      `          ports: [{containerPort: 8080, name: http}, {containerPort: 8080, protocol: UDP, name: http-udp}, {containerPort: 9090, hostPort: 0}]
          env: [{name: LOG_LEVEL, value: info}, {name: my.dotted-name, value: x}]
          resources:
            requests: {cpu: 0.5, memory: 512Mi}
            limits: {cpu: 500m, memory: 0.5Gi}
          volumeMounts: [{name: tmp, mountPath: /tmp}, {name: tmp, mountPath: /var/tmp}]
          readinessProbe: {httpGet: {path: /, port: http}}
`,
      `      volumes: [{name: tmp, emptyDir: {}}]
`,
    );
    expect(validateYaml(text)).toEqual([]);
  });

  it('requires an image of every container, at the container', () => {
    const text = deploymentYaml().replace('          image: nginx:1.27.1\n', '');
    expect(workload(text)).toMatchObject([{ line: 15, message: 'spec.template.spec.containers[0]: missing required field "image": every container needs an image' }]);
  });

  it('refuses container and volume names that are not DNS labels', () => {
    const text = deploymentYaml('          volumeMounts: [{name: Cache_Dir, mountPath: /cache}]\n', '      volumes: [{name: Cache_Dir, emptyDir: {}}]\n').replace('- name: web', '- name: Web');
    expect(messages(text)).toEqual([
      expect.stringContaining('spec.template.spec.volumes[0].name: invalid volume name "Cache_Dir"'),
      expect.stringContaining('spec.template.spec.containers[0].name: invalid container name "Web"'),
    ]);
  });

  it('refuses a volume mount that refers to no volume, at its name', () => {
    const [finding] = workload(deploymentYaml('          volumeMounts: [{name: config, mountPath: /etc/app}]\n'));
    expect(finding).toMatchObject({ line: 17, message: expect.stringContaining('spec.template.spec.containers[0].volumeMounts[0].name: volume mount "config" refers to no volume of the pod') });
  });

  it('accepts StatefulSet mounts of its volumeClaimTemplates', () => {
    const text = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: apps}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:16", volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]}]}
  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}]
`;
    expect(validateYaml(text)).toEqual([]);
  });

  it('refuses an empty selector and a selector that does not match the template labels', () => {
    expect(messages(deploymentYaml().replace('matchLabels: {app: web}', 'matchLabels: {}'))).toEqual([
      expect.stringContaining('spec.selector: empty selector is invalid for a Deployment'),
    ]);
    expect(messages(deploymentYaml().replace('matchLabels: {app: web}', 'matchLabels: {app: api}'))).toEqual([
      expect.stringContaining('spec.template.metadata.labels: selector does not match template labels'),
    ]);
  });

  it('accepts selectors with expressions that match, and templates with more labels than the selector', () => {
    const text = deploymentYaml()
      .replace('matchLabels: {app: web}', 'matchLabels: {app: web}\n    matchExpressions: [{key: tier, operator: In, values: [front]}, {key: canary, operator: DoesNotExist}]')
      .replace('labels: {app: web}', 'labels: {app: web, tier: front, version: "2"}');
    expect(validateYaml(text)).toEqual([]);
  });

  it('refuses ports out of range and port names that are not IANA service names', () => {
    const text = deploymentYaml('          ports: [{containerPort: 0}, {containerPort: 70000}, {containerPort: 80, hostPort: 65536}, {containerPort: 81, name: http_web}, {containerPort: 82, name: "8080"}]\n');
    expect(messages(text)).toEqual([
      expect.stringContaining('ports[0].containerPort: invalid containerPort 0: must be between 1 and 65535'),
      expect.stringContaining('ports[1].containerPort: invalid containerPort 70000'),
      expect.stringContaining('ports[2].hostPort: invalid hostPort 65536'),
      expect.stringContaining('ports[3].name: invalid port name "http_web"'),
      expect.stringContaining('ports[4].name: invalid port name "8080": must contain at least one letter'),
    ]);
  });

  it('refuses requests above limits, and reads quantities in every spelling', () => {
    const text = deploymentYaml(`          resources:
            requests: {cpu: "2", memory: 1Gi, ephemeral-storage: 2G}
            limits: {cpu: 1500m, memory: 1024Mi, ephemeral-storage: 1.5e9}
`);
    expect(messages(text)).toEqual([
      'spec.template.spec.containers[0].resources.requests.cpu: cpu request 2 is more than its limit 1500m: a request must be less than or equal to the limit',
      'spec.template.spec.containers[0].resources.requests.ephemeral-storage: ephemeral-storage request 2G is more than its limit 1500000000: a request must be less than or equal to the limit',
    ]);
  });

  it('refuses a quantity that does not parse (cpu: lots), and no request-limit finding on top', () => {
    const findings = validateYaml(deploymentYaml('          resources: {requests: {cpu: lots}, limits: {cpu: "1"}}\n'));
    expect(findings.map((f) => [f.rule, f.message])).toEqual([
      ['schema', 'spec.template.spec.containers[0].resources.requests.cpu: expected a quantity such as 500m, 2, 1.5Gi or 128Mi'],
    ]);
  });

  it('refuses environment variable names by the target version', () => {
    const text = deploymentYaml('          env: [{name: "1ST", value: a}, {name: "A=B", value: b}, {name: "with space", value: c}]\n');
    expect(messages(text, '1.31')).toEqual([
      expect.stringContaining('env[0].name: invalid environment variable name "1ST"'),
      expect.stringContaining('env[1].name: invalid environment variable name "A=B"'),
      expect.stringContaining('env[2].name: invalid environment variable name "with space"'),
    ]);
    expect(messages(text, '1.33')).toEqual([expect.stringContaining('env[1].name: invalid environment variable name "A=B"')]);
  });

  it('refuses restart policies the kind does not allow', () => {
    expect(messages(deploymentYaml('', '      restartPolicy: OnFailure\n'))).toEqual([
      'spec.template.spec.restartPolicy: unsupported restartPolicy "OnFailure" here: supported values: "Always"',
    ]);
    const job = `apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: apps}
spec:
  template:
    spec:
      containers: [{name: migrate, image: "busybox:1.36"}]
`;
    expect(messages(job)).toEqual(['spec.template.spec: restartPolicy is required here (the default Always is not allowed): valid values: "OnFailure", "Never"']);
    expect(messages(job.replace('containers:', 'restartPolicy: Never\n      containers:'))).toEqual([]);
    // A misspelt policy is one server-enum finding, not a second one here.
    const misspelt = validateYaml(deploymentYaml('', '      restartPolicy: Allways\n'));
    expect(misspelt.map((f) => f.rule)).toEqual(['server-enum']);
  });

  it('refuses a container name used twice across containers and init containers', () => {
    const text = deploymentYaml('', '      initContainers: [{name: web, image: "busybox:1.36"}]\n');
    expect(messages(text)).toEqual([expect.stringContaining('spec.template.spec.containers[0].name: container name "web" is already used in initContainers')]);
  });

  it('checks Pods, and CronJob templates', () => {
    expect(messages('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: apps}\nspec: {containers: [{name: p}]}\n')).toEqual([
      expect.stringContaining('spec.containers[0]: missing required field "image"'),
    ]);
    const cronJob = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: apps}
spec:
  schedule: "@daily"
  jobTemplate: {spec: {template: {spec: {restartPolicy: OnFailure, containers: [{name: job, image: "busybox:1.36", volumeMounts: [{name: x, mountPath: /x}]}]}}}}
`;
    expect(messages(cronJob)).toEqual([expect.stringContaining('spec.jobTemplate.spec.template.spec.containers[0].volumeMounts[0].name')]);
  });
});

describe('Service rules (server-workload)', () => {
  const service = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: apps}\nspec:\n  selector: {app: web}\n  ports:\n${ports}`;

  it('accepts int-or-string target ports and named ports', () => {
    expect(validateYaml(service('    - {name: http, port: 80, targetPort: http-alt}\n    - {name: https, port: 443, targetPort: 8443}\n    - {name: metrics, port: 9090, targetPort: "9090"}\n'))).toEqual([]);
    expect(validateYaml(service('    - {port: 80}\n'))).toEqual([]);
  });

  it('refuses target port names that are not IANA service names and ports out of range', () => {
    expect(messages(service('    - {name: http, port: 80, targetPort: http_web}\n    - {name: big, port: 70000, targetPort: 0}\n'))).toEqual([
      expect.stringContaining('spec.ports[0].targetPort: invalid targetPort "http_web"'),
      expect.stringContaining('spec.ports[1].port: invalid port 70000'),
      expect.stringContaining('spec.ports[1].targetPort: invalid targetPort 0'),
    ]);
  });

  it('requires port names when there is more than one port, and unique ones', () => {
    expect(messages(service('    - {port: 80}\n    - {port: 443}\n'))).toEqual([
      'spec.ports[0]: a port name is required when a Service has more than one port',
      'spec.ports[1]: a port name is required when a Service has more than one port',
    ]);
    expect(messages(service('    - {name: web, port: 80}\n    - {name: web, port: 443}\n'))).toEqual([expect.stringContaining('duplicate port name "web"')]);
  });
});
