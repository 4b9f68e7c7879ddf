/**
 * The no-op path against the loopback API server: a plan of objects that live already holds,
 * owned by slipway, reads them (one LIST per kind and namespace) and dry-runs nothing; an
 * object whose apply would change something is still dry-run and planned as a change.
 */
import { buildChangeSet } from '../../src/kube/changeset.js';
import { KubeClient } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/model/objects.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { configMap, deploy, deployment, environment, rendered, seedNamespace } from './engine-loopback.js';

const secret = (name: string, password: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: 'Opaque', stringData: { password } });

function objects(overrides: Record<string, KubeObject> = {}) {
  const list: KubeObject[] = [];
  for (let i = 0; i < 10; i++) list.push(configMap(`cm-${i}`, { index: String(i) }));
  for (let i = 0; i < 3; i++) list.push(deployment(`web-${i}`, `web-${i}`, { template: { metadata: { labels: { app: `web-${i}` } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } }));
  list.push(secret('db', 'hunter2'));
  return list.map((o) => rendered(overrides[o.metadata.name ?? ''] ?? o));
}

describe('no-op path', () => {
  let kube: FakeKubeApiServer;
  let client: KubeClient;
  const env = environment('noop', 'noop');

  beforeEach(async () => {
    kube = await FakeKubeApiServer.start();
    seedNamespace(kube, 'noop');
    client = await KubeClient.connect({ kubeconfig: kube.kubeconfig() });
    const first = await deploy(client, env, objects());
    expect(first.result.ok).toBe(true);
    kube.clearRequests();
  });
  afterEach(async () => {
    client.close();
    await kube.stop();
  });

  const dryRuns = () => kube.requests.filter((r) => r.dryRun).map((r) => r.path.split('/').pop());

  it('plans an unchanged environment with no dry-run at all', async () => {
    const plan = await buildChangeSet(client, env, objects(), { prune: true });
    expect(plan.entries.every((e) => e.action === 'unchanged')).toBe(true);
    expect(dryRuns()).toEqual([]);
    expect(kube.requests.every((r) => r.method === 'GET')).toBe(true);
    // One LIST of the ConfigMaps answers both the live objects and the ApplySet's members.
    expect(kube.requests.filter((r) => r.path === '/api/v1/namespaces/noop/configmaps')).toHaveLength(1);
  });

  it('still dry-runs, and plans as a change, an object edited by another manager', async () => {
    const other = await KubeClient.connect({ kubeconfig: kube.kubeconfig() });
    await other.apply({ ...configMap('cm-3', { index: 'edited' }), metadata: { name: 'cm-3', namespace: 'noop' } }, { fieldManager: 'kubectl-edit', force: true });
    other.close();
    kube.clearRequests();

    const plan = await buildChangeSet(client, env, objects(), { prune: true });
    expect(plan.entries.find((e) => e.ref.name === 'cm-3')?.action).toBe('update');
    expect(plan.entries.filter((e) => e.action !== 'unchanged').map((e) => e.ref.name)).toEqual(['cm-3']);
    expect(dryRuns()).toEqual(['cm-3']);
  });

  it('dry-runs an object whose manifest drops a field slipway owns, and a changed Secret value', async () => {
    const dropped = deployment('web-1', 'web-1', { replicas: undefined });
    delete (dropped.spec as Record<string, unknown>).replicas;
    const plan = await buildChangeSet(client, env, objects({ 'web-1': { ...dropped, spec: { ...(dropped.spec as object), template: { metadata: { labels: { app: 'web-1' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] }] } } } }, db: secret('db', 'rotated') }), { prune: true });
    const changed = plan.entries.filter((e) => e.action !== 'unchanged').map((e) => e.ref.name).sort();
    expect(changed).toEqual(['db', 'web-1']);
    expect(dryRuns().sort()).toEqual(['db', 'web-1']);
  });
});
