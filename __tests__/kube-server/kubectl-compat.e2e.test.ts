/**
 * The loopback API server is only useful if real clients cannot tell it from a cluster for
 * what Slipway does. These steps run the real kubectl 1.35 against it, in order.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { Kubectl } from './kubectl.js';

const fixtures = join(process.cwd(), '__tests__', 'kube-server', 'fixtures');

describe('real kubectl against the loopback API server', () => {
  let server: FakeKubeApiServer;
  let kubectl: Kubectl;
  let manifests: string;

  beforeAll(async () => {
    server = await FakeKubeApiServer.start();
    kubectl = new Kubectl(server);
    manifests = join(kubectl.dir, 'manifests');
    cpSync(fixtures, manifests, { recursive: true });
  });

  afterAll(async () => {
    await server.stop();
    kubectl.cleanup();
  });

  const deployment = () => server.getObject('apps/v1', 'Deployment', 'web', 'shop');

  test('apply --server-side creates a namespace, a deployment, a service and a config map', async () => {
    const result = await kubectl.run('apply', '--server-side', '-f', join(manifests, 'app'));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual([
      'namespace/shop serverside-applied',
      'deployment.apps/web serverside-applied',
      'service/web serverside-applied',
      'configmap/web-config serverside-applied',
    ]);
    const applies = server.requests.filter((r) => r.method === 'PATCH');
    expect(applies).toHaveLength(4);
    for (const request of applies) {
      expect(request.contentType).toBe('application/apply-patch+yaml');
      expect(request.fieldManager).toBe('kubectl');
      expect(request.query.fieldValidation).toBe('Strict');
      expect(request.status).toBe(201);
    }
  });

  test('get -o json shows the object with server-set fields and kubectl as the applier', async () => {
    const result = await kubectl.run('get', 'deploy', 'web', '-n', 'shop', '-o', 'json', '--show-managed-fields');
    expect(result.code).toBe(0);
    const object = JSON.parse(result.stdout);
    expect(object).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', generation: 1, labels: { app: 'web' } },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    });
    expect(object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(object.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(object.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' }),
    ]);
    const fields = object.metadata.managedFields[0].fieldsV1;
    expect(fields['f:spec']['f:replicas']).toEqual({});
    expect(fields['f:spec']['f:selector']).toEqual({});
    expect(fields['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']).toMatchObject({ '.': {}, 'f:image': {}, 'f:name': {} });

    const table = await kubectl.run('get', 'deploy,svc,cm', '-n', 'shop');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('web');
  });

  test('a CRD registers its kind at once, and a custom resource of it applies', async () => {
    const crd = await kubectl.run('apply', '--server-side', '-f', join(manifests, 'crd'));
    expect(crd.code).toBe(0);
    expect(crd.stdout).toContain('customresourcedefinition.apiextensions.k8s.io/widgets.example.com serverside-applied');
    const cr = await kubectl.run('apply', '--server-side', '-f', join(manifests, 'cr'));
    expect(cr.stderr).toBe('');
    expect(cr.stdout).toContain('widget.example.com/blue serverside-applied');
    const got = await kubectl.run('get', 'wd', 'blue', '-n', 'shop', '-o', 'json');
    expect(JSON.parse(got.stdout)).toMatchObject({ apiVersion: 'example.com/v1', kind: 'Widget', spec: { size: 3, color: 'blue' } });
    const conditions = await kubectl.run('get', 'crd', 'widgets.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}');
    expect(conditions.stdout).toBe('True');
  });

  test('diff --server-side exits 0 and prints nothing when the cluster matches', async () => {
    server.clearRequests();
    const result = await kubectl.run('diff', '--server-side', '-f', join(manifests, 'app'), '-f', join(manifests, 'cr'));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
    expect(server.requests.filter((r) => r.method === 'PATCH').every((r) => r.dryRun)).toBe(true);
    expect(server.writeCount()).toBe(0);
  });

  test('apply --server-side again is a no-op: no resourceVersion moves', async () => {
    const before = server.currentResourceVersion();
    const versions = () => ['Namespace', 'Deployment', 'Service', 'ConfigMap'].map((kind) => server.listObjects(kind === 'Deployment' ? 'apps/v1' : 'v1', kind, 'shop'));
    const snapshot = JSON.stringify(versions());
    const result = await kubectl.run('apply', '--server-side', '-f', join(manifests, 'app'), '-f', join(manifests, 'cr'));
    expect(result.code).toBe(0);
    expect(server.currentResourceVersion()).toBe(before);
    expect(JSON.stringify(versions())).toBe(snapshot);
  });

  test('diff --server-side exits 1 with a unified diff after a manifest changes, and stores nothing', async () => {
    const file = join(manifests, 'app', '10-deployment.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('nginx:1.27', 'nginx:1.28'));
    const before = server.currentResourceVersion();
    const result = await kubectl.run('diff', '--server-side', '-f', join(manifests, 'app'));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('-        image: nginx:1.27');
    expect(result.stdout).toContain('+        image: nginx:1.28');
    expect(result.stdout).toContain('-  generation: 1');
    expect(result.stdout).toContain('+  generation: 2');
    expect(result.stdout).not.toContain('Service');
    expect(server.currentResourceVersion()).toBe(before);
    expect(deployment()?.spec).toMatchObject({ template: { spec: { containers: [{ image: 'nginx:1.27' }] } } });
  });

  test('a field another manager owns conflicts until --force-conflicts takes it', async () => {
    const patch = await kubectl.run('patch', 'deploy', 'web', '-n', 'shop', '--type=merge', '-p', '{"spec":{"replicas":5}}');
    expect(patch.code).toBe(0);
    expect(deployment()?.metadata.managedFields).toEqual(
      expect.arrayContaining([expect.objectContaining({ manager: 'kubectl-patch', operation: 'Update' })]),
    );

    const conflict = await kubectl.run('apply', '--server-side', '-f', join(manifests, 'app', '10-deployment.yaml'));
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-patch" using apps/v1: .spec.replicas');
    expect(deployment()?.spec).toMatchObject({ replicas: 5 });

    const forced = await kubectl.run('apply', '--server-side', '--force-conflicts', '-f', join(manifests, 'app', '10-deployment.yaml'));
    expect(forced.code).toBe(0);
    const after = deployment();
    expect(after?.spec).toMatchObject({ replicas: 2, template: { spec: { containers: [{ image: 'nginx:1.28' }] } } });
    expect(after?.metadata.generation).toBe(3);
    const managers = (after?.metadata.managedFields as { manager: string }[]).map((m) => m.manager);
    expect(managers).toEqual(['kubectl']);
  });

  test('delete -f removes objects, and deleting the CRD unregisters its kind', async () => {
    const app = join(manifests, 'app');
    const objects = await kubectl.run('delete', '-f', join(app, '10-deployment.yaml'), '-f', join(app, '20-service.yaml'), '-f', join(app, '30-configmap.yaml'), '-f', join(manifests, 'cr'));
    expect(objects.stderr).toBe('');
    expect(objects.code).toBe(0);
    expect(objects.stdout).toContain('deployment.apps "web" deleted');
    expect(deployment()).toBeUndefined();
    expect(server.listObjects('example.com/v1', 'Widget', 'shop')).toEqual([]);

    const rest = await kubectl.run('delete', '-f', join(app, '00-namespace.yaml'), '-f', join(manifests, 'crd'));
    expect(rest.code).toBe(0);
    expect(server.getObject('v1', 'Namespace', 'shop')).toBeUndefined();
    const groups = await kubectl.run('get', '--raw', '/apis');
    expect(JSON.parse(groups.stdout).groups.map((g: { name: string }) => g.name)).not.toContain('example.com');
    // kubectl may still map the kind from its discovery cache; the server itself no longer serves it.
    const gone = await kubectl.run('get', 'widgets', '-A');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/the server could not find the requested resource|doesn't have a resource type "widgets"/);
  });
});
