/** A delete's dry run given in the DeleteOptions body, as kubectl sends it (`--dry-run=server` with `--prune`), stores nothing. */
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { call } from './client.js';

describe('DELETE with dryRun in DeleteOptions', () => {
  let server: FakeKubeApiServer;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
    server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'default' }, data: { k: 'v' } });
  });

  afterEach(async () => {
    await server.stop();
  });

  test('answers as a delete would, keeps the object, and is not counted as a write', async () => {
    const writes = server.writeCount();
    const reply = await call(server, 'DELETE', '/api/v1/namespaces/default/configmaps/kept', { body: { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'], propagationPolicy: 'Background' } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(server.getObject('v1', 'ConfigMap', 'kept', 'default')).toBeDefined();
    expect(server.requests.at(-1)?.dryRun).toBe(true);
    expect(server.writeCount()).toBe(writes);
  });

  test('a DeleteOptions body without dryRun still deletes', async () => {
    const reply = await call(server, 'DELETE', '/api/v1/namespaces/default/configmaps/kept', { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
    expect(reply.status).toBe(200);
    expect(server.getObject('v1', 'ConfigMap', 'kept', 'default')).toBeUndefined();
    expect(server.writeCount()).toBe(1);
  });
});
