import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { applyChangeSet } from '../../src/kube/apply.js';
import { APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_ID_LABEL, APPLYSET_PART_OF_LABEL } from '../../src/kube/applyset.js';
import { buildChangeSet } from '../../src/kube/changeset.js';
import { countChanges } from '../../src/model/changeset.js';
import type { KubeObject, RenderedObject } from '../../src/model/objects.js';
import { json, status } from './fake-transport.js';
import { MemoryCluster } from './memory-cluster.js';

function env(overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return {
    name: 'dev',
    path: 'envs/dev',
    namespace: 'apps',
    promotion: 'commit',
    kubernetesVersion: '1.33',
    strict: false,
    prune: { enabled: true, maxShare: 0.5 },
    wait: { enabled: false, timeoutMs: 1000 },
    forceConflicts: true,
    heal: false,
    helm: { valuesFiles: [] },
    policies: { 'image-tag': 'warning', 'duplicate-object': 'error', 'missing-namespace': 'error', 'plaintext-secret': 'warning' },
    promotionLabels: [],
    ...overrides,
  } as EnvironmentConfig;
}

const cm = (name: string, data: Record<string, string> = { k: 'v' }, extra: Partial<KubeObject['metadata']> = {}): RenderedObject => ({
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data },
  source: { file: 'envs/dev/cm.yaml', line: 1, column: 1 },
});

async function deploy(cluster: MemoryCluster, objects: RenderedObject[], e = env(), options = {}) {
  const client = cluster.client();
  const changeSet = await buildChangeSet(client, e, objects, { prune: e.prune.enabled });
  const result = await applyChangeSet(client, e, changeSet, options);
  return { changeSet, result, client };
}

describe('change set and apply', () => {
  it('creates, then finds everything unchanged and writes nothing on a re-apply', async () => {
    const cluster = new MemoryCluster();
    const objects = [cm('a'), cm('b'), { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } } }];
    const first = await deploy(cluster, objects);
    expect(countChanges(first.changeSet.entries)).toMatchObject({ create: 3 });
    expect(first.result.ok).toBe(true);
    expect(cluster.get('ConfigMap', 'apps', 'a')?.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toMatch(/^applyset-/);
    const parent = cluster.get('Secret', 'apps', 'slipway-dev')!;
    expect(parent.metadata.labels?.[APPLYSET_ID_LABEL]).toBe(cluster.get('ConfigMap', 'apps', 'a')?.metadata.labels?.[APPLYSET_PART_OF_LABEL]);
    expect(parent.metadata.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]).toBe('ConfigMap,Deployment.apps');

    const writesBefore = cluster.writes;
    const second = await deploy(cluster, objects);
    expect(countChanges(second.changeSet.entries)).toMatchObject({ unchanged: 3, create: 0, update: 0 });
    expect(second.result.results.every((r) => r.outcome === 'unchanged')).toBe(true);
    expect(cluster.writes).toBe(writesBefore);
  });

  it('writes nothing on a re-apply with prune disabled either', async () => {
    const cluster = new MemoryCluster();
    const e = env({ prune: { enabled: false, maxShare: 0.5 } });
    await deploy(cluster, [cm('a')], e);
    const writes = cluster.writes;
    await deploy(cluster, [cm('a')], e);
    expect(cluster.writes).toBe(writes);
  });

  it('reports an update with a diff, and an error with the server message and source', async () => {
    const cluster = new MemoryCluster();
    await deploy(cluster, [cm('a')]);
    cluster.patchHook = (object) =>
      object.metadata.name === 'bad' ? status(422, 'Invalid', 'ConfigMap "bad" is invalid: data[k!]: Invalid value: "k!": a valid config key must consist of alphanumeric characters') : undefined;
    const { changeSet } = await deploy(cluster, [cm('a', { k: 'changed' }), cm('bad', { 'k!': 'x' })]);
    const [update, error] = changeSet.entries;
    expect(update.action).toBe('update');
    expect(update.diff).toContain('+  k: changed');
    expect(error.action).toBe('error');
    expect(error.message).toContain('ConfigMap/apps/bad (envs/dev/cm.yaml:1)');
    expect(error.message).toContain('a valid config key');
  });

  it('sends fields the client library does not know', async () => {
    const cluster = new MemoryCluster();
    const seen: KubeObject[] = [];
    cluster.patchHook = (object) => void seen.push(object) as undefined;
    const object = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1, futureKnob: { enabled: true } } };
    await deploy(cluster, [{ object }]);
    expect(seen.some((o) => (o.spec as { futureKnob?: unknown }).futureKnob)).toBe(true);
  });

  it('applies a CRD and its custom resource in one run, refreshing discovery', async () => {
    const cluster = new MemoryCluster();
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', names: { kind: 'Widget', plural: 'widgets' }, scope: 'Namespaced', versions: [{ name: 'v1' }] },
    };
    const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { anything: { goes: [1, 2] } } };
    const { changeSet, result } = await deploy(cluster, [{ object: widget }, { object: crd }], env(), { pollIntervalMs: 1 });
    expect(changeSet.entries.map((e) => e.action)).toEqual(['create', 'create']);
    expect(result.ok).toBe(true);
    expect(cluster.get('Widget', 'apps', 'w')?.spec).toEqual({ anything: { goes: [1, 2] } });
    const again = await deploy(cluster, [{ object: widget }, { object: crd }]);
    expect(countChanges(again.changeSet.entries).unchanged).toBe(2);
  });

  it('names a missing CRD', async () => {
    const cluster = new MemoryCluster();
    const { changeSet } = await deploy(cluster, [{ object: { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } } }]);
    expect(changeSet.entries[0].action).toBe('error');
    expect(changeSet.entries[0].message).toMatch(/Gadget\/g.*CustomResourceDefinition/s);
  });
});

