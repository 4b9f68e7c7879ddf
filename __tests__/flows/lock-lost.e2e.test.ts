/** A deploy whose lock is taken over while it applies fails, naming the new holder. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { createClusterPort } from '../../src/flows/adapters.js';
import { silentLog } from '../../src/flows/log.js';
import { KubeClient } from '../../src/kube/client.js';
import { leaseName } from '../../src/kube/lock.js';
import type { KubeObject } from '../../src/model/objects.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const env = {
  name: 'dev',
  path: 'envs/dev',
  namespace: 'default',
  prune: { enabled: true, maxShare: 0.5 },
  wait: { enabled: false, timeoutMs: 60_000 },
  forceConflicts: true,
} as EnvironmentConfig;

const configMap = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { value: '1' } });

describe('losing the deploy lock during apply', () => {
  let kube: FakeKubeApiServer;
  beforeEach(async () => {
    kube = await FakeKubeApiServer.start();
  });
  afterEach(() => kube.stop());

  it('fails the deploy instead of reporting success', async () => {
    const session = await (await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: silentLog })).connect(env);
    const other = await KubeClient.connect({ kubeconfig: kube.kubeconfig() });
    try {
      const plan = await session.changeSet(env, [{ object: configMap('a') }], { prune: true });
      const held = kube.hold((r) => r.method === 'PATCH' && !r.dryRun && r.path.endsWith('/configmaps/a'));
      const deploy = session.deploy(env, plan, { timeoutMs: 60_000, holder: 'run-1 (pid 1, aaaaaaaa)', forcePrune: false });
      await held.reached;

      // Another run takes the Lease over (as after a lapse) while this one still applies.
      const path = `/apis/coordination.k8s.io/v1/namespaces/default/leases/${leaseName('dev')}`;
      const lease = await other.request<KubeObject & { spec: Record<string, unknown> }>({ method: 'GET', path });
      const now = new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
      await other.request({ method: 'PUT', path, body: { ...lease, spec: { ...lease.spec, holderIdentity: 'run-2 (pid 2, bbbbbbbb)', acquireTime: now, renewTime: now } } });
      held.release();

      await expect(deploy).rejects.toThrow(/deploy lock for environment "dev" \(Lease default\/slipway-dev\) was lost: now held by run-2 \(pid 2, bbbbbbbb\)\. .*The deploy is failed/);
      // The other run's Lease is left alone.
      expect((kube.getObject('coordination.k8s.io/v1', 'Lease', leaseName('dev'), 'default')?.spec as { holderIdentity?: string }).holderIdentity).toBe('run-2 (pid 2, bbbbbbbb)');
    } finally {
      other.close();
      session.close();
    }
  });
});
