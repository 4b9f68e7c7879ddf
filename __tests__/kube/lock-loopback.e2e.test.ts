/**
 * The deploy lock over HTTPS with two separate clients, as two runners of one environment
 * would be: the second waits for the first, proceeds once it is released, gives up naming the
 * holder at its timeout, and takes over a Lease left by a crashed run. Ordering is asserted
 * through events, never through elapsed time.
 */

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildChangeSet } from '../../src/kube/changeset.js';
import { applyChangeSet } from '../../src/kube/apply.js';
import { KubeClient } from '../../src/kube/client.js';
import { LockTimeoutError, acquireEnvironmentLock, leaseName, withEnvironmentLock } from '../../src/kube/lock.js';
import type { KubeObject } from '../../src/model/objects.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { configMap, environment, rendered, seedNamespace } from './engine-loopback.js';

let server: FakeKubeApiServer;
let runA: KubeClient;
let runB: KubeClient;

beforeAll(async () => {
  server = await FakeKubeApiServer.start();
  [runA, runB] = [await KubeClient.connect({ kubeconfig: server.kubeconfig() }), await KubeClient.connect({ kubeconfig: server.kubeconfig() })];
});

afterAll(async () => {
  runA.close();
  runB.close();
  await server.stop();
});

/** Short backoff so the waiting side polls often; the test still waits on events, not time. */
const fastPolling = { initialDelayMs: 5, maxDelayMs: 20 };

function lease(environmentName: string): KubeObject | undefined {
  return server.getObject('coordination.k8s.io/v1', 'Lease', leaseName(environmentName), 'default');
}

describe('deploy lock between two runs of one environment', () => {
  it('makes the second deploy wait, then proceed after the first releases', async () => {
    seedNamespace(server, 'contended');
    const env = environment('contended', 'contended');
    const events: string[] = [];
    let releaseA!: () => void;
    const aMayFinish = new Promise<void>((resolve) => (releaseA = resolve));
    let aHolds!: () => void;
    const aHolding = new Promise<void>((resolve) => (aHolds = resolve));

    const deployAs = (client: KubeClient, holder: string, value: string, before?: () => Promise<void>) =>
      withEnvironmentLock(
        client,
        {
          environment: env.name,
          holder,
          waitTimeoutMs: 60_000,
          ...fastPolling,
          onWait: (current) => {
            if (!events.includes(`${holder} waits for ${current.identity}`)) events.push(`${holder} waits for ${current.identity}`);
            releaseA();
          },
        },
        async () => {
          events.push(`${holder} holds`);
          await before?.();
          const changeSet = await buildChangeSet(client, env, [rendered(configMap('shared', { writer: value }))], { prune: true });
          const result = await applyChangeSet(client, env, changeSet);
          events.push(`${holder} applied`);
          return result;
        },
      );

    const a = deployAs(runA, 'https://ci/run/1', 'a', async () => {
      aHolds();
      await aMayFinish;
    });
    await aHolding;
    const b = deployAs(runB, 'https://ci/run/2', 'b');
    const [resultA, resultB] = await Promise.all([a, b]);

    expect(resultA.ok && resultB.ok).toBe(true);
    expect(events).toEqual(['https://ci/run/1 holds', 'https://ci/run/2 waits for https://ci/run/1', 'https://ci/run/1 applied', 'https://ci/run/2 holds', 'https://ci/run/2 applied']);
    expect(server.getObject('v1', 'ConfigMap', 'shared', 'contended')?.data).toEqual({ writer: 'b' });
    // Released, not deleted: the Lease stays with no holder.
    expect((lease('contended')?.spec as { holderIdentity?: string }).holderIdentity).toBeUndefined();
  });

  it('gives up at the timeout with an error naming the holder', async () => {
    const held = await acquireEnvironmentLock(runA, { environment: 'busy', holder: 'https://ci/run/41', waitTimeoutMs: 1000 });
    try {
      const attempt = acquireEnvironmentLock(runB, { environment: 'busy', holder: 'https://ci/run/42', waitTimeoutMs: 50, ...fastPolling });
      await expect(attempt).rejects.toThrow(LockTimeoutError);
      await expect(attempt).rejects.toThrow(/Lease default\/slipway-busy is held by https:\/\/ci\/run\/41/);
    } finally {
      expect(await held.release()).toBe(true);
    }
  });

  it('takes over a stale Lease left by a crashed run', async () => {
    const longAgo = new Date(Date.now() - 3_600_000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
    server.seed({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: leaseName('crashed'), namespace: 'default' },
      spec: { holderIdentity: 'https://ci/run/crashed', leaseDurationSeconds: 60, acquireTime: longAgo, renewTime: longAgo, leaseTransitions: 0 },
    });
    const waited: string[] = [];
    const lock = await acquireEnvironmentLock(runB, { environment: 'crashed', holder: 'https://ci/run/new', waitTimeoutMs: 60_000, onWait: (h) => waited.push(h.identity) });
    try {
      expect(waited).toEqual([]);
      const spec = lease('crashed')?.spec as { holderIdentity?: string; leaseTransitions?: number };
      expect(spec).toMatchObject({ holderIdentity: 'https://ci/run/new', leaseTransitions: 1 });
    } finally {
      await lock.release();
    }
  });
});
