import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../src/model/objects.js';
import { LockTimeoutError, acquireEnvironmentLock, leaseName, withEnvironmentLock, type LockOptions } from '../../src/kube/lock.js';
import type { KubeClient } from '../../src/kube/client.js';
import { FakeClock } from '../support/clock.js';
import { failure, FakeKubeApiServer, NO_RETRY } from '../support/kube-api-server.js';

const COLLECTION = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
const PATH = `${COLLECTION}/slipway-prod`;
const RUN_A = 'https://github.com/acme/deploy/actions/runs/1';
const RUN_B = 'https://github.com/acme/deploy/actions/runs/2';

/** A clock whose sleeps also let other async work run, and can run a hook on each sleep. */
class SteppingClock extends FakeClock {
  onSleep?: (count: number) => void;
  override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.onSleep?.(this.sleeps.length + 1);
    await super.sleep(ms, signal);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function options(clock: FakeClock, holder: string, extra: Partial<LockOptions> = {}): LockOptions {
  return { environment: 'prod', holder, leaseDurationSeconds: 60, waitTimeoutMs: 120_000, clock, ...extra };
}

/**
 * The loopback API server, in-process, and a client that makes one attempt per request, so
 * the lock itself sees every conflict and failure the server sends.
 */
function cluster(): { server: FakeKubeApiServer; client: KubeClient } {
  const server = FakeKubeApiServer.inProcess();
  return { server, client: server.client({ retryPolicy: NO_RETRY }) };
}

function leaseObject(server: FakeKubeApiServer): KubeObject | undefined {
  return server.getObject('coordination.k8s.io/v1', 'Lease', 'slipway-prod', 'default');
}

function lease(server: FakeKubeApiServer): { holderIdentity?: string; acquireTime?: string; renewTime?: string; leaseTransitions?: number; leaseDurationSeconds?: number } {
  return (leaseObject(server) as KubeObject & { spec: Record<string, never> }).spec;
}

/** Writes the Lease as another deploy would: created when missing, else replaced (its resourceVersion moves on). */
function seedLease(server: FakeKubeApiServer, spec: Record<string, unknown>): void {
  const object = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'slipway-prod', namespace: 'default' }, spec };
  if (leaseObject(server)) server.update(object);
  else server.seed(object);
}

/** Requests as `METHOD /path`. */
function log(server: FakeKubeApiServer): string[] {
  return server.requests.map((r) => `${r.method} ${r.path}`);
}

