/** deployEnvironment over the real engine and the loopback API server: what its typed result says. */
import type { EnvironmentConfig } from '../../src/config/types.js';
import { buildChangeSet } from '../../src/kube/changeset.js';
import { KubeClient } from '../../src/kube/client.js';
import { DEPLOYED_COMMIT_ANNOTATION } from '../../src/kube/deployed-commit.js';
import { deployEnvironment, type DeployNotices, type DeployRevision } from '../../src/kube/deploy-environment.js';
import { systemClock } from '../../src/kube/wait-api.js';
import type { KubeObject } from '../../src/model/objects.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';

const env = {
  name: 'dev',
  path: 'envs/dev',
  namespace: 'default',
  prune: { enabled: true, maxShare: 0.5 },
  wait: { enabled: false, timeoutMs: 5_000 },
  forceConflicts: true,
} as EnvironmentConfig;

const configMap = (name: string, value = '1'): { object: KubeObject } => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { value } } });
const parent = { group: '', version: 'v1', kind: 'Secret', namespace: 'default', name: 'slipway-dev' };
const options = { timeoutMs: 5_000, holder: 'test', forcePrune: false };
const revision = (commit: string, superseded = false): DeployRevision => ({ commit, isSupersededBy: async () => superseded });

describe('deployEnvironment', () => {
  let kube: FakeKubeApiServer;
  let client: KubeClient;
  const notices: string[] = [];
  const log: DeployNotices = { info: (m) => void notices.push(`info ${m}`), warning: (m) => void notices.push(`warning ${m}`) };
  beforeEach(async () => {
    kube = await FakeKubeApiServer.start();
    client = await KubeClient.connect({ kubeconfig: kube.kubeconfig() });
    notices.length = 0;
  });
  afterEach(async () => {
    client.close();
    await kube.stop();
  });

  const deploy = async (objects: Array<{ object: KubeObject }>, extra: Partial<typeof options> & { revision?: DeployRevision } = {}) =>
    deployEnvironment(client, env, await buildChangeSet(client, env, objects, { prune: true }), { ...options, ...extra }, { log, clock: systemClock });

  it('applies, names the real ApplySet parent, and records the commit on it', async () => {
    const result = await deploy([configMap('a'), configMap('b')], { revision: revision('c'.repeat(40)) });
    expect(result.apply).toMatchObject({ applied: 2, created: 2, failed: [] });
    expect(result.applySetParent).toEqual(parent);
    expect(kube.getObject('v1', 'Secret', parent.name, parent.namespace)?.metadata.annotations?.[DEPLOYED_COMMIT_ANNOTATION]).toBe('c'.repeat(40));
    expect(result.newerCommit).toBeUndefined();
  });

  it('nothing to change: no lock taken, nothing written, the parent still named', async () => {
    await deploy([configMap('a')]);
    kube.clearRequests();
    const writes = kube.writeCount();
    const result = await deploy([configMap('a')]);
    expect(result.apply).toEqual({ applied: 0, created: 0, updated: 0, unchanged: 1, deleted: 0, failed: [] });
    expect(result.applySetParent).toEqual(parent);
    expect(kube.writeCount()).toBe(writes);
  });

  it('a refused prune fails the deploy on the ApplySet parent, saying why', async () => {
    await deploy([configMap('a'), configMap('b'), configMap('c'), configMap('d')]);
    const result = await deploy([configMap('a')]);
    expect(result.apply.failed).toEqual([{ ref: parent, message: expect.stringMatching(/3 of 4 objects \(75%\)/) }]);
    expect(result.pruneSkipped).toMatch(/3 of 4 objects/);
    expect(kube.getObject('v1', 'ConfigMap', 'b', 'default')).toBeDefined();
  });

  it('a newer commit already deployed: nothing applied, the newer commit returned', async () => {
    await deploy([configMap('a')], { revision: revision('1'.repeat(40)) });
    const result = await deploy([configMap('a', '2')], { revision: revision('0'.repeat(40), true) });
    expect(result.newerCommit).toBe('1'.repeat(40));
    expect(result.apply.applied).toBe(0);
    expect(kube.getObject('v1', 'ConfigMap', 'a', 'default')?.data).toEqual({ value: '1' });
  });
});