describe('conflicts and immutable fields', () => {
  const conflict = status(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.k');

  it('refuses a conflict without force, naming fields and manager', async () => {
    const cluster = new MemoryCluster();
    cluster.patchHook = (_o, _l, q) => (q.get('force') === 'false' ? conflict : undefined);
    const { changeSet, result } = await deploy(cluster, [cm('a')], env({ forceConflicts: false }));
    expect(changeSet.entries[0].action).toBe('error');
    expect(changeSet.entries[0].message).toContain('kubectl-edit');
    expect(changeSet.entries[0].message).toContain('forceConflicts');
    expect(result.ok).toBe(false);
  });

  it('takes fields with force and reports from whom', async () => {
    const cluster = new MemoryCluster();
    cluster.seed({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', namespace: 'apps', managedFields: [{ manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:data': { 'f:k': {} } } }] },
      data: { k: 'theirs' },
    });
    const { changeSet, result } = await deploy(cluster, [cm('a', { k: 'ours' })]);
    expect(changeSet.entries[0].message).toContain('data.k from "kubectl-edit"');
    expect(result.results[0].takenFields).toEqual([{ manager: 'kubectl-edit', fields: ['data.k'] }]);
  });

  const immutable = json(422, {
    kind: 'Status',
    code: 422,
    reason: 'Invalid',
    message: 'Service "web" is invalid: spec.clusterIP: Invalid value: "10.0.0.9": field is immutable',
    details: { causes: [{ field: 'spec.clusterIP', message: 'Invalid value: "10.0.0.9": field is immutable' }] },
  });
  const svc = (annotations?: Record<string, string>): RenderedObject => ({
    object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', annotations }, spec: { clusterIP: '10.0.0.9' } },
  });

  it('explains an immutable field change', async () => {
    const cluster = new MemoryCluster();
    cluster.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps' }, spec: { clusterIP: '10.0.0.1' } });
    cluster.patchHook = (_o, live) => (live ? immutable : undefined);
    const { changeSet } = await deploy(cluster, [svc()]);
    expect(changeSet.entries[0].action).toBe('error');
    expect(changeSet.entries[0].message).toMatch(/Service\/apps\/web: field spec.clusterIP is immutable.*slipway.dev\/recreate/s);
  });

  it('deletes and recreates when annotated', async () => {
    const cluster = new MemoryCluster();
    cluster.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps', uid: 'old' }, spec: { clusterIP: '10.0.0.1' } });
    cluster.patchHook = (_o, live) => (live ? immutable : undefined);
    const { changeSet, result } = await deploy(cluster, [svc({ 'slipway.dev/recreate': 'enabled' })], env(), { pollIntervalMs: 1 });
    expect(changeSet.entries[0].action).toBe('update');
    expect(result.results[0]).toMatchObject({ outcome: 'applied' });
    expect(result.results[0].message).toContain('recreated');
    expect(cluster.get('Service', 'apps', 'web')?.metadata.uid).not.toBe('old');
  });
});

