/** The loopback API server's own semantics: auth, discovery, CRUD, server-side apply, dry-run, generation, CRDs. */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { apply, call } from './client.js';

const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

function deployment(overrides: { replicas?: number; image?: string; labels?: Record<string, string>; env?: { name: string; value: string }[] } = {}) {
  const container: Record<string, unknown> = { name: 'web', image: overrides.image ?? 'nginx:1.27' };
  if (overrides.env) container.env = overrides.env;
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [container] } },
  };
  if (overrides.replicas !== undefined) spec.replicas = overrides.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', ...(overrides.labels ? { labels: overrides.labels } : {}) }, spec };
}

describe('loopback API server', () => {
  let server: FakeKubeApiServer;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
  });

  afterEach(async () => {
    await server.stop();
  });

  describe('auth, discovery and errors', () => {
    test('rejects a missing or wrong bearer token with a 401 Status', async () => {
      for (const token of [null, 'wrong']) {
        const reply = await call(server, 'GET', '/api/v1/namespaces', { token });
        expect(reply.status).toBe(401);
        expect(reply.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
      }
    });

    test('serves legacy discovery for the built-in groups and the server version', async () => {
      const core = await call(server, 'GET', '/api/v1');
      expect(core.body.resources).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', shortNames: ['cm'] })]),
      );
      const groups = await call(server, 'GET', '/apis');
      const names = groups.body.groups.map((g: { name: string }) => g.name);
      for (const group of ['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'coordination.k8s.io', 'apiextensions.k8s.io', 'policy', 'autoscaling', 'admissionregistration.k8s.io']) {
        expect(names).toContain(group);
      }
      const apps = await call(server, 'GET', '/apis/apps/v1');
      expect(apps.body.resources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'deployments/status', kind: 'Deployment' })]));
      expect((await call(server, 'GET', '/version')).body.gitVersion).toMatch(/^v1\.35\./);
      expect((await call(server, 'GET', '/apis/nothing.example/v1')).status).toBe(404);
    });

    test('works with @kubernetes/client-node through the generated kubeconfig', async () => {
      const config = new KubeConfig();
      config.loadFromString(server.kubeconfig({ context: 'dev', namespace: 'apps' }));
      expect(config.getCurrentContext()).toBe('dev');
      const list = await config.makeApiClient(CoreV1Api).listNamespace();
      expect(list.items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    });

    test('shapes NotFound, AlreadyExists and missing-namespace errors like the real server', async () => {
      const missing = await call(server, 'GET', `${DEPLOYMENTS}/nope`);
      expect(missing.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'deployments.apps "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', group: 'apps', kind: 'deployments' },
        code: 404,
      });
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } };
      expect((await call(server, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm })).status).toBe(201);
      const again = await call(server, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm });
      expect(again.body).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'configmaps "a" already exists' });
      const noNamespace = await call(server, 'POST', '/api/v1/namespaces/ghost/configmaps', { body: cm });
      expect(noNamespace.body).toMatchObject({ code: 404, reason: 'NotFound', message: 'namespaces "ghost" not found', details: { name: 'ghost', kind: 'namespaces' } });
    });
  });

  describe('CRUD', () => {
    test('create fills server fields, generateName picks a name, PUT checks resourceVersion', async () => {
      const created = await call(server, 'POST', '/api/v1/namespaces/default/configmaps', {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cfg-' }, data: { a: '1' } },
      });
      expect(created.status).toBe(201);
      const meta = created.body.metadata;
      expect(meta.name).toMatch(/^cfg-[a-z0-9]{5}$/);
      expect(meta).toEqual(expect.objectContaining({ namespace: 'default', uid: expect.any(String), resourceVersion: expect.any(String), creationTimestamp: expect.any(String) }));
      expect(meta.generation).toBeUndefined();

      const stale = await call(server, 'PUT', `/api/v1/namespaces/default/configmaps/${meta.name}`, {
        body: { ...created.body, metadata: { ...meta, resourceVersion: '1' }, data: { a: '2' } },
      });
      expect(stale.body).toMatchObject({ code: 409, reason: 'Conflict' });
      expect(stale.body.message).toContain('the object has been modified; please apply your changes to the latest version and try again');
      const fresh = await call(server, 'PUT', `/api/v1/namespaces/default/configmaps/${meta.name}`, { body: { ...created.body, data: { a: '2' } } });
      expect(fresh.status).toBe(200);
      expect(Number(fresh.body.metadata.resourceVersion)).toBeGreaterThan(Number(meta.resourceVersion));
    });

    test('lists filter by label selectors of every operator, per namespace and across namespaces', async () => {
      server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
      const labels: Record<string, Record<string, string>> = { a: { tier: 'web', env: 'prod' }, b: { tier: 'db', env: 'dev' }, c: { tier: 'cache' } };
      for (const [name, l] of Object.entries(labels)) server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: l } });
      server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd', namespace: 'other', labels: { tier: 'web' } } });
      const names = async (path: string, selector: string) =>
        (await call(server, 'GET', `${path}?labelSelector=${encodeURIComponent(selector)}`)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
      const ns = '/api/v1/namespaces/default/configmaps';
      expect(await names(ns, 'tier=web')).toEqual(['a']);
      expect(await names(ns, 'tier==db')).toEqual(['b']);
      expect(await names(ns, 'tier!=web')).toEqual(['b', 'c']);
      expect(await names(ns, 'tier in (web, cache)')).toEqual(['a', 'c']);
      expect(await names(ns, 'env notin (prod)')).toEqual(['b', 'c']);
      expect(await names(ns, 'env')).toEqual(['a', 'b']);
      expect(await names(ns, '!env')).toEqual(['c']);
      expect(await names(ns, 'tier,env=dev')).toEqual(['b']);
      expect(await names('/api/v1/configmaps', 'tier=web')).toEqual(['a', 'd']);
      const list = await call(server, 'GET', ns);
      expect(list.body).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: expect.any(String) } });
      expect(list.body.items[0].kind).toBeUndefined();
      expect((await call(server, 'GET', `${ns}?labelSelector=${encodeURIComponent('a b c')}`)).status).toBe(400);
    });

    test('merge, strategic merge and JSON patches; strategic merge is refused for custom resources', async () => {
      await apply(server, DEPLOYMENTS + '/web', deployment({ env: [{ name: 'A', value: '1' }] }), 'fieldManager=test');
      const merge = await call(server, 'PATCH', `${DEPLOYMENTS}/web?fieldManager=editor`, { body: { spec: { replicas: 4 } }, contentType: 'application/merge-patch+json' });
      expect(merge.body.spec.replicas).toBe(4);
      const strategic = await call(server, 'PATCH', `${DEPLOYMENTS}/web`, {
        body: { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: '2' }] }] } } } },
        contentType: 'application/strategic-merge-patch+json',
      });
      expect(strategic.body.spec.template.spec.containers[0]).toMatchObject({ image: 'nginx:1.27', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] });
      const json = await call(server, 'PATCH', `${DEPLOYMENTS}/web`, {
        body: [{ op: 'replace', path: '/spec/replicas', value: 1 }, { op: 'add', path: '/metadata/labels', value: { x: 'y' } }],
        contentType: 'application/json-patch+json',
      });
      expect(json.body).toMatchObject({ metadata: { labels: { x: 'y' } }, spec: { replicas: 1 } });
      const bad = await call(server, 'PATCH', `${DEPLOYMENTS}/web`, { body: {}, contentType: 'text/plain' });
      expect(bad.body).toMatchObject({ code: 415, reason: 'UnsupportedMediaType' });
    });

    test('Secrets fold stringData into base64 data', async () => {
      const reply = await apply(server, '/api/v1/namespaces/default/secrets/s', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } }, 'fieldManager=t');
      expect(reply.body.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
      expect(reply.body.stringData).toBeUndefined();
      expect(reply.body.type).toBe('Opaque');
    });

    test('deleting a Namespace deletes what is in it', async () => {
      server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
      server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'gone' } });
      const reply = await call(server, 'DELETE', '/api/v1/namespaces/gone', { body: { propagationPolicy: 'Foreground' } });
      expect(reply.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'gone', kind: 'namespaces' } });
      expect(server.listObjects('v1', 'ConfigMap', 'gone')).toEqual([]);
    });
  });

  describe('server-side apply', () => {
    test('fieldManager is required', async () => {
      const reply = await apply(server, `${DEPLOYMENTS}/web`, deployment(), 'force=true');
      expect(reply.body).toMatchObject({ code: 422, reason: 'Invalid' });
      expect(reply.body.message).toContain('fieldManager: Required value: is required for apply patch');
    });

    test('creates, owns what it applied, and re-applying the same config changes nothing', async () => {
      const created = await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 2 }), 'fieldManager=slipway');
      expect(created.status).toBe(201);
      const rv = created.body.metadata.resourceVersion;
      const fields = created.body.metadata.managedFields;
      expect(fields).toHaveLength(1);
      expect(fields[0]).toMatchObject({ manager: 'slipway', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
      expect(fields[0].fieldsV1['f:spec']['f:template']['f:spec']['f:containers']).toEqual({
        'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} },
      });
      const again = await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 2 }), 'fieldManager=slipway');
      expect(again.status).toBe(200);
      expect(again.body.metadata.resourceVersion).toBe(rv);
      expect(again.body.metadata.managedFields[0].time).toBe(fields[0].time);
    });

    test('accepts YAML bodies', async () => {
      const yaml = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: y', 'data:', '  k: v', ''].join('\n');
      const reply = await call(server, 'PATCH', '/api/v1/namespaces/default/configmaps/y?fieldManager=t', { body: yaml, contentType: 'application/apply-patch+yaml' });
      expect(reply.status).toBe(201);
      expect(reply.body.data).toEqual({ k: 'v' });
    });

    test('removes fields it stopped applying unless another manager owns them', async () => {
      await apply(server, `${DEPLOYMENTS}/web`, deployment({ labels: { a: '1', b: '2' }, env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }] }), 'fieldManager=slipway');
      // Another applier co-owns label b with the same value.
      await apply(server, `${DEPLOYMENTS}/web`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { b: '2' } } }, 'fieldManager=other');
      const reply = await apply(server, `${DEPLOYMENTS}/web`, deployment({ labels: { a: '1' }, env: [{ name: 'X', value: '1' }] }), 'fieldManager=slipway');
      expect(reply.body.metadata.labels).toEqual({ a: '1', b: '2' });
      expect(reply.body.spec.template.spec.containers[0].env).toEqual([{ name: 'X', value: '1' }]);
      // Once nobody owns it, it goes.
      await apply(server, `${DEPLOYMENTS}/web`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, 'fieldManager=other');
      expect(server.getObject('apps/v1', 'Deployment', 'web')?.metadata.labels).toEqual({ a: '1' });
    });

    test('conflicts name the manager and every field; force takes them over', async () => {
      await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 2 }), 'fieldManager=slipway');
      await call(server, 'PATCH', `${DEPLOYMENTS}/web?fieldManager=kubectl-edit`, {
        body: { spec: { replicas: 5, template: { spec: { containers: [{ name: 'web', image: 'nginx:edited' }] } } } },
        contentType: 'application/strategic-merge-patch+json',
      });
      const one = await apply(server, `${DEPLOYMENTS}/web`, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } }, 'fieldManager=slipway');
      expect(one.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas',
        reason: 'Conflict',
        details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' }] },
        code: 409,
      });
      const two = await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 3 }), 'fieldManager=slipway');
      expect(two.body.message).toBe(
        'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
      );
      const forced = await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 3 }), 'fieldManager=slipway&force=true');
      expect(forced.status).toBe(200);
      expect(forced.body.spec.replicas).toBe(3);
      expect(forced.body.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(['slipway']);
    });

    test('the same value is shared ownership, not a conflict', async () => {
      await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 2 }), 'fieldManager=a');
      const b = await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 2 }), 'fieldManager=b');
      expect(b.status).toBe(200);
      expect(b.body.metadata.managedFields.map((m: { manager: string }) => m.manager)).toEqual(['a', 'b']);
    });

    test('dryRun=All on every verb returns the result without storing it', async () => {
      const before = server.currentResourceVersion();
      const created = await apply(server, `${DEPLOYMENTS}/web`, deployment(), 'fieldManager=s&dryRun=All');
      expect(created.status).toBe(201);
      expect(created.body.metadata.resourceVersion).toBeUndefined();
      expect(server.getObject('apps/v1', 'Deployment', 'web')).toBeUndefined();
      const posted = await call(server, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
      expect(posted.status).toBe(201);
      expect(server.currentResourceVersion()).toBe(before);

      const real = await apply(server, `${DEPLOYMENTS}/web`, deployment(), 'fieldManager=s');
      const rv = server.currentResourceVersion();
      const changed = await apply(server, `${DEPLOYMENTS}/web`, deployment({ image: 'nginx:2' }), 'fieldManager=s&dryRun=All');
      expect(changed.body.spec.template.spec.containers[0].image).toBe('nginx:2');
      expect(changed.body.metadata.generation).toBe(2);
      expect(changed.body.metadata.resourceVersion).toBe(real.body.metadata.resourceVersion);
      const deleted = await call(server, 'DELETE', `${DEPLOYMENTS}/web?dryRun=All`);
      expect(deleted.status).toBe(200);
      expect(server.currentResourceVersion()).toBe(rv);
      expect(server.getObject('apps/v1', 'Deployment', 'web')?.spec).toMatchObject({ template: { spec: { containers: [{ image: 'nginx:1.27' }] } } });
      expect(server.writeCount()).toBe(1);
    });

    test('immutable fields answer 422 Invalid', async () => {
      await apply(server, `${DEPLOYMENTS}/web`, deployment(), 'fieldManager=s');
      const changed = deployment();
      changed.spec.selector = { matchLabels: { app: 'web2' } };
      (changed.spec.template as { metadata: { labels: Record<string, string> } }).metadata.labels = { app: 'web2' };
      const reply = await apply(server, `${DEPLOYMENTS}/web`, changed, 'fieldManager=s');
      expect(reply.status).toBe(422);
      expect(reply.body).toMatchObject({ reason: 'Invalid', details: { name: 'web', group: 'apps', kind: 'Deployment', causes: [{ field: 'spec.selector', reason: 'FieldValueInvalid' }] } });
      expect(reply.body.message).toMatch(/^Deployment\.apps "web" is invalid: spec\.selector: Invalid value: .*: field is immutable$/);

      const job = (image: string) => ({
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'migrate' },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image }] } } },
      });
      expect((await apply(server, '/apis/batch/v1/namespaces/default/jobs/migrate', job('a:1'), 'fieldManager=s')).status).toBe(201);
      expect((await apply(server, '/apis/batch/v1/namespaces/default/jobs/migrate', job('a:1'), 'fieldManager=s')).status).toBe(200);
      const jobReply = await apply(server, '/apis/batch/v1/namespaces/default/jobs/migrate', job('a:2'), 'fieldManager=s');
      expect(jobReply.status).toBe(422);
      expect(jobReply.body.message).toContain('Job.batch "migrate" is invalid: spec.template: Invalid value');
    });
  });

  describe('generation and status', () => {
    test('generation moves on spec changes only; status goes through /status', async () => {
      await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 1 }), 'fieldManager=s');
      const labelled = await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 1, labels: { x: 'y' } }), 'fieldManager=s');
      expect(labelled.body.metadata.generation).toBe(1);
      const scaled = await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 3, labels: { x: 'y' } }), 'fieldManager=s');
      expect(scaled.body.metadata.generation).toBe(2);
      // Status sent to the main resource is ignored.
      const ignored = await call(server, 'PATCH', `${DEPLOYMENTS}/web`, { body: { status: { replicas: 3 } }, contentType: 'application/merge-patch+json' });
      expect(ignored.body.status).toBeUndefined();
      const status = await call(server, 'PATCH', `${DEPLOYMENTS}/web/status?fieldManager=controller`, {
        body: { status: { observedGeneration: 2, replicas: 3 }, spec: { replicas: 9 } },
        contentType: 'application/merge-patch+json',
      });
      expect(status.body).toMatchObject({ metadata: { generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 3 } });
      expect(status.body.metadata.managedFields).toEqual(expect.arrayContaining([expect.objectContaining({ manager: 'controller', subresource: 'status' })]));
    });

    test('onRead drives status: a Deployment becomes available after a few reads', async () => {
      await apply(server, `${DEPLOYMENTS}/web`, deployment({ replicas: 2 }), 'fieldManager=s');
      server.onRead('Deployment', (object, reads) =>
        reads < 3
          ? { observedGeneration: object.metadata.generation, replicas: 2, updatedReplicas: 0 }
          : { observedGeneration: object.metadata.generation, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
      );
      const ready: unknown[] = [];
      for (let i = 0; i < 3; i++) ready.push((await call(server, 'GET', `${DEPLOYMENTS}/web`)).body.status.readyReplicas);
      expect(ready).toEqual([undefined, undefined, 2]);
    });

    test('seed keeps status and records the seeding manager; addEvent makes a core Event', async () => {
      const seeded = server.seed(
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: deployment({ replicas: 1 }).spec, status: { replicas: 1 } },
        { manager: 'kubectl-edit' },
      );
      expect(seeded.status).toEqual({ replicas: 1 });
      expect(seeded.metadata.managedFields).toEqual([expect.objectContaining({ manager: 'kubectl-edit', operation: 'Update' })]);
      server.addEvent({ involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default' }, reason: 'ProgressDeadlineExceeded', message: 'too slow', type: 'Warning' });
      const events = await call(server, 'GET', `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('involvedObject.name=web,involvedObject.kind=Deployment')}`);
      expect(events.body.items).toEqual([expect.objectContaining({ reason: 'ProgressDeadlineExceeded', type: 'Warning', message: 'too slow' })]);
    });
  });

  describe('custom resources', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Cluster',
        names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget' },
        versions: [
          { name: 'v1', served: true, storage: true },
          { name: 'v1beta1', served: true, storage: false },
        ],
      },
    };

    test('creating a CRD registers its kind in discovery; deleting it unregisters and drops its objects', async () => {
      const created = await apply(server, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com', crd, 'fieldManager=s');
      expect(created.body.status.conditions).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'Established', status: 'True' }), expect.objectContaining({ type: 'NamesAccepted', status: 'True' })]),
      );
      const group = await call(server, 'GET', '/apis/example.com');
      expect(group.body.preferredVersion).toEqual({ groupVersion: 'example.com/v1', version: 'v1' });
      const resources = await call(server, 'GET', '/apis/example.com/v1beta1');
      expect(resources.body.resources).toEqual([expect.objectContaining({ name: 'gadgets', namespaced: false, kind: 'Gadget' })]);
      const cr = await apply(server, '/apis/example.com/v1/gadgets/g1', { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { x: 1 } }, 'fieldManager=s');
      expect(cr.status).toBe(201);
      expect((await call(server, 'GET', '/apis/example.com/v1/gadgets')).body.items[0]).toMatchObject({ apiVersion: 'example.com/v1', kind: 'Gadget' });

      expect((await call(server, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com')).status).toBe(200);
      expect((await call(server, 'GET', '/apis/example.com/v1')).status).toBe(404);
      expect((await call(server, 'GET', '/apis')).body.groups.map((g: { name: string }) => g.name)).not.toContain('example.com');
    });
  });
});
