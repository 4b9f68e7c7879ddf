import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { applyChangeSet } from '../../src/kube/apply.js';
import { APPLYSET_GROUP_KINDS_ANNOTATION, APPLYSET_ID_LABEL, APPLYSET_PART_OF_LABEL } from '../../src/kube/applyset.js';
import { buildChangeSet } from '../../src/kube/changeset.js';
import { countChanges } from '../../src/model/changeset.js';
import type { KubeObject, RenderedObject } from '../../src/model/objects.js';
import { failure, FAST_RETRY, FakeKubeApiServer, type InterceptAnswer, type InterceptedRequest } from '../support/kube-api-server.js';
import { testEnvironment } from '../support/environment.js';

function env(overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return testEnvironment('dev', {
    namespace: 'apps',
    wait: { enabled: false, timeoutMs: 1000 },
    policies: { 'image-tag': 'warning', 'duplicate-object': 'error', 'missing-namespace': 'error', 'plaintext-secret': 'warning' },
    ...overrides,
  });
}

const cm = (name: string, data: Record<string, string> = { k: 'v' }, extra: Partial<KubeObject['metadata']> = {}): RenderedObject => ({
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data },
  source: { file: 'envs/dev/cm.yaml', line: 1, column: 1 },
});

const API_VERSIONS: Record<string, string> = {
  ConfigMap: 'v1',
  Secret: 'v1',
  Service: 'v1',
  Namespace: 'v1',
  Deployment: 'apps/v1',
  Widget: 'example.com/v1',
};

/** The loopback API server, in-process, with the environment's namespace `apps`. */
function memoryCluster(): FakeKubeApiServer {
  const server = FakeKubeApiServer.inProcess();
  server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  return server;
}

function get(server: FakeKubeApiServer, kind: string, namespace: string, name: string): KubeObject | undefined {
  return server.getObject(API_VERSIONS[kind], kind, name, namespace);
}

/** Scripts the answer to server-side applies: `hook` sees the applied object, the live one and the query. */
function onApply(server: FakeKubeApiServer, hook: (object: KubeObject, live: KubeObject | undefined, query: Record<string, string>) => InterceptAnswer | undefined): void {
  server.intercept((req: InterceptedRequest) => {
    if (req.method !== 'PATCH' || req.contentType !== 'application/apply-patch+yaml') return undefined;
    const object = JSON.parse(req.body) as KubeObject;
    return hook(object, get(server, object.kind, object.metadata.namespace ?? 'apps', object.metadata.name ?? ''), req.query);
  });
}

/** A Deployment the API server accepts (selector and template included). */
function deploymentObject(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
      ...spec,
    },
  };
}

async function deploy(cluster: FakeKubeApiServer, objects: RenderedObject[], e = env(), options = {}) {
  const client = cluster.client({ retryPolicy: FAST_RETRY });
  const changeSet = await buildChangeSet(client, e, objects, { prune: e.prune.enabled });
  const result = await applyChangeSet(client, e, changeSet, options);
  return { changeSet, result, client };
}

