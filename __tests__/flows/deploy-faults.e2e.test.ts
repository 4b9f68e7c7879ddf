/**
 * The deploy path (plan, lock, re-plan under the lock, apply, health by watch) through the
 * cluster port while a fifth of all requests fail transiently (GOAWAY among them): it converges with every object
 * written once, and a redeploy under the same faults writes nothing.
 */
import type { EnvironmentConfig } from '../../src/config/types.js';
import { createClusterPort } from '../../src/flows/adapters.js';
import { silentLog } from '../../src/flows/log.js';
import type { KubeObject } from '../../src/model/objects.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const env = {
  name: 'flaky',
  path: 'envs/flaky',
  namespace: 'default',
  prune: { enabled: true, maxShare: 0.5 },
  wait: { enabled: true, timeoutMs: 120_000 },
  forceConflicts: true,
} as EnvironmentConfig;

const objects = (): { object: KubeObject }[] => {
  const list: KubeObject[] = [];
  for (let i = 0; i < 20; i++) {
    list.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: { i: String(i) } });
    if (i % 4 === 0) {
      list.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `web-${i}`, namespace: 'default' },
        spec: { replicas: 1, selector: { matchLabels: { app: `web-${i}` } }, template: { metadata: { labels: { app: `web-${i}` } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
      });
    }
  }
  return list.map((object) => ({ object }));
};

describe('deploy under transient faults', () => {
  let kube: FakeKubeApiServer;
  beforeEach(async () => {
    kube = await FakeKubeApiServer.start();
    kube.simulateRollouts(20);
  });
  afterEach(() => kube.stop());

  it('converges with every object written once, and a redeploy writes nothing (20% of requests failing: 5xx, 429 Retry-After, resets, HTTP/2 GOAWAY)', async () => {
    kube.addFault({ rate: 0.06, status: 503, retryAfterSeconds: 0 });
    kube.addFault({ rate: 0.04, status: 500 });
    kube.addFault({ rate: 0.04, status: 502 });
    kube.addFault({ rate: 0.03, status: 429, retryAfterSeconds: 0 });
    kube.addFault({ rate: 0.03, status: 'reset' });
    kube.addFault({ rate: 0.02, status: 'goaway' });
    const port = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: silentLog });

    const deploy = async () => {
      const session = await port.connect(env);
      try {
        const changeSet = await session.changeSet(env, objects(), { prune: true });
        return await session.deploy(env, changeSet, { timeoutMs: 120_000, holder: 'faults', forcePrune: false });
      } finally {
        session.close();
      }
    };

    const first = await deploy();
    expect(first.apply.failed).toEqual([]);
    expect(first.health?.healthy).toBe(true);
    const injected = kube.requests.filter((r) => [0, 429, 500, 502, 503].includes(r.status));
    expect(injected.length).toBeGreaterThan(5);
    expect(kube.goawaysSent).toBeGreaterThan(0);
    const writes = kube.requests.filter((r) => r.method === 'PATCH' && !r.dryRun && r.status >= 200 && r.status < 300 && /\/(configmaps|deployments)\//.test(r.path));
    const perObject = new Map<string, number>();
    for (const w of writes) perObject.set(w.path, (perObject.get(w.path) ?? 0) + 1);
    expect(perObject.size).toBe(objects().length);
    expect([...perObject.values()].every((n) => n === 1)).toBe(true);

    const writesBefore = kube.writeCount();
    const versionBefore = kube.currentResourceVersion();
    const again = await deploy();
    expect(again.apply.failed).toEqual([]);
    expect(again.apply.applied).toBe(0);
    expect(kube.writeCount()).toBe(writesBefore);
    expect(kube.currentResourceVersion()).toBe(versionBefore);
  });
});
