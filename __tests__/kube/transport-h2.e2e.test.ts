/**
 * The wire to the API server: HTTP/2 when the server offers it (one connection, many streams),
 * HTTPS/1.1 when it does not, both through a kubeconfig proxy-url; GOAWAY in the middle of a
 * deploy; 429 back-off by Retry-After and the in-flight limit adapting to throttling. Waits
 * go through injected sleeps; nothing here reads the clock.
 */
import YAML from 'yaml';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { createClusterPort } from '../../src/flows/adapters.js';
import { silentLog } from '../../src/flows/log.js';
import { KubeClient } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/model/objects.js';
import { startConnectProxy } from '../support/connect-proxy.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it. */
const secrets = new SecretMask();

const servers: FakeKubeApiServer[] = [];
const start = async (options: Parameters<typeof FakeKubeApiServer.start>[0] = {}) => {
  const server = await FakeKubeApiServer.start(options);
  servers.push(server);
  return server;
};
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

const list = (client: KubeClient) => client.request<{ items: unknown[] }>({ method: 'GET', path: '/api/v1/namespaces/default/configmaps' });

/** A kubeconfig for `server` with cluster fields changed (proxy-url, tls-server-name, insecure-skip-tls-verify, ...). */
function kubeconfigWith(server: FakeKubeApiServer, cluster: Record<string, unknown>): string {
  const config = YAML.parse(server.kubeconfig()) as { clusters: { cluster: Record<string, unknown> }[] };
  Object.assign(config.clusters[0].cluster, cluster);
  for (const [key, value] of Object.entries(cluster)) if (value === undefined) delete config.clusters[0].cluster[key];
  return YAML.stringify(config);
}

describe('protocol negotiation', () => {
  it('uses HTTP/2 when the server offers it: one connection carries every request, concurrently', async () => {
    const server = await start();
    const client = await KubeClient.connect({ kubeconfig: server.kubeconfig() });
    try {
      await Promise.all(Array.from({ length: 40 }, () => list(client)));
      expect(client.protocol()).toBe('h2');
      expect(server.requests).toHaveLength(40);
      expect(server.requests.every((r) => r.httpVersion === '2.0')).toBe(true);
      // The negotiating handshake is the connection the session runs on.
      expect(server.connections).toBe(1);
    } finally {
      client.close();
    }
  });

  it('falls back to HTTPS/1.1 keep-alive when the server does not offer h2', async () => {
    const server = await start({ http2: false });
    const client = await KubeClient.connect({ kubeconfig: server.kubeconfig() });
    try {
      await Promise.all(Array.from({ length: 10 }, () => list(client)));
      await list(client);
      expect(client.protocol()).toBe('http/1.1');
      expect(server.requests.every((r) => r.httpVersion === '1.1')).toBe(true);
      // Keep-alive: the probe handshake plus at most one connection per concurrent request.
      expect(server.connections).toBeLessThanOrEqual(11);
    } finally {
      client.close();
    }
  });

  it('keeps HTTPS/1.1 when asked to (http2: false) even if the server offers h2', async () => {
    const server = await start();
    const client = await KubeClient.connect({ kubeconfig: server.kubeconfig(), http2: false });
    try {
      await list(client);
      expect(client.protocol()).toBe('http/1.1');
      expect(server.requests[0].httpVersion).toBe('1.1');
    } finally {
      client.close();
    }
  });

  it('honours tls-server-name and insecure-skip-tls-verify, and refuses a server its CA did not sign', async () => {
    const server = await start();
    // The certificate names 127.0.0.1 and localhost: checking it as "localhost" passes.
    const named = await KubeClient.connect({ kubeconfig: kubeconfigWith(server, { 'tls-server-name': 'localhost' }) });
    const named2 = await KubeClient.connect({ kubeconfig: kubeconfigWith(server, { 'tls-server-name': 'api.elsewhere.example' }) });
    const insecure = await KubeClient.connect({ kubeconfig: kubeconfigWith(server, { 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true }) });
    const untrusted = await KubeClient.connect({ kubeconfig: kubeconfigWith(server, { 'certificate-authority-data': undefined }) });
    try {
      await list(named);
      expect(named.protocol()).toBe('h2');
      await expect(list(named2)).rejects.toThrow(/ERR_TLS_CERT_ALTNAME_INVALID|api\.elsewhere\.example/);
      await list(insecure);
      expect(insecure.protocol()).toBe('h2');
      await expect(list(untrusted)).rejects.toThrow(/SELF_SIGNED|self-signed|unable to verify/i);
    } finally {
      for (const client of [named, named2, insecure, untrusted]) client.close();
    }
  });
});