describe('change set and apply', () => {
  it('creates, then finds everything unchanged and writes nothing on a re-apply', async () => {
    const cluster = memoryCluster();
    const objects = [cm('a'), cm('b'), { object: deploymentObject('web') }];
    const first = await deploy(cluster, objects);
    expect(countChanges(first.changeSet.entries)).toMatchObject({ create: 3 });
    expect(first.result.ok).toBe(true);
    expect(get(cluster, 'ConfigMap', 'apps', 'a')?.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toMatch(/^applyset-/);
    const parent = get(cluster, 'Secret', 'apps', 'slipway-dev')!;
    expect(parent.metadata.labels?.[APPLYSET_ID_LABEL]).toBe(get(cluster, 'ConfigMap', 'apps', 'a')?.metadata.labels?.[APPLYSET_PART_OF_LABEL]);
    expect(parent.metadata.annotations?.[APPLYSET_GROUP_KINDS_ANNOTATION]).toBe('ConfigMap,Deployment.apps');

    const writesBefore = cluster.writeCount();
    const second = await deploy(cluster, objects);
    expect(countChanges(second.changeSet.entries)).toMatchObject({ unchanged: 3, create: 0, update: 0 });
    expect(second.result.results.every((r) => r.outcome === 'unchanged')).toBe(true);
    expect(cluster.writeCount()).toBe(writesBefore);
  });

  it('writes nothing on a re-apply with prune disabled either', async () => {
    const cluster = memoryCluster();
    const e = env({ prune: { enabled: false, maxShare: 0.5 } });
    await deploy(cluster, [cm('a')], e);
    const writes = cluster.writeCount();
    await deploy(cluster, [cm('a')], e);
    expect(cluster.writeCount()).toBe(writes);
  });

  it('reports an update with a diff, and an error with the server message and source', async () => {
    const cluster = memoryCluster();
    await deploy(cluster, [cm('a')]);
    onApply(cluster, (object) =>
      object.metadata.name === 'bad' ? failure(422, 'Invalid', 'ConfigMap "bad" is invalid: data[k!]: Invalid value: "k!": a valid config key must consist of alphanumeric characters') : undefined,
    );
    const { changeSet } = await deploy(cluster, [cm('a', { k: 'changed' }), cm('bad', { 'k!': 'x' })]);
    const [update, error] = changeSet.entries;
    expect(update.action).toBe('update');
    expect(update.diff).toContain('+  k: changed');
    expect(error.action).toBe('error');
    expect(error.message).toContain('ConfigMap/apps/bad (envs/dev/cm.yaml:1)');
    expect(error.message).toContain('a valid config key');
  });

  it('sends fields the client library does not know', async () => {
    const cluster = memoryCluster();
    const seen: KubeObject[] = [];
    onApply(cluster, (object) => void seen.push(object) as undefined);
    const object = deploymentObject('web', { futureKnob: { enabled: true } });
    await deploy(cluster, [{ object }]);
    expect(seen.some((o) => (o.spec as { futureKnob?: unknown }).futureKnob)).toBe(true);
  });

  it('applies a CRD and its custom resource in one run, refreshing discovery', async () => {
    const cluster = memoryCluster();
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { anything: { goes: [1, 2] } } };
    const { changeSet, result } = await deploy(cluster, [{ object: widget }, { object: crd }], env(), { pollIntervalMs: 1 });
    expect(changeSet.entries.map((e) => e.action)).toEqual(['create', 'create']);
    expect(result.ok).toBe(true);
    expect(get(cluster, 'Widget', 'apps', 'w')?.spec).toEqual({ anything: { goes: [1, 2] } });
    const again = await deploy(cluster, [{ object: widget }, { object: crd }]);
    expect(countChanges(again.changeSet.entries).unchanged).toBe(2);
  });

  it('names a missing CRD', async () => {
    const cluster = memoryCluster();
    const { changeSet } = await deploy(cluster, [{ object: { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } } }]);
    expect(changeSet.entries[0].action).toBe('error');
    expect(changeSet.entries[0].message).toMatch(/Gadget\.example\.com\/g.*CustomResourceDefinition/s);
  });
});

