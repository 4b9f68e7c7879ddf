/** The cluster port over the real engine and the loopback API server. */
import type { EnvironmentConfig } from '../../src/config/types.js';
import { createClusterPort } from '../../src/flows/adapters.js';
import { silentLog } from '../../src/flows/log.js';
import { KubeClient } from '../../src/kube/client.js';
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
  wait: { enabled: false, timeoutMs: 5_000 },
  forceConflicts: true,
} as EnvironmentConfig;

const configMap = (name: string, value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { value } });

describe('cluster port deploy', () => {
  let kube: FakeKubeApiServer;
  beforeEach(async () => {
    kube = await FakeKubeApiServer.start();
  });
  afterEach(() => kube.stop());

  it('plans again under the lock, so a change made by someone else after planning is not left in place', async () => {
    const port = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: silentLog });
    const session = await port.connect(env);
    try {
      const first = [configMap('a', '1'), configMap('b', '1')].map((object) => ({ object }));
      await session.deploy(env, await session.changeSet(env, first, { prune: true }), { timeoutMs: 5_000, holder: 'test', forcePrune: false });

      // Plan a change to `a` only: `b` is unchanged in this plan.
      const wanted = [configMap('a', '2'), configMap('b', '1')].map((object) => ({ object }));
      const plan = await session.changeSet(env, wanted, { prune: true });
      expect(plan.entries.find((e) => e.ref.name === 'b')?.action).toBe('unchanged');

      // Before the deploy takes the lock, someone edits `b` by hand.
      const other = await KubeClient.connect({ kubeconfig: kube.kubeconfig() });
      await other.apply(configMap('b', 'edited'), { fieldManager: 'kubectl-edit', force: true });
      other.close();

      const result = await session.deploy(env, plan, { timeoutMs: 5_000, holder: 'test', forcePrune: false });
      expect(result.apply.failed).toEqual([]);
      expect(kube.getObject('v1', 'ConfigMap', 'a')?.data).toEqual({ value: '2' });
      expect(kube.getObject('v1', 'ConfigMap', 'b')?.data).toEqual({ value: '1' });
      expect(result.changeSet?.entries.find((e) => e.ref.name === 'b')?.action).toBe('update');
    } finally {
      session.close();
    }
  });

  it('under the lock plans again only what changed since the plan: an object someone else edited is dry-run again, untouched ones are not', async () => {
    const port = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: silentLog });
    const session = await port.connect(env);
    try {
      const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
      await session.deploy(env, await session.changeSet(env, names.map((n) => ({ object: configMap(n, '1') })), { prune: true }), { timeoutMs: 5_000, holder: 'test', forcePrune: false });

      // The plan changes `a`; everything else is unchanged in it.
      const wanted = names.map((n) => ({ object: configMap(n, n === 'a' ? '2' : '1') }));
      const plan = await session.changeSet(env, wanted, { prune: true });
      expect(plan.entries.filter((e) => e.action !== 'unchanged').map((e) => e.ref.name)).toEqual(['a']);

      // Between plan and lock someone edits `c` (and, with another manager, takes its field).
      const other = await KubeClient.connect({ kubeconfig: kube.kubeconfig() });
      await other.apply(configMap('c', 'edited'), { fieldManager: 'kubectl-edit', force: true });
      other.close();

      kube.clearRequests();
      const result = await session.deploy(env, plan, { timeoutMs: 5_000, holder: 'test', forcePrune: false });
      expect(result.apply.failed).toEqual([]);
      const dryRuns = kube.requests.filter((r) => r.dryRun).map((r) => r.path.split('/').pop());
      expect(dryRuns).toEqual(['c']);
      const writes = kube.requests.filter((r) => r.method === 'PATCH' && !r.dryRun && r.path.includes('/configmaps/')).map((r) => r.path.split('/').pop());
      expect(writes.sort()).toEqual(['a', 'c']);
      expect(kube.getObject('v1', 'ConfigMap', 'c')?.data).toEqual({ value: '1' });
      expect(result.changeSet?.entries.find((e) => e.ref.name === 'c')?.action).toBe('update');
    } finally {
      session.close();
    }
  });

  it('plans everything again under the lock when a member appeared that the plan does not know', async () => {
    const port = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: silentLog });
    const session = await port.connect(env);
    try {
      await session.deploy(env, await session.changeSet(env, [{ object: configMap('a', '1') }, { object: configMap('b', '1') }], { prune: true }), { timeoutMs: 5_000, holder: 'test', forcePrune: false });
      const plan = await session.changeSet(env, [{ object: configMap('a', '2') }, { object: configMap('b', '1') }], { prune: true });

      // Another deploy of this environment (a newer render) adds member `z` meanwhile.
      const other = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: silentLog });
      const otherSession = await other.connect(env);
      const three = [configMap('a', '1'), configMap('b', '1'), configMap('z', '1')].map((object) => ({ object }));
      await otherSession.deploy(env, await otherSession.changeSet(env, three, { prune: true }), { timeoutMs: 5_000, holder: 'other', forcePrune: false });
      otherSession.close();

      const result = await session.deploy(env, plan, { timeoutMs: 5_000, holder: 'test', forcePrune: false });
      expect(result.apply.failed).toEqual([]);
      // The full re-plan found `z` as a prune candidate, as a fresh plan would.
      expect(result.changeSet?.entries.find((e) => e.ref.name === 'z')?.action).toBe('delete');
      expect(kube.getObject('v1', 'ConfigMap', 'z')).toBeUndefined();
    } finally {
      session.close();
    }
  });
});