describe('acquireEnvironmentLock', () => {
  it('creates the Lease when there is none, and releases it by clearing the holder', async () => {
    const { server, client } = cluster();
    const clock = new FakeClock();
    const lock = await acquireEnvironmentLock(client, options(clock, RUN_A));
    expect(lock).toMatchObject({ name: 'slipway-prod', namespace: 'default', holder: RUN_A, lost: false });
    const created = leaseObject(server)!;
    expect(created.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'slipway' });
    expect(created.metadata.annotations).toEqual({ 'slipway.dev/environment': 'prod' });
    expect(lease(server)).toEqual({
      holderIdentity: RUN_A,
      leaseDurationSeconds: 60,
      acquireTime: '2026-11-05T12:00:00.000000Z',
      renewTime: '2026-11-05T12:00:00.000000Z',
      leaseTransitions: 0,
    });

    expect(await lock.release()).toBe(true);
    expect(lease(server).holderIdentity).toBeUndefined();
    expect(await lock.release()).toBe(true);
  });

  it('uses the given namespace', async () => {
    const { server, client } = cluster();
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    await (await acquireEnvironmentLock(client, options(new FakeClock(), RUN_A, { namespace: 'apps', environment: 'Prod_EU' }))).release();
    expect(log(server)[1]).toBe('POST /apis/coordination.k8s.io/v1/namespaces/apps/leases');
    expect(server.listObjects('coordination.k8s.io/v1', 'Lease').map((l) => `${l.metadata.namespace}/${l.metadata.name}`)).toEqual(['apps/slipway-prod-eu']);
  });

  it('takes over a lease that lapsed, counting the transition', async () => {
    const { server, client } = cluster();
    const clock = new FakeClock();
    seedLease(server, { holderIdentity: 'crashed-run', leaseDurationSeconds: 60, acquireTime: '2026-11-05T11:00:00.000000Z', renewTime: '2026-11-05T11:58:59.000000Z', leaseTransitions: 3 });
    const lock = await acquireEnvironmentLock(client, options(clock, RUN_A));
    expect(lease(server)).toMatchObject({ holderIdentity: RUN_A, leaseTransitions: 4, acquireTime: '2026-11-05T12:00:00.000000Z' });
    expect(clock.sleeps).toEqual([]);
    await lock.release();
  });

  it('takes a released lease at once', async () => {
    const { server, client } = cluster();
    seedLease(server, { leaseDurationSeconds: 60, renewTime: '2026-11-05T11:59:59.000000Z', leaseTransitions: 1 });
    const lock = await acquireEnvironmentLock(client, options(new FakeClock(), RUN_A));
    expect(lease(server)).toMatchObject({ holderIdentity: RUN_A, leaseTransitions: 2 });
    await lock.release();
  });

  it('waits for a held lease, then fails naming the holder and since when', async () => {
    const { server, client } = cluster();
    const clock = new FakeClock();
    seedLease(server, { holderIdentity: RUN_B, leaseDurationSeconds: 3600, acquireTime: '2026-11-05T11:50:00.000000Z', renewTime: '2026-11-05T11:59:00.000000Z' });
    const waits: string[] = [];
    const attempt = acquireEnvironmentLock(client, options(clock, RUN_A, { waitTimeoutMs: 30_000, onWait: (h) => waits.push(h.identity) }));
    await expect(attempt).rejects.toThrow(LockTimeoutError);
    const error = (await attempt.catch((e: unknown) => e)) as LockTimeoutError;
    expect(error.message).toContain(`Environment "prod" is locked by another deploy: Lease default/slipway-prod is held by ${RUN_B} since 2026-11-05T11:50:00.000000Z`);
    expect(error.message).toContain('expires 2026-11-05T12:59:00.000Z unless renewed');
    expect(error.message).toContain('kubectl delete lease -n default slipway-prod');
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000, 10000, 5000]);
    expect(waits).toHaveLength(6);
    expect(lease(server).holderIdentity).toBe(RUN_B);
  });

  it('proceeds once the holder releases while it waits', async () => {
    const { server, client } = cluster();
    const clock = new SteppingClock();
    const first = await acquireEnvironmentLock(client, options(clock, RUN_B));
    clock.onSleep = (n) => {
      if (n === 3) void first.release();
    };
    const second = await acquireEnvironmentLock(client, options(clock, RUN_A));
    expect(clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(lease(server)).toMatchObject({ holderIdentity: RUN_A, leaseTransitions: 1 });
    await second.release();
  });

  it('re-reads after losing a create race, and then waits for the winner', async () => {
    const { server, client } = cluster();
    server.intercept((req) => {
      if (req.method === 'POST' && !leaseObject(server)) {
        seedLease(server, { holderIdentity: RUN_B, leaseDurationSeconds: 60, acquireTime: '2026-11-05T12:00:00.000000Z', renewTime: '2026-11-05T12:00:00.000000Z' });
      }
      return undefined;
    });
    const attempt = acquireEnvironmentLock(client, options(new FakeClock(), RUN_A, { waitTimeoutMs: 0 }));
    await expect(attempt).rejects.toThrow(`held by ${RUN_B}`);
    expect(log(server)).toEqual([`GET ${PATH}`, `POST ${COLLECTION}`, `GET ${PATH}`]);
  });

  it('re-reads after losing a takeover race (409 on the update)', async () => {
    const { server, client } = cluster();
    seedLease(server, { holderIdentity: 'crashed-run', leaseDurationSeconds: 60, renewTime: '2026-11-05T10:00:00.000000Z' });
    server.intercept((req) => {
      if (req.method === 'PUT' && lease(server).holderIdentity === 'crashed-run') {
        seedLease(server, { holderIdentity: RUN_B, leaseDurationSeconds: 60, acquireTime: '2026-11-05T12:00:00.000000Z', renewTime: '2026-11-05T12:00:00.000000Z' });
      }
      return undefined;
    });
    await expect(acquireEnvironmentLock(client, options(new FakeClock(), RUN_A, { waitTimeoutMs: 0 }))).rejects.toThrow(`held by ${RUN_B}`);
    expect(lease(server).holderIdentity).toBe(RUN_B);
  });

  it('explains a permission error', async () => {
    const { server, client } = cluster();
    server.intercept((req) => (req.method === 'POST' ? failure(403, 'Forbidden', 'leases.coordination.k8s.io is forbidden') : undefined));
    await expect(acquireEnvironmentLock(client, options(new FakeClock(), RUN_A))).rejects.toThrow(/Could not take the deploy lock \(Lease default\/slipway-prod\).*forbidden[\s\S]*Grant the deploying identity/);
  });

  it('explains a missing namespace', async () => {
    // The server's own answer: Namespace apps does not exist.
    const { client } = cluster();
    await expect(acquireEnvironmentLock(client, options(new FakeClock(), RUN_A, { namespace: 'apps' }))).rejects.toThrow(/Namespace "apps" must exist/);
  });

  it('stops waiting when cancelled', async () => {
    const { server, client } = cluster();
    seedLease(server, { holderIdentity: RUN_B, leaseDurationSeconds: 3600, renewTime: '2026-11-05T11:59:00.000000Z' });
    const controller = new AbortController();
    const clock = new SteppingClock();
    clock.onSleep = (n) => n === 2 && controller.abort(new Error('run cancelled'));
    await expect(acquireEnvironmentLock(client, options(clock, RUN_A, { signal: controller.signal }))).rejects.toThrow('run cancelled');
  });
});