describe('conflicts and immutable fields', () => {
  const conflict = failure(409, 'Conflict', 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.k');

  it('refuses a conflict without force, naming fields and manager', async () => {
    const cluster = memoryCluster();
    onApply(cluster, (_o, _l, q) => (q.force === 'false' ? conflict : undefined));
    const { changeSet, result } = await deploy(cluster, [cm('a')], env({ forceConflicts: false }));
    expect(changeSet.entries[0].action).toBe('error');
    expect(changeSet.entries[0].message).toContain('kubectl-edit');
    expect(changeSet.entries[0].message).toContain('forceConflicts');
    expect(result.ok).toBe(false);
  });

  it('takes fields with force and reports from whom', async () => {
    const cluster = memoryCluster();
    cluster.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'apps' }, data: { k: 'theirs' } }, { manager: 'kubectl-edit' });
    const { changeSet, result } = await deploy(cluster, [cm('a', { k: 'ours' })]);
    expect(changeSet.entries[0].message).toContain('data.k from "kubectl-edit"');
    expect(result.results[0].takenFields).toEqual([{ manager: 'kubectl-edit', fields: ['data.k'] }]);
  });

  const immutable = failure(422, 'Invalid', 'Service "web" is invalid: spec.clusterIP: Invalid value: "10.0.0.9": field is immutable', {
    details: { causes: [{ field: 'spec.clusterIP', message: 'Invalid value: "10.0.0.9": field is immutable' }] },
  });
  const svc = (annotations?: Record<string, string>): RenderedObject => ({
    object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', annotations }, spec: { clusterIP: '10.0.0.9', ports: [{ port: 80 }] } },
  });

  it('explains an immutable field change', async () => {
    const cluster = memoryCluster();
    cluster.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps' }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] } });
    onApply(cluster, (_o, live) => (live ? immutable : undefined));
    const { changeSet } = await deploy(cluster, [svc()]);
    expect(changeSet.entries[0].action).toBe('error');
    expect(changeSet.entries[0].message).toMatch(/Service\/apps\/web: field spec.clusterIP is immutable.*slipway.dev\/recreate/s);
  });

  it('deletes and recreates when annotated', async () => {
    const cluster = memoryCluster();
    const old = cluster.seed({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'apps' }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] } }).metadata.uid;
    onApply(cluster, (_o, live) => (live ? immutable : undefined));
    const { changeSet, result } = await deploy(cluster, [svc({ 'slipway.dev/recreate': 'enabled' })], env(), { pollIntervalMs: 1 });
    expect(changeSet.entries[0].action).toBe('update');
    expect(result.results[0]).toMatchObject({ outcome: 'applied' });
    expect(result.results[0].message).toContain('recreated');
    expect(old).toBeDefined();
    expect(get(cluster, 'Service', 'apps', 'web')?.metadata.uid).not.toBe(old);
  });
});

describe('prune', () => {
  const four = [cm('a'), cm('b'), cm('c'), cm('d')];

  it('lists members missing from the render as delete entries, then deletes them', async () => {
    const cluster = memoryCluster();
    await deploy(cluster, four);
    const { changeSet, result } = await deploy(cluster, four.slice(0, 3));
    expect(changeSet.entries.filter((e) => e.action === 'delete').map((e) => e.ref.name)).toEqual(['d']);
    expect(changeSet.entries.find((e) => e.action === 'delete')?.diff).toContain('-  name: d');
    expect(result.results.find((r) => r.ref.name === 'd')?.outcome).toBe('deleted');
    expect(get(cluster, 'ConfigMap', 'apps', 'd')).toBeUndefined();
  });

  it('never prunes on an empty render', async () => {
    const cluster = memoryCluster();
    await deploy(cluster, four);
    const { result } = await deploy(cluster, []);
    expect(result.ok).toBe(false);
    expect(result.pruneSkipped).toMatch(/render is empty/);
    expect(get(cluster, 'ConfigMap', 'apps', 'a')).toBeDefined();
  });

  it('refuses to delete more than the allowed share unless forced', async () => {
    const cluster = memoryCluster();
    await deploy(cluster, four);
    const refused = await deploy(cluster, four.slice(0, 1));
    expect(refused.result.pruneSkipped).toMatch(/3 of 4 objects \(75%\).*50%/);
    expect(get(cluster, 'ConfigMap', 'apps', 'b')).toBeDefined();
    const forced = await deploy(cluster, four.slice(0, 1), env(), { forcePrune: true });
    expect(forced.result.ok).toBe(true);
    expect(get(cluster, 'ConfigMap', 'apps', 'b')).toBeUndefined();
  });

  it('keeps objects annotated slipway.dev/prune: disabled', async () => {
    const cluster = memoryCluster();
    await deploy(cluster, [...four.slice(0, 3), cm('d', { k: 'v' }, { annotations: { 'slipway.dev/prune': 'disabled' } })]);
    const { changeSet, result } = await deploy(cluster, four.slice(0, 3));
    expect(changeSet.entries.find((e) => e.ref.name === 'd')).toMatchObject({ action: 'delete', pruneProtected: true });
    expect(result.results.find((r) => r.ref.name === 'd')?.outcome).toBe('kept');
    expect(get(cluster, 'ConfigMap', 'apps', 'd')).toBeDefined();
  });

  it('deletes webhooks first and namespaces last', async () => {
    const cluster = memoryCluster();
    const ns: RenderedObject = { object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'extra' } } };
    const hook: RenderedObject = { object: { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'h' } } };
    await deploy(cluster, [...four, ns, hook]);
    cluster.clearRequests();
    await deploy(cluster, four, env({ prune: { enabled: true, maxShare: 1 } }));
    const deletes = cluster.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
    expect(deletes).toEqual(['/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/h', '/api/v1/namespaces/extra']);
  });
});