describe('prune', () => {
  const four = [cm('a'), cm('b'), cm('c'), cm('d')];

  it('lists members missing from the render as delete entries, then deletes them', async () => {
    const cluster = new MemoryCluster();
    await deploy(cluster, four);
    const { changeSet, result } = await deploy(cluster, four.slice(0, 3));
    expect(changeSet.entries.filter((e) => e.action === 'delete').map((e) => e.ref.name)).toEqual(['d']);
    expect(changeSet.entries.find((e) => e.action === 'delete')?.diff).toContain('-  name: d');
    expect(result.results.find((r) => r.ref.name === 'd')?.outcome).toBe('deleted');
    expect(cluster.get('ConfigMap', 'apps', 'd')).toBeUndefined();
  });

  it('never prunes on an empty render', async () => {
    const cluster = new MemoryCluster();
    await deploy(cluster, four);
    const { result } = await deploy(cluster, []);
    expect(result.ok).toBe(false);
    expect(result.pruneSkipped).toMatch(/render is empty/);
    expect(cluster.get('ConfigMap', 'apps', 'a')).toBeDefined();
  });

  it('refuses to delete more than the allowed share unless forced', async () => {
    const cluster = new MemoryCluster();
    await deploy(cluster, four);
    const refused = await deploy(cluster, four.slice(0, 1));
    expect(refused.result.pruneSkipped).toMatch(/3 of 4 objects \(75%\).*50%/);
    expect(cluster.get('ConfigMap', 'apps', 'b')).toBeDefined();
    const forced = await deploy(cluster, four.slice(0, 1), env(), { forcePrune: true });
    expect(forced.result.ok).toBe(true);
    expect(cluster.get('ConfigMap', 'apps', 'b')).toBeUndefined();
  });

  it('keeps objects annotated slipway.dev/prune: disabled', async () => {
    const cluster = new MemoryCluster();
    await deploy(cluster, [...four.slice(0, 3), cm('d', { k: 'v' }, { annotations: { 'slipway.dev/prune': 'disabled' } })]);
    const { changeSet, result } = await deploy(cluster, four.slice(0, 3));
    expect(changeSet.entries.find((e) => e.ref.name === 'd')).toMatchObject({ action: 'delete', pruneProtected: true });
    expect(result.results.find((r) => r.ref.name === 'd')?.outcome).toBe('kept');
    expect(cluster.get('ConfigMap', 'apps', 'd')).toBeDefined();
  });

  it('deletes webhooks first and namespaces last', async () => {
    const cluster = new MemoryCluster();
    const ns: RenderedObject = { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'extra' } } };
    const hook: RenderedObject = { object: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'h' } } };
    await deploy(cluster, [...four, ns, hook]);
    cluster.requests = [];
    await deploy(cluster, four, env({ prune: { enabled: true, maxShare: 1 } }));
    const deletes = cluster.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
    expect(deletes).toEqual(['/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/h', '/api/v1/namespaces/extra']);
  });
});

