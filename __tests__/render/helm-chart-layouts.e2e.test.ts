import { resolve } from 'node:path';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { renderEnvironment } from '../support/host-runner.js';
import { collectCrdSchemas, validateObjects } from '../../src/validate/index.js';
import { testEnvironment } from '../support/environment.js';

const PODINFO = resolve('__tests__/fixtures/render/helm-podinfo');

function environment(path: string, extra: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return testEnvironment('podinfo', { path, namespace: 'apps', helm: { releaseName: 'web', valuesFiles: [] }, ...extra });
}

const names = (objects: { object: { kind: string; metadata: { name?: string } } }[]) => objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`);

describe('helm chart like podinfo: test hooks', () => {
  it('leaves test hooks out of the render and says so once', async () => {
    const result = await renderEnvironment(environment('charts/podinfo'), { root: PODINFO });
    expect(names(result.objects).filter((n) => n.startsWith('Pod/'))).toEqual([]);
    const notices = result.findings.filter((f) => f.rule === 'helm-test-hooks');
    expect(notices).toEqual([
      {
        severity: 'notice',
        rule: 'helm-test-hooks',
        message:
          'left out 2 Helm test hooks (helm.sh/hook: test, as `helm template --skip-tests` does): they are run by `helm test`, not part of the desired state: templates/tests/test-connection.yaml, templates/tests/test-grpc.yaml',
        file: 'charts/podinfo',
        environment: 'podinfo',
      },
    ]);
  });

  it('keeps the other hooks', async () => {
    const result = await renderEnvironment(environment('charts/podinfo'), { root: PODINFO });
    expect(names(result.objects)).toEqual(expect.arrayContaining(['Job/web-migrate', 'ConfigMap/web-seed']));
  });
});

describe('helm chart like podinfo: crds/', () => {
  it('renders the CRDs of crds/, pointing at their file', async () => {
    const result = await renderEnvironment(environment('charts/podinfo'), { root: PODINFO });
    const crd = result.objects.find((o) => o.object.kind === 'CustomResourceDefinition');
    expect(crd?.object.metadata.name).toBe('alertrules.monitoring.example.com');
    expect(crd?.source).toEqual({ file: 'charts/podinfo/crds/alertrules.yaml', line: 2, column: 1 });
  });

  it('validates the chart\'s custom resources against them', async () => {
    const env = environment('charts/podinfo');
    const result = await renderEnvironment(env, { root: PODINFO });
    const findings = validateObjects(result.objects, env, { crds: collectCrdSchemas(result.objects) });
    expect(findings.filter((f) => f.rule === 'unknown-kind' || f.message.includes('AlertRule'))).toEqual([]);
    const bad = result.objects.map((o) =>
      o.object.kind === 'AlertRule' ? { ...o, object: { ...o.object, spec: { threshold: 'five' } } } : o,
    );
    const badFindings = validateObjects(bad, env, { crds: collectCrdSchemas(bad) });
    expect(badFindings.map((f) => [f.object, f.message])).toEqual([['AlertRule.monitoring.example.com/web-latency', expect.stringMatching(/threshold/)]]);
  });
});