describe('Helm hooks', () => {
  it('applies hooks after the other objects of their stage, in hook-weight order', async () => {
    const cluster = memoryCluster();
    const hook = (kind: string, apiVersion: string, name: string, weight?: string): RenderedObject => ({
      object: { apiVersion, kind, metadata: { name, annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade', ...(weight ? { 'helm.sh/hook-weight': weight } : {}) } } },
    });
    const objects: RenderedObject[] = [
      hook('Service', 'v1', 'migrate', '5'),
      hook('ConfigMap', 'v1', 'seed', '-5'),
      hook('ServiceAccount', 'v1', 'hook-sa'),
      { object: deploymentObject('web') },
      cm('settings'),
    ];
    await deploy(cluster, objects);
    const applied = cluster.requests.filter((r) => r.method === 'PATCH' && !r.dryRun && !r.path.includes('/secrets/')).map((r) => r.path.split('/').pop());
    expect(applied).toEqual(['settings', 'web', 'seed', 'hook-sa', 'migrate']);
  });
});

describe('secrets never appear in output', () => {
  it('masks generated values in diffs and messages, including server errors echoing the object', async () => {
    const cluster = memoryCluster();
    const values = Array.from({ length: 6 }, () => randomBytes(18).toString('base64url'));
    const secret = (name: string, data: Record<string, string>): RenderedObject => ({
      object: { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: data },
    });
    await deploy(cluster, [secret('s1', { a: values[0], b: values[1] }), secret('s2', { c: values[2] })]);
    onApply(cluster, (object) => (object.metadata.name === 's3' ? failure(422, 'Invalid', `Secret "s3" is invalid: ${JSON.stringify(object)}`) : undefined));
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
    const cluster = memoryCluster();
    const s: RenderedObject = { object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'x'.repeat(12) } } };
    await deploy(cluster, [s]);
    const { changeSet } = await deploy(cluster, [s]);
    expect(changeSet.entries.filter((e) => e.ref.name === 's')[0].action).toBe('unchanged');
  });
});

describe('retries', () => {
  it('converges with 20% of requests failing transiently', async () => {
    const cluster = memoryCluster();
    // A fifth of all requests fail (seeded): resets, 429 and 503, a third each.
    for (const status of ['reset', 429, 503] as const) cluster.addFault({ rate: 0.2 / 3, status, retryAfterSeconds: 0 });
    const objects = Array.from({ length: 40 }, (_, i) => cm(`c${i}`));
    const { result, client } = await deploy(cluster, objects);
    expect(result.ok).toBe(true);
    expect(client.stats.retries).toBeGreaterThan(5);
    cluster.clearFaults();
    expect(get(cluster, 'ConfigMap', 'apps', 'c39')).toBeDefined();
  });

  it('does not retry a 4xx', async () => {
    const cluster = memoryCluster();
    onApply(cluster, (o) => (o.kind === 'ConfigMap' ? failure(400, 'BadRequest', 'strict decoding error: unknown field "spec.templat"') : undefined));
    const { changeSet, client } = await deploy(cluster, [cm('a')]);
    expect(changeSet.entries[0].message).toContain('unknown field');
    expect(cluster.requests.filter((r) => r.method === 'PATCH' && r.path.includes('configmaps'))).toHaveLength(1);
    expect(client.stats.retries).toBe(0);
  });
});
