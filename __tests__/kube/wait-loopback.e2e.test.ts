/**
 * Wait and lock over real HTTPS against the loopback API server, through KubeClient (the
 * in-memory tests in wait.test.ts and lock.test.ts cover the logic; these cover the wire).
 */

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeObject, ObjectRef } from '../../src/model/objects.js';
import { waitForHealth } from '../../src/kube/wait.js';
import { acquireEnvironmentLock, withEnvironmentLock } from '../../src/kube/lock.js';
import { KubeClient } from '../../src/kube/client.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { FakeClock } from '../support/clock.js';

describe('wait and lock against the loopback API server', () => {
  let server: FakeKubeApiServer;
  let connect: () => Promise<KubeClient>;
  const clients: KubeClient[] = [];

  beforeAll(async () => {
    server = await FakeKubeApiServer.start();
    const kubeconfig = server.kubeconfig();
    connect = async () => {
      const client = await KubeClient.connect({ kubeconfig });
      clients.push(client);
      return client;
    };
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await server?.stop();
  });

  const deployment = (name: string): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', generation: 1 },
    spec: { replicas: 2, progressDeadlineSeconds: 600, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  });
  const ref = (name: string): ObjectRef => ({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'default', name });
  const path = (name: string): string => `/apis/apps/v1/namespaces/default/deployments/${name}`;

  it('waits for a Deployment that becomes ready after a few polls', async () => {
    server.seed(deployment('ready-later'));
    server.onRead('Deployment', (object, readCount) => {
      if (object.metadata.name !== 'ready-later') return undefined;
      const base = { observedGeneration: object.metadata.generation, replicas: 2, updatedReplicas: 2 };
      if (readCount < 3) return { ...base, readyReplicas: 0, availableReplicas: 0 };
      return {
        ...base,
        readyReplicas: 2,
        availableReplicas: 2,
        conditions: [
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        ],
      };
    });
    const report = await waitForHealth(await connect(), [{ ref: ref('ready-later'), path: path('ready-later') }], { timeoutMs: 60_000, clock: new FakeClock() });
    expect(report.healthy).toBe(true);
    expect(report.polls).toBeGreaterThanOrEqual(3);
  });

  it('reports ProgressDeadlineExceeded with the condition message and an Event', async () => {
    server.seed(deployment('stuck'));
    server.onRead('Deployment', (object) =>
      object.metadata.name === 'stuck'
        ? {
            observedGeneration: object.metadata.generation,
            replicas: 2,
            updatedReplicas: 2,
            conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "stuck-1" has timed out progressing.' }],
          }
        : undefined,
    );
    server.addEvent({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'stuck.1', namespace: 'default' },
      involvedObject: { kind: 'Deployment', name: 'stuck', namespace: 'default' },
      type: 'Warning',
      reason: 'ProgressDeadlineExceeded',
      message: 'Deployment "stuck" exceeded its progress deadline',
    });
    const report = await waitForHealth(await connect(), [{ ref: ref('stuck'), path: path('stuck') }], { timeoutMs: 60_000, clock: new FakeClock() });
    expect(report.healthy).toBe(false);
    expect(report.timedOut).toBe(false);
    expect(report.failing[0]?.message).toContain('has timed out progressing');
    expect(report.failing[0]?.events).toContain('Warning ProgressDeadlineExceeded: Deployment "stuck" exceeded its progress deadline');
  });

  it('times out on a fake clock', async () => {
    server.seed(deployment('never'));
    const report = await waitForHealth(await connect(), [{ ref: ref('never'), path: path('never') }], { timeoutMs: 10_000, clock: new FakeClock() });
    expect(report.timedOut).toBe(true);
    expect(report.failing.map((f) => f.ref.name)).toEqual(['never']);
  });

  it('serialises two deploys through a real Lease, then releases it', async () => {
    const [a, b] = [await connect(), await connect()];
    const order: string[] = [];
    const first = await acquireEnvironmentLock(a, { environment: 'loop', holder: 'run-a', waitTimeoutMs: 60_000, clock: new FakeClock() });
    const clock = new FakeClock();
    let sleeps = 0;
    clock.sleep = async () => {
      sleeps += 1;
      if (sleeps === 2) {
        order.push('a released');
        await first.release();
      }
    };
    await withEnvironmentLock(b, { environment: 'loop', holder: 'run-b', waitTimeoutMs: 60_000, clock }, async () => {
      order.push('b running');
    });
    expect(order).toEqual(['a released', 'b running']);
  });
});
