import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { DEFAULT_POLICIES } from '../../src/config/load.js';
import { renderEnvironment } from '../../src/render/render.js';

const ROOT = resolve('__tests__/fixtures/render/helm-deps');

function environment(name: string, extra: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return {
    name,
    path: `envs/${name}`,
    promotion: 'commit',
    kubernetesVersion: '1.33',
    strict: false,
    prune: { enabled: true, maxShare: 0.5 },
    wait: { enabled: true, timeoutMs: 300_000 },
    forceConflicts: true,
    heal: false,
    helm: { valuesFiles: [] },
    policies: DEFAULT_POLICIES,
    promotionLabels: [],
    ...extra,
  };
}

const placed = (result: Awaited<ReturnType<typeof renderEnvironment>>) =>
  result.objects.map((o) => `${o.object.kind}/${o.object.metadata.name} ${o.source?.file}:${o.source?.line}`);

describe('helm chart dependencies', () => {
  afterEach(() => {
    // Never written into the checkout.
    for (const env of ['shop', 'remote', 'oci']) expect(readdirSync(join(ROOT, 'envs', env)).sort()).not.toContain('charts');
  });

  it('builds a file:// dependency pinned by Chart.lock into a temporary copy and renders it', async () => {
    const result = await renderEnvironment(environment('shop'), { root: ROOT });
    expect(result.findings).toEqual([]);
    expect(placed(result)).toEqual(['ConfigMap/shop-common charts/common/templates/configmap.yaml:2', 'Service/shop-web envs/shop/templates/service.yaml:2']);
    expect(result.objects[0]!.object.data).toEqual({ team: 'checkout' });
    expect(existsSync(join(ROOT, 'envs/shop/charts'))).toBe(false);
  });

  it('names the chart, the dependency and the repository when the repository cannot be reached', async () => {
    const result = await renderEnvironment(environment('remote'), { root: ROOT });
    expect(result.objects).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'helm-dependency', file: 'envs/remote/Chart.yaml', environment: 'remote' })]);
    expect(result.findings[0]!.message).toMatch(
      /^helm could not fetch the dependencies of chart "storefront" \(envs\/remote\/Chart\.yaml\) for environment "remote": "redis" 19\.0\.2 from http:\/\/127\.0\.0\.1:9\/charts\.\n[\s\S]*connection refused[\s\S]*helm dependency build envs\/remote/,
    );
  });

  it('treats an oci:// dependency the same way', async () => {
    const result = await renderEnvironment(environment('oci'), { root: ROOT });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'helm-dependency', file: 'envs/oci/Chart.yaml' })]);
    expect(result.findings[0]!.message).toMatch(/chart "storefront" .*"podinfo" 6\.5\.0 from oci:\/\/127\.0\.0\.1:9\/charts\.\n[\s\S]*connection refused/);
  });
});

describe('kustomize helmCharts', () => {
  it('renders with --enable-helm, using the helm Slipway found', async () => {
    const result = await renderEnvironment(environment('search'), { root: ROOT });
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.objects.map((o) => [o.object.kind, o.object.metadata.name, o.object.metadata.namespace, o.object.data])).toEqual([
      ['ConfigMap', 'search-common', 'search', { team: 'search' }],
    ]);
    expect(result.objects[0]!.source).toEqual({ file: 'envs/search/kustomization.yaml', line: 1, column: 1 });
  });
});