describe('Helm hooks', () => {
  it('applies hooks after the other objects of their stage, in hook-weight order', async () => {
    const cluster = new MemoryCluster();
    const hook = (kind: string, apiVersion: string, name: string, weight?: string): RenderedObject => ({
      object: { apiVersion, kind, metadata: { name, annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade', ...(weight ? { 'helm.sh/hook-weight': weight } : {}) } } },
    });
    const objects: RenderedObject[] = [
      hook('Service', 'v1', 'migrate', '5'),
      hook('ConfigMap', 'v1', 'seed', '-5'),
      hook('ServiceAccount', 'v1', 'hook-sa'),
      { object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 } } },
      cm('settings'),
    ];
    await deploy(cluster, objects);
    const applied = cluster.requests.filter((r) => r.method === 'PATCH' && !r.dryRun && !r.path.includes('/secrets/')).map((r) => r.path.split('/').pop());
    expect(applied).toEqual(['settings', 'web', 'seed', 'hook-sa', 'migrate']);
  });
});

describe('secrets never appear in output', () => {
  it('masks generated values in diffs and messages, including server errors echoing the object', async () => {
    const cluster = new MemoryCluster();
    const values = Array.from({ length: 6 }, () => randomBytes(18).toString('base64url'));
    const secret = (name: string, data: Record<string, string>): RenderedObject => ({
      object: { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: data },
    });
    await deploy(cluster, [secret('s1', { a: values[0], b: values[1] }), secret('s2', { c: values[2] })]);
    cluster.patchHook = (object) =>
      object.metadata.name === 's3' ? status(422, 'Invalid', `Secret "s3" is invalid: ${JSON.stringify(object)}`) : undefined;
    const { changeSet } = await deploy(cluster, [
      secret('s1', { a: values[0], b: values[3], d: values[4] }),
      secret('s2', { c: values[2] }),
      secret('s3', { e: values[5] }),
    ]);
    expect(changeSet.entries.map((e) => e.action)).toEqual(['update', 'unchanged', 'error']);
    const printable = changeSet.entries.map((e) => `${e.diff}\n${e.message ?? ''}`).join('\n');
    expect(printable).toContain('*** (before)');
    expect(printable).toContain('*** (after)');
    for (const value of values) {
      expect(printable).not.toContain(value);
      expect(printable).not.toContain(Buffer.from(value).toString('base64'));
    }
  });

  it('does not report stringData Secrets as changed on every run', async () => {
    const cluster = new MemoryCluster();
    const s: RenderedObject = { object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'x'.repeat(12) } } };
    await deploy(cluster, [s]);
    const { changeSet } = await deploy(cluster, [s]);
    expect(changeSet.entries.filter((e) => e.ref.name === 's')[0].action).toBe('unchanged');
  });
});

describe('retries', () => {
  it('converges with 20% of requests failing transiently', async () => {
    const cluster = new MemoryCluster();
    let seed = 7;
    cluster.random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    cluster.faultRate = 0.2;
    const objects = Array.from({ length: 40 }, (_, i) => cm(`c${i}`));
    const { result, client } = await deploy(cluster, objects);
    expect(result.ok).toBe(true);
    expect(client.stats.retries).toBeGreaterThan(5);
    cluster.faultRate = 0;
    expect(cluster.get('ConfigMap', 'apps', 'c39')).toBeDefined();
  });

  it('does not retry a 4xx', async () => {
    const cluster = new MemoryCluster();
    cluster.patchHook = (o) => (o.kind === 'ConfigMap' ? status(400, 'BadRequest', 'strict decoding error: unknown field "spec.templat"') : undefined);
    const { changeSet, client } = await deploy(cluster, [cm('a')]);
    expect(changeSet.entries[0].message).toContain('unknown field');
    expect(cluster.requests.filter((r) => r.method === 'PATCH' && r.path.includes('configmaps'))).toHaveLength(1);
    expect(client.stats.retries).toBe(0);
  });
});