describe('renewal and loss', () => {
  it('renews the lease while held', async () => {
    const { server, client } = cluster();
    const clock = new FakeClock();
    const lock = await acquireEnvironmentLock(client, options(clock, RUN_A));
    clock.time += 20_000;
    await lock.renew();
    expect(lease(server)).toMatchObject({ holderIdentity: RUN_A, acquireTime: '2026-11-05T12:00:00.000000Z', renewTime: '2026-11-05T12:00:20.000000Z' });
    await lock.release();
  });

  it('renews on its own timer', async () => {
    const { server, client } = cluster();
    const lock = await acquireEnvironmentLock(client, options(new FakeClock(), RUN_A, { renewIntervalMs: 5 }));
    const before = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(server.requests.length).toBeGreaterThan(before);
    await lock.release();
    const after = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests.length).toBe(after);
  });

  it('notices a takeover when renewing, aborts its signal, and then does not release the new holder', async () => {
    const { server, client } = cluster();
    const warnings: string[] = [];
    const lock = await acquireEnvironmentLock(client, options(new FakeClock(), RUN_A, { onWarning: (m) => warnings.push(m) }));
    seedLease(server, { holderIdentity: RUN_B, leaseDurationSeconds: 60, acquireTime: '2026-11-05T12:05:00.000000Z', renewTime: '2026-11-05T12:05:00.000000Z' });
    await lock.renew();
    expect(lock.lost).toBe(true);
    expect(lock.signal.aborted).toBe(true);
    expect(warnings[0]).toContain(`was lost: now held by ${RUN_B}`);
    expect(await lock.release()).toBe(false);
    expect(lease(server).holderIdentity).toBe(RUN_B);
  });

  it('does not release a lease another holder took over', async () => {
    const { server, client } = cluster();
    const lock = await acquireEnvironmentLock(client, options(new FakeClock(), RUN_A));
    seedLease(server, { holderIdentity: RUN_B, leaseDurationSeconds: 60, acquireTime: '2026-11-05T12:05:00.000000Z', renewTime: '2026-11-05T12:05:00.000000Z' });
    expect(await lock.release()).toBe(false);
    expect(lock.lost).toBe(true);
    expect(lease(server)).toMatchObject({ holderIdentity: RUN_B });
  });

  it('does not mistake a later lease of the same holder for its own', async () => {
    const { server, client } = cluster();
    const lock = await acquireEnvironmentLock(client, options(new FakeClock(), RUN_A));
    seedLease(server, { holderIdentity: RUN_A, leaseDurationSeconds: 60, acquireTime: '2026-11-05T12:30:00.000000Z', renewTime: '2026-11-05T12:30:00.000000Z' });
    expect(await lock.release()).toBe(false);
  });

  it('keeps trying to renew after a conflict or a transient error', async () => {
    const { server, client } = cluster();
    const warnings: string[] = [];
    const clock = new FakeClock();
    const lock = await acquireEnvironmentLock(client, options(clock, RUN_A, { onWarning: (m) => warnings.push(m) }));
    server.intercept((req) => (req.method === 'PUT' ? failure(503, 'ServiceUnavailable', 'etcd leader changed') : undefined));
    await lock.renew();
    expect(lock.lost).toBe(false);
    expect(warnings[0]).toContain('Could not renew the deploy lock (Lease default/slipway-prod)');
    server.clearIntercepts();
    clock.time += 30_000;
    await lock.renew();
    expect(lease(server).renewTime).toBe('2026-11-05T12:00:30.000000Z');
    await lock.release();
  });

  it('releases with one conditional write when nothing wrote the Lease since this run did', async () => {
    const { server, client } = cluster();
    const lock = await acquireEnvironmentLock(client, options(new FakeClock(), RUN_A));
    server.clearRequests();
    expect(await lock.release()).toBe(true);
    expect(log(server)).toEqual([`PUT ${PATH}`]);
    expect(lease(server).holderIdentity).toBeUndefined();
  });

  it('notices a deleted Lease on release without a read first', async () => {
    const { server, client } = cluster();
    const lock = await acquireEnvironmentLock(client, options(new FakeClock(), RUN_A));
    server.deleteObject('coordination.k8s.io/v1', 'Lease', 'slipway-prod', 'default');
    expect(await lock.release()).toBe(false);
    expect(lock.lost).toBe(true);
  });

  it('retries a release that races with its own renewal', async () => {
    const { server, client } = cluster();
    const lock = await acquireEnvironmentLock(client, options(new FakeClock(), RUN_A));
    let raced = false;
    server.intercept((req) => {
      if (!raced && req.method === 'PUT') {
        raced = true;
        // A renewal landed first: same holder, new resourceVersion.
        server.update({ ...leaseObject(server)!, spec: { ...lease(server), renewTime: '2026-11-05T12:00:01.000000Z' } });
      }
      return undefined;
    });
    expect(await lock.release()).toBe(true);
    expect(lease(server).holderIdentity).toBeUndefined();
  });
});

