/** Fault injection and latency: what the engine's retries are tested against. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { call } from './client.js';

describe('loopback API server faults', () => {
  let server: FakeKubeApiServer;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
  });

  afterEach(async () => {
    await server.stop();
  });

  test('fails exactly the Nth matching requests, with Retry-After on 429', async () => {
    server.addFault({ nth: [2], status: 429, retryAfterSeconds: 3, match: (r) => r.method === 'GET' && r.path.startsWith('/api/v1/namespaces') });
    const first = await call(server, 'GET', '/api/v1/namespaces');
    const second = await call(server, 'GET', '/api/v1/namespaces/default');
    const third = await call(server, 'GET', '/api/v1/namespaces');
    const unmatched = await call(server, 'GET', '/apis');
    expect([first.status, second.status, third.status, unmatched.status]).toEqual([200, 429, 200, 200]);
    expect(second.headers['retry-after']).toBe('3');
    expect(second.body).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429, details: { retryAfterSeconds: 3 } });
    expect(server.requests.map((r) => r.status)).toEqual([200, 429, 200, 200]);
  });

  test('a rate fails about that share of requests, reproducibly', async () => {
    const run = async () => {
      server.clearFaults();
      server.addFault({ rate: 0.3, status: 503 });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) statuses.push((await call(server, 'GET', '/version')).status);
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    const failed = a.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(30);
  });

  test('5xx faults answer with Status objects, except 502 which looks like a proxy', async () => {
    for (const status of [500, 504] as const) {
      server.clearFaults();
      server.addFault({ nth: [1], status });
      const reply = await call(server, 'GET', '/version');
      expect(reply.status).toBe(status);
      expect(reply.body).toMatchObject({ kind: 'Status', code: status });
    }
    server.clearFaults();
    server.addFault({ nth: [1], status: 502 });
    const proxy = await call(server, 'GET', '/version');
    expect(proxy.status).toBe(502);
    expect(proxy.body).toBe('Bad Gateway\n');
  });

  test('reset destroys the connection', async () => {
    server.addFault({ nth: [1], status: 'reset' });
    await expect(call(server, 'GET', '/version')).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await call(server, 'GET', '/version')).status).toBe(200);
  });

  test('timeout never answers, and stop() still closes promptly', async () => {
    server.addFault({ nth: [1], status: 'timeout' });
    const arrival = server.hold(() => true);
    const hanging = call(server, 'GET', '/version').then(
      () => 'answered',
      () => 'closed',
    );
    await arrival.reached;
    arrival.release();
    // From the hold to the fault the server awaits nothing but promises: one turn of the event loop puts the request in the fault.
    await nextTurn();
    // Promptly: stop() does not wait for the request, which never ends (this bound is far above a
    // real stop, and far below Node's own request timeout of 300 s).
    await expect(settlesWithin(server.stop(), 30_000)).resolves.toBe(true);
    expect(await hanging).toBe('closed');
    expect(server.requests).toHaveLength(1);
  });

  test('latency delays every request, and dry-run writes do not count as writes', async () => {
    server.setLatency(80);
    const started = Date.now();
    await call(server, 'GET', '/version');
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    server.setLatency(0);
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    await call(server, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body });
    await call(server, 'POST', '/api/v1/namespaces/default/configmaps', { body });
    await call(server, 'POST', '/api/v1/namespaces/default/configmaps', { body });
    expect(server.writeCount()).toBe(1);
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', status: 409, dryRun: false });
  });
});

/** true when the promise settles within `ms`, false when it is still pending then. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    promise.then(settled, settled);
  });
}
