import { byRule, environment, validateYaml } from './helpers.js';

const cronJob = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: CronJob
metadata: {name: nightly, namespace: apps}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: job, image: "busybox:1.36"}]
`;

describe('API versions by Kubernetes version', () => {
  it.each([
    ['extensions/v1beta1', 'Ingress', '1.22', 'error', 'networking.k8s.io/v1'],
    ['networking.k8s.io/v1beta1', 'Ingress', '1.33', 'error', 'networking.k8s.io/v1'],
    ['networking.k8s.io/v1beta1', 'Ingress', '1.21', 'warning', 'networking.k8s.io/v1'],
    ['policy/v1beta1', 'PodSecurityPolicy', '1.25', 'error', 'Pod Security Admission'],
    ['policy/v1beta1', 'PodSecurityPolicy', '1.24', 'warning', 'Pod Security Admission'],
    ['batch/v1beta1', 'CronJob', '1.25', 'error', 'batch/v1'],
    ['batch/v1beta1', 'CronJob', '1.24', 'warning', 'batch/v1'],
    ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.25', 'error', 'autoscaling/v2'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.25', 'warning', 'autoscaling/v2'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', 'error', 'autoscaling/v2'],
    ['policy/v1beta1', 'PodDisruptionBudget', '1.25', 'error', 'policy/v1'],
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32', 'error', 'flowcontrol.apiserver.k8s.io/v1'],
    ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.27', 'error', 'storage.k8s.io/v1'],
    ['apps/v1beta2', 'Deployment', '1.16', 'error', 'apps/v1'],
    ['extensions/v1beta1', 'DaemonSet', '1.33', 'error', 'apps/v1'],
    ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole', '1.22', 'error', 'rbac.authorization.k8s.io/v1'],
    ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', '1.22', 'error', 'apiextensions.k8s.io/v1'],
    ['admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', '1.22', 'error', 'admissionregistration.k8s.io/v1'],
    ['v1', 'Endpoints', '1.33', 'warning', 'EndpointSlice'],
  ])('%s %s on %s is a %s naming %s', (apiVersion, kind, version, severity, replacement) => {
    const text = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: apps}\n`;
    const findings = byRule(validateYaml(text, environment({ kubernetesVersion: version })), 'deprecated-api');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity, line: 1, column: 1 });
    expect(findings[0].message).toContain(replacement);
  });

  it('says nothing before the deprecation', () => {
    expect(byRule(validateYaml(cronJob('batch/v1beta1'), environment({ kubernetesVersion: '1.20' })), 'deprecated-api')).toEqual([]);
  });

  it('says nothing about current APIs', () => {
    expect(validateYaml(cronJob('batch/v1'), environment({ kubernetesVersion: '1.33' }))).toEqual([]);
  });

  it('notes when the replacement is newer than the target cluster', () => {
    const text = 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta2\nkind: FlowSchema\nmetadata: {name: x}\n';
    const [early] = byRule(validateYaml(text, environment({ kubernetesVersion: '1.27' })), 'deprecated-api');
    expect(early.message).toContain('served from Kubernetes 1.29: upgrade the cluster first');
    const [late] = byRule(validateYaml(text, environment({ kubernetesVersion: '1.29' })), 'deprecated-api');
    expect(late.severity).toBe('error');
    expect(late.message).not.toContain('upgrade the cluster first');
  });
});

describe('unknown built-in kinds', () => {
  it('suggests the closest kind of a built-in group', () => {
    const [finding] = validateYaml('apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x, namespace: apps}\n');
    expect(finding).toMatchObject({ severity: 'error', rule: 'unknown-kind', line: 2, column: 1 });
    expect(finding.message).toContain('did you mean "Deployment"?');
  });

  it('is an error even without strict mode, and points at a kind served in another group', () => {
    const [finding] = validateYaml('apiVersion: v1\nkind: Deployment\nmetadata: {name: x, namespace: apps}\n');
    expect(finding.severity).toBe('error');
    expect(finding.message).toContain('Deployment is served as apps/v1');
  });

  it('names the served version of a known kind used with an unserved version', () => {
    const [finding] = validateYaml('apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: x, namespace: apps}\n');
    expect(finding).toMatchObject({ severity: 'error', rule: 'unknown-kind' });
    expect(finding.message).toContain('use apiVersion apps/v1');
  });
});