describe('withEnvironmentLock', () => {
  it('serialises two concurrent deploys of one environment', async () => {
    const { server, client } = cluster();
    // Each answer waits for a timer, so the two deploys' requests interleave.
    server.setLatency(1);
    const clock = new SteppingClock();
    const timeline: string[] = [];
    const deploy = (holder: string) =>
      withEnvironmentLock(client, options(clock, holder), async () => {
        timeline.push(`start ${holder}`);
        for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
        timeline.push(`end ${holder}`);
        return holder;
      });
    const results = await Promise.all([deploy(RUN_A), deploy(RUN_B)]);
    expect(results).toEqual([RUN_A, RUN_B]);
    expect(timeline).toHaveLength(4);
    // Whoever started first finished before the other started.
    expect(timeline[1]?.startsWith('end')).toBe(true);
    expect(timeline[0]?.slice(6)).toBe(timeline[1]?.slice(4));
    expect(lease(server).holderIdentity).toBeUndefined();
    expect(lease(server).leaseTransitions).toBe(1);
  });

  it('releases the lock when the deploy fails, and rethrows its error', async () => {
    const { server, client } = cluster();
    await expect(
      withEnvironmentLock(client, options(new FakeClock(), RUN_A), async () => {
        throw new Error('apply failed');
      }),
    ).rejects.toThrow('apply failed');
    expect(lease(server).holderIdentity).toBeUndefined();
  });

  it('does not fail a finished deploy when the release fails', async () => {
    const { server, client } = cluster();
    const warnings: string[] = [];
    const result = await withEnvironmentLock(client, options(new FakeClock(), RUN_A, { onWarning: (m) => warnings.push(m) }), async () => {
      server.intercept((req) => (req.method === 'PUT' ? failure(500, 'InternalError', 'boom') : undefined));
      return 'deployed';
    });
    expect(result).toBe('deployed');
    expect(warnings[0]).toMatch(/Could not release the deploy lock.*boom.*lapses on its own/);
  });
});

describe('leaseName', () => {
  it.each([
    ['prod', 'slipway-prod'],
    ['Prod_EU', 'slipway-prod-eu'],
    ['eu.west-1', 'slipway-eu.west-1'],
    ['dev!', 'slipway-dev'],
  ])('%s -> %s', (environment, name) => {
    expect(leaseName(environment)).toBe(name);
  });
});
