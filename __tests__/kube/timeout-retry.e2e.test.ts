/**
 * A request that gets no answer at all (the loopback server's 'timeout' fault: the request is
 * read and never answered) is retried like other transient failures when it is idempotent:
 * server-side apply, its dry-run, and GET. Each is asserted by what the server stored, not by time.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { KubeClient } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/model/objects.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';

const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'default' }, data: { version: '2' } };
const PATH = '/api/v1/namespaces/default/configmaps/web';
/** Far above a loopback round trip, far below the test's own timeout. */
const NO_ANSWER_MS = 1_000;

describe('a request with no answer', () => {
  let kube: FakeKubeApiServer;
  let client: KubeClient;
  beforeEach(async () => {
    kube = await FakeKubeApiServer.start();
    client = await KubeClient.connect({ kubeconfig: kube.kubeconfig() });
  });
  afterEach(async () => {
    client.close();
    await kube.stop();
  });

  const apply = (dryRun: boolean) =>
    client.request<KubeObject>({
      method: 'PATCH',
      path: PATH,
      query: { fieldManager: 'slipway', force: true, dryRun: dryRun ? 'All' : undefined },
      body: configMap,
      contentType: 'application/apply-patch+yaml',
      timeoutMs: NO_ANSWER_MS,
    });

  it('is retried for a server-side apply, which is then stored once', async () => {
    kube.addFault({ nth: [1], status: 'timeout', match: (r) => r.method === 'PATCH' && !r.dryRun });
    const applied = await apply(false);
    expect(applied.data).toEqual({ version: '2' });
    const patches = kube.requests.filter((r) => r.method === 'PATCH' && r.path === PATH);
    expect(patches.map((r) => r.status)).toEqual([0, 201]);
    expect(client.stats.retries).toBe(1);
    expect(kube.getObject('v1', 'ConfigMap', 'web', 'default')?.data).toEqual({ version: '2' });
  });

  it('is retried for a dry-run and a GET', async () => {
    kube.seed(configMap);
    kube.addFault({ nth: [1], status: 'timeout', match: (r) => r.method === 'PATCH' && r.dryRun });
    kube.addFault({ nth: [1], status: 'timeout', match: (r) => r.method === 'GET' && r.path === PATH });
    expect((await apply(true)).data).toEqual({ version: '2' });
    const live = await client.request<KubeObject>({ method: 'GET', path: PATH, timeoutMs: NO_ANSWER_MS });
    expect(live.metadata.name).toBe('web');
    expect(client.stats.retries).toBe(2);
  });
});