describe('a request that gets no answer', () => {
  it('is sent again on a new connection: the old one may be dead without a word', async () => {
    const server = await start();
    const client = await KubeClient.connect({ kubeconfig: server.kubeconfig(), retryHooks: { sleep: async () => undefined } });
    try {
      await list(client);
      server.addFault({ nth: [1], status: 'timeout' });
      // The timeout only bounds the wait for an answer that never comes; nothing asserts on time.
      await client.request({ method: 'GET', path: '/api/v1/namespaces/default/configmaps', timeoutMs: 3000 });
      expect(client.stats.retries).toBe(1);
      expect(server.connections).toBe(2);
      await Promise.all(Array.from({ length: 5 }, () => list(client)));
      expect(server.connections).toBe(2);
    } finally {
      client.close();
    }
  });
});

describe('through a proxy-url', () => {
  it('tunnels with CONNECT and speaks h2 inside, sending the proxy credentials', async () => {
    const server = await start();
    const proxy = await startConnectProxy();
    const client = await KubeClient.connect({ kubeconfig: kubeconfigWith(server, { 'proxy-url': proxy.url }) });
    try {
      await Promise.all(Array.from({ length: 10 }, () => list(client)));
      expect(client.protocol()).toBe('h2');
      expect(proxy.tunnels).toEqual([new URL(server.url).host]);
      expect(proxy.auth[0]).toBe(`Basic ${Buffer.from('tunnel-user:s3cret').toString('base64')}`);
    } finally {
      client.close();
      await proxy.close();
    }
  });

  it('falls back to HTTPS/1.1 through the same proxy when the server does not offer h2', async () => {
    const server = await start({ http2: false });
    const proxy = await startConnectProxy();
    const client = await KubeClient.connect({ kubeconfig: kubeconfigWith(server, { 'proxy-url': proxy.url }) });
    try {
      await list(client);
      await list(client);
      expect(client.protocol()).toBe('http/1.1');
      expect(server.requests.map((r) => r.httpVersion)).toEqual(['1.1', '1.1']);
      // The probe tunnel, then the keep-alive connection's.
      expect(proxy.tunnels.length).toBeGreaterThanOrEqual(2);
      expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(server.url).host]));
    } finally {
      client.close();
      await proxy.close();
    }
  });
});

const env = {
  name: 'goaway',
  path: 'envs/goaway',
  namespace: 'default',
  prune: { enabled: true, maxShare: 0.5 },
  wait: { enabled: false, timeoutMs: 60_000 },
  forceConflicts: true,
} as EnvironmentConfig;

const objects = (): { object: KubeObject }[] =>
  Array.from({ length: 60 }, (_, i) => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'default' }, data: { i: String(i) } } }));

