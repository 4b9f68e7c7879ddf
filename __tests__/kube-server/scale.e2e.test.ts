/**
 * The /scale subresource, driven by the real kubectl 1.35: `kubectl scale` (a merge patch of
 * the Scale, or GET then PUT with --current-replicas), `--dry-run=server`, and the server's own
 * validation through `kubectl patch --subresource=scale`.
 */
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { Kubectl } from './kubectl.js';

describe('the /scale subresource with real kubectl', () => {
  let server: FakeKubeApiServer;
  let kubectl: Kubectl;

  beforeAll(async () => {
    server = await FakeKubeApiServer.start();
    kubectl = new Kubectl(server);
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    server.seed(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        },
      },
      { manager: 'slipway' },
    );
  });

  afterAll(async () => {
    await server.stop();
    kubectl.cleanup();
  });

  const deployment = () => server.getObject('apps/v1', 'Deployment', 'web', 'shop')!;

  test('kubectl scale merge-patches the Scale; spec.replicas changes and kubectl owns it through the subresource', async () => {
    server.clearRequests();
    const result = await kubectl.run('scale', 'deployment/web', '--replicas=5', '-n', 'shop');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('deployment.apps/web scaled');
    const writes = server.requests.filter((r) => r.method !== 'GET');
    expect(writes).toEqual([
      expect.objectContaining({ method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/deployments/web/scale', contentType: 'application/merge-patch+json', status: 200 }),
    ]);
    const live = deployment();
    expect(live.spec).toMatchObject({ replicas: 5, selector: { matchLabels: { app: 'web' } } });
    expect(live.metadata.generation).toBe(2);
    const managers = live.metadata.managedFields as { manager: string; operation: string; subresource?: string; fieldsV1: Record<string, unknown> }[];
    expect(managers.map((m) => [m.manager, m.operation, m.subresource])).toEqual([
      ['slipway', 'Update', undefined],
      ['kubectl', 'Update', 'scale'],
    ]);
    expect(managers[1].fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
  });

  test('GET /scale is an autoscaling/v1 Scale with the selector as a string', async () => {
    const result = await kubectl.run('get', '--raw', '/apis/apps/v1/namespaces/shop/deployments/web/scale');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: { name: 'web', namespace: 'shop', resourceVersion: deployment().metadata.resourceVersion },
      spec: { replicas: 5 },
      status: { selector: 'app=web' },
    });
  });

  test('--current-replicas reads the Scale and writes it back; a wrong precondition changes nothing', async () => {
    server.clearRequests();
    const scaled = await kubectl.run('scale', 'deployment/web', '--replicas=3', '--current-replicas=5', '-n', 'shop');
    expect(scaled.code).toBe(0);
    expect(server.requests.filter((r) => r.path.endsWith('/scale')).map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect(deployment().spec).toMatchObject({ replicas: 3 });

    const refused = await kubectl.run('scale', 'deployment/web', '--replicas=7', '--current-replicas=5', '-n', 'shop');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Expected replicas to be 5, was 3');
    expect(deployment().spec).toMatchObject({ replicas: 3 });
  });

  test('--dry-run=server answers without storing anything', async () => {
    const before = server.currentResourceVersion();
    const result = await kubectl.run('scale', 'deployment/web', '--replicas=9', '--dry-run=server', '-n', 'shop');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('deployment.apps/web scaled (server dry run)');
    expect(server.currentResourceVersion()).toBe(before);
    expect(deployment().spec).toMatchObject({ replicas: 3 });
  });

  test('the server refuses a negative replica count with a 422 naming the field', async () => {
    const result = await kubectl.run('patch', 'deployment/web', '-n', 'shop', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":-1}}');
    expect(result.code).not.toBe(0);
    // kubectl rewords a 422 from its causes, as it does for a real server's.
    expect(result.stderr).toContain('The Scale "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(deployment().spec).toMatchObject({ replicas: 3 });
  });

  test('kinds without /scale answer 404 there', async () => {
    server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags', namespace: 'shop' }, data: {} });
    const result = await kubectl.run('get', '--raw', '/api/v1/namespaces/shop/configmaps/flags/scale');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('NotFound');
  });
});
