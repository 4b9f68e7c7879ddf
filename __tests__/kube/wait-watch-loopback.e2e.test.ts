/**
 * Health by watch against the loopback API server: one LIST and one watch per kind and
 * namespace; a watch the server ends is resumed from the last resourceVersion seen, a 410 Gone
 * lists again, and a refused watch falls back to polling.
 */
import type { KubeObject, ObjectRef } from '../../src/model/objects.js';
import { KubeClient } from '../../src/kube/client.js';
import { watchForHealth } from '../../src/kube/wait-watch.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', generation: 1 },
  spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
});
const available = {
  observedGeneration: 1,
  replicas: 2,
  updatedReplicas: 2,
  readyReplicas: 2,
  availableReplicas: 2,
  conditions: [
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
  ],
};
const ref = (name: string): ObjectRef => ({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'default', name });
const target = (name: string) => ({ ref: ref(name), path: `/apis/apps/v1/namespaces/default/deployments/${name}` });

describe('health by watch', () => {
  let server: FakeKubeApiServer;
  let client: KubeClient;
  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
    client = await KubeClient.connect({ kubeconfig: server.kubeconfig() });
    server.seed(deployment('a'));
    server.seed(deployment('b'));
  });
  afterEach(async () => {
    client.close();
    await server.stop();
  });

  const watches = () => server.requests.filter((r) => r.query.watch === 'true');
  const lists = () => server.requests.filter((r) => r.method === 'GET' && r.path === '/apis/apps/v1/namespaces/default/deployments' && r.query.watch === undefined);
  /** Resolves once the server has `count` watch requests open or answered. */
  const watchCount = async (count: number) => {
    while (watches().length < count) await new Promise((r) => setTimeout(r, 5));
  };

  it('ends on the event that makes the last object Current, without reading any object on its own', async () => {
    const waiting = watchForHealth(client, [target('a'), target('b')], { timeoutMs: 60_000 });
    await watchCount(1);
    server.setStatus('apps/v1', 'Deployment', 'a', 'default', available);
    server.setStatus('apps/v1', 'Deployment', 'b', 'default', available);
    const report = await waiting;
    expect(report.healthy).toBe(true);
    expect(lists()).toHaveLength(1);
    expect(watches()).toHaveLength(1);
    expect(server.requests.filter((r) => /deployments\/[ab]$/.test(r.path))).toEqual([]);
  });

  it('resumes a watch the server ended from the last resourceVersion it saw', async () => {
    const waiting = watchForHealth(client, [target('a'), target('b')], { timeoutMs: 60_000, rewatchDelayMs: 1 });
    await watchCount(1);
    server.setStatus('apps/v1', 'Deployment', 'a', 'default', available);
    const seen = server.getObject('apps/v1', 'Deployment', 'a')?.metadata.resourceVersion;
    // Let the event reach the client before the stream ends.
    await new Promise((r) => setTimeout(r, 50));
    server.endWatches();
    await watchCount(2);
    server.setStatus('apps/v1', 'Deployment', 'b', 'default', available);
    expect((await waiting).healthy).toBe(true);
    expect(watches()[1].query.resourceVersion).toBe(seen);
    expect(lists()).toHaveLength(1);
  });

  it('lists again when the resourceVersion to resume from is gone (410)', async () => {
    const waiting = watchForHealth(client, [target('a'), target('b')], { timeoutMs: 60_000, rewatchDelayMs: 1 });
    await watchCount(1);
    server.setStatus('apps/v1', 'Deployment', 'a', 'default', available);
    await new Promise((r) => setTimeout(r, 50));
    // Something else is written, then history is compacted past what the client saw.
    server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unrelated', namespace: 'default' }, data: { k: 'v' } });
    server.compactHistory();
    server.endWatches();
    // The resumed watch is told 410 Gone, so the client lists again before watching on.
    while (lists().length < 2) await new Promise((r) => setTimeout(r, 5));
    server.setStatus('apps/v1', 'Deployment', 'b', 'default', available);
    expect((await waiting).healthy).toBe(true);
    expect(lists()).toHaveLength(2);
    expect(watches()[1].query.resourceVersion).toBe(server.getObject('apps/v1', 'Deployment', 'a')?.metadata.resourceVersion);
  });

  it('falls back to polling where watch is refused', async () => {
    server.refuseWatches(true);
    server.onRead('Deployment', (_object, reads) => (reads >= 2 ? available : undefined));
    const report = await watchForHealth(client, [target('a'), target('b')], { timeoutMs: 60_000, initialDelayMs: 1 });
    expect(report.healthy).toBe(true);
    expect(watches().every((w) => w.status === 403)).toBe(true);
    expect(server.requests.filter((r) => /deployments\/[ab]$/.test(r.path)).length).toBeGreaterThan(0);
  });

  it('reports a Failed object with its status message, and times out with what is not Current', async () => {
    const waiting = watchForHealth(client, [target('a'), target('b')], { timeoutMs: 60_000 });
    await watchCount(1);
    server.setStatus('apps/v1', 'Deployment', 'a', 'default', {
      observedGeneration: 1,
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "a-1" has timed out progressing.' }],
    });
    const report = await waiting;
    expect(report.healthy).toBe(false);
    expect(report.timedOut).toBe(false);
    expect(report.failing.map((f) => [f.ref.name, f.status])).toEqual([['a', 'Failed']]);

    const timeout = await watchForHealth(client, [target('b')], { timeoutMs: 50 });
    expect(timeout.timedOut).toBe(true);
    expect(timeout.failing.map((f) => f.ref.name)).toEqual(['b']);
  });
});