describe('GOAWAY mid-deploy', () => {
  it('reconnects, sends again only what the server did not process, and converges with every object written once', async () => {
    const kube = await start();
    // Two GOAWAYs among the writes, one among the dry-runs, with other streams in flight each time.
    kube.addFault({ nth: [10, 35], status: 'goaway', match: (r) => r.method === 'PATCH' && !r.dryRun });
    kube.addFault({ nth: [20], status: 'goaway', match: (r) => r.method === 'PATCH' && r.dryRun });
    const port = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: silentLog });
    const deploy = async () => {
      const session = await port.connect(env);
      try {
        const changeSet = await session.changeSet(env, objects(), { prune: true });
        return await session.deploy(env, changeSet, { timeoutMs: 60_000, holder: 'goaway', forcePrune: false });
      } finally {
        session.close();
      }
    };

    const first = await deploy();
    expect(first.apply.failed).toEqual([]);
    expect(kube.goawaysSent).toBe(3);
    // A new connection after each GOAWAY, all of them h2.
    expect(kube.connections).toBeGreaterThanOrEqual(4);
    expect(kube.requests.every((r) => r.httpVersion === '2.0')).toBe(true);
    const writes = kube.requests.filter((r) => r.method === 'PATCH' && !r.dryRun && r.status >= 200 && r.status < 300 && r.path.includes('/configmaps/'));
    const perObject = new Map<string, number>();
    for (const w of writes) perObject.set(w.path, (perObject.get(w.path) ?? 0) + 1);
    expect(perObject.size).toBe(objects().length);
    expect([...perObject.entries()].filter(([, n]) => n !== 1)).toEqual([]);

    const writesBefore = kube.writeCount();
    const versionBefore = kube.currentResourceVersion();
    const again = await deploy();
    expect(again.apply.failed).toEqual([]);
    expect(again.apply.applied).toBe(0);
    expect(kube.writeCount()).toBe(writesBefore);
    expect(kube.currentResourceVersion()).toBe(versionBefore);
  });
});

describe('throttling', () => {
  it('waits what Retry-After says on 429 before sending again (injected sleep)', async () => {
    const server = await start();
    server.addFault({ nth: [1, 2], status: 429, retryAfterSeconds: 3 });
    const slept: number[] = [];
    const client = await KubeClient.connect({ kubeconfig: server.kubeconfig(), retryHooks: { sleep: async (ms) => void slept.push(ms) } });
    try {
      await list(client);
      expect(slept).toEqual([3000, 3000]);
      expect(server.requests.map((r) => r.status)).toEqual([429, 429, 200]);
      expect(client.stats).toMatchObject({ retries: 2, throttled: 2, priorityAndFairness: 0 });
    } finally {
      client.close();
    }
  });

  it('cuts the in-flight limit on API Priority and Fairness rejections and on plain 429s, then recovers gradually', async () => {
    const server = await start();
    const client = await KubeClient.connect({ kubeconfig: server.kubeconfig(), inFlight: { max: 16 }, retryHooks: { sleep: async () => undefined } });
    try {
      server.addFault({ nth: [1], status: 429, retryAfterSeconds: 1, priorityAndFairness: true });
      await list(client);
      expect(client.stats.priorityAndFairness).toBe(1);
      expect(client.inFlight.snapshot().limit).toBe(8);
      server.clearFaults();
      server.addFault({ nth: [1], status: 429, retryAfterSeconds: 1 });
      await list(client);
      expect(client.stats).toMatchObject({ throttled: 2, priorityAndFairness: 1 });
      expect(client.inFlight.snapshot().limit).toBe(4);
      // A few successes raise it by one per window, not back to the ceiling at once.
      for (let i = 0; i < 4; i++) await list(client);
      expect(client.inFlight.snapshot().limit).toBe(5);
      for (let i = 0; i < 200; i++) await list(client);
      expect(client.inFlight.snapshot().limit).toBe(16);
    } finally {
      client.close();
    }
  });

  it('one burst of 429s answering requests sent together cuts the limit once, and the server sees no more than the limit in flight', async () => {
    const server = await start();
    const client = await KubeClient.connect({ kubeconfig: server.kubeconfig(), inFlight: { max: 8 }, retryHooks: { sleep: async () => undefined } });
    try {
      const held = server.hold(() => true, 8);
      server.addFault({ nth: [1, 2, 3, 4, 5, 6, 7, 8], status: 429, retryAfterSeconds: 0, priorityAndFairness: true });
      const burst = Promise.all(Array.from({ length: 12 }, () => list(client)));
      await held.reached;
      while (server.requests.length < 8) await new Promise((resolve) => setImmediate(resolve));
      // 8 in flight at the ceiling; the other 4 wait for a slot.
      expect(client.inFlight.snapshot()).toMatchObject({ inFlight: 8, queued: 4 });
      held.release();
      await burst;
      expect(client.stats.priorityAndFairness).toBe(8);
      expect(client.inFlight.snapshot().cuts).toBe(1);
      expect(client.inFlight.snapshot().lowest).toBe(4);
    } finally {
      client.close();
    }
  });
});
