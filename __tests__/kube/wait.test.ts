import { describe, expect, it } from '@jest/globals';
import type { KubeObject, ObjectRef } from '../../src/model/objects.js';
import { resolveWaitTargets, waitForHealth, type WaitTarget } from '../../src/kube/wait.js';
import { recentEvents } from '../../src/kube/wait-events.js';
import type { KubeClient } from '../../src/kube/client.js';
import { FakeClock } from '../support/clock.js';
import { failure, FakeKubeApiServer, NO_RETRY } from '../support/kube-api-server.js';

const DEPLOY_PATH = '/apis/apps/v1/namespaces/web/deployments/api';
const CM_PATH = '/api/v1/namespaces/web/configmaps/settings';
const deployRef: ObjectRef = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'api' };
const cmRef: ObjectRef = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'settings' };

function deployment(status: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'web', generation: 1 },
    spec: {
      replicas: 2,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:v2' }] } },
    },
    status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0, ...status },
  };
}

const ready = {
  readyReplicas: 2,
  availableReplicas: 2,
  conditions: [
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
  ],
};

/**
 * The loopback API server, in-process, with namespace `web`. Its client makes one attempt per
 * request, so waiting itself sees every failure the server sends.
 */
function cluster(): { server: FakeKubeApiServer; client: KubeClient } {
  const server = FakeKubeApiServer.inProcess();
  server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
  return { server, client: server.client({ retryPolicy: NO_RETRY }) };
}

/** The status part of deployment(), as a controller would write it. */
function deploymentStatus(status: Record<string, unknown> = {}): Record<string, unknown> {
  return deployment(status).status as Record<string, unknown>;
}

function setup(): { server: FakeKubeApiServer; client: KubeClient; clock: FakeClock; targets: WaitTarget[] } {
  const { server, client } = cluster();
  server.seed(deployment());
  server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'web' }, data: {} });
  return { server, client, clock: new FakeClock(), targets: [{ ref: deployRef, path: DEPLOY_PATH }, { ref: cmRef, path: CM_PATH }] };
}

/** GETs of one object path the server received. */
function readCount(server: FakeKubeApiServer, path: string): number {
  return server.requests.filter((r) => r.method === 'GET' && r.path === path).length;
}

/** An Event stored as given (no timestamps filled in), so each test controls which time field it has. */
function addEvent(server: FakeKubeApiServer, namespace: string, event: Record<string, unknown>): void {
  const count = server.listObjects('v1', 'Event').length;
  server.seed({ ...event, apiVersion: 'v1', kind: 'Event', metadata: { namespace, name: `e${count}` } } as KubeObject);
}

describe('waitForHealth', () => {
  it('polls until a Deployment becomes ready, backing off, and reads Current objects once', async () => {
    const { server, client, clock, targets } = setup();
    server.onRead('Deployment', (_object, n) => (n >= 4 ? deploymentStatus(ready) : undefined));
    const rounds: string[] = [];
    const report = await waitForHealth(client, targets, {
      timeoutMs: 60_000,
      clock,
      onProgress: (objects, round) => rounds.push(`${round}:${objects.map((o) => o.status).join(',')}`),
    });
    expect(report).toMatchObject({ healthy: true, timedOut: false, failing: [], polls: 4 });
    expect(report.objects.map((o) => o.status)).toEqual(['Current', 'Current']);
    expect(report.objects[0]?.message).toContain('Deployment is available');
    expect(readCount(server, DEPLOY_PATH)).toBe(4);
    expect(readCount(server, CM_PATH)).toBe(1);
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
    expect(rounds[0]).toBe('1:InProgress,Current');
  });

  it('stops at the first Failed object and reports its condition message and Events', async () => {
    const { server, client, clock, targets } = setup();
    server.onRead('Deployment', (_object, n) =>
      n >= 2
        ? deploymentStatus({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "api-7f9" has timed out progressing.' }] })
        : undefined,
    );
    addEvent(server, 'web', { type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set api-7f9 to 2', involvedObject: { kind: 'Deployment', name: 'api', namespace: 'web' }, lastTimestamp: '2026-11-05T11:50:00Z' });
    addEvent(server, 'web', { type: 'Warning', reason: 'BackOff', message: 'Back-off pulling image "api:v2"', count: 7, involvedObject: { kind: 'Pod', name: 'api-7f9-x', namespace: 'web' } });
    addEvent(server, 'web', { type: 'Warning', reason: 'ProgressDeadlineExceeded', message: 'Deployment api has timed out', involvedObject: { kind: 'Deployment', name: 'api', namespace: 'web' }, lastTimestamp: '2026-11-05T11:59:00Z' });
    addEvent(server, 'web', { type: 'Normal', reason: 'Other', message: 'about another deployment', involvedObject: { kind: 'Deployment', name: 'worker', namespace: 'web' } });

    const report = await waitForHealth(client, targets, { timeoutMs: 600_000, clock });
    expect(report.healthy).toBe(false);
    expect(report.timedOut).toBe(false);
    expect(report.polls).toBe(2);
    expect(report.failing).toHaveLength(1);
    const [failing] = report.failing;
    expect(failing?.status).toBe('Failed');
    expect(failing?.message).toContain('has timed out progressing');
    expect(failing?.events).toEqual([
      'Normal ScalingReplicaSet: Scaled up replica set api-7f9 to 2',
      'Warning ProgressDeadlineExceeded: Deployment api has timed out',
    ]);
  });

  it('times out on the fake clock, with backoff capped and the last poll at the deadline', async () => {
    const { server, client, clock, targets } = setup();
    addEvent(server, 'web', { type: 'Warning', reason: 'FailedCreate', message: 'exceeded quota', involvedObject: { kind: 'Deployment', name: 'api', namespace: 'web' } });
    const report = await waitForHealth(client, targets, { timeoutMs: 20_000, initialDelayMs: 1_000, maxDelayMs: 4_000, clock });
    expect(report.healthy).toBe(false);
    expect(report.timedOut).toBe(true);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 4000, 4000, 4000, 1000]);
    expect(report.polls).toBe(clock.sleeps.length + 1);
    expect(report.failing).toEqual([{ ref: deployRef, status: 'InProgress', message: 'Available: 0/2', events: ['Warning FailedCreate: exceeded quota'], causes: [] }]);
  });

  it('reports a missing object as NotFound and an unreadable one as Unknown', async () => {
    const { server, client, clock } = setup();
    const missing: WaitTarget = { ref: { ...cmRef, name: 'gone' }, path: '/api/v1/namespaces/web/configmaps/gone' };
    server.intercept((req) => (req.path === CM_PATH ? failure(403, 'Forbidden', 'configmaps "settings" is forbidden') : undefined));
    const report = await waitForHealth(client, [missing, { ref: cmRef, path: CM_PATH }], { timeoutMs: 1_000, clock });
    expect(report.timedOut).toBe(true);
    expect(report.objects.map((o) => o.status)).toEqual(['NotFound', 'Unknown']);
    expect(report.objects[1]?.message).toContain('forbidden');
    expect(report.failing.map((f) => f.status)).toEqual(['NotFound', 'Unknown']);
  });

  it('recovers when a read fails once', async () => {
    const { server, client, clock, targets } = setup();
    let failures = 0;
    server.intercept((req) => (req.path === CM_PATH && failures++ === 0 ? failure(503, 'ServiceUnavailable', 'try later') : undefined));
    server.onRead('Deployment', () => deploymentStatus(ready));
    const report = await waitForHealth(client, targets, { timeoutMs: 10_000, clock });
    expect(report.healthy).toBe(true);
    expect(report.polls).toBe(2);
  });

  it('notes Events that cannot be read instead of failing the report', async () => {
    const { server, client, clock, targets } = setup();
    server.intercept((req) => (req.path.endsWith('/events') ? failure(403, 'Forbidden', 'events is forbidden') : undefined));
    const report = await waitForHealth(client, targets, { timeoutMs: 0, clock });
    expect(report.timedOut).toBe(true);
    expect(report.failing[0]?.events[0]).toMatch(/could not read Events: .*forbidden/);
  });

  it('is healthy at once with nothing to wait for', async () => {
    const report = await waitForHealth(cluster().client, [], { timeoutMs: 1_000, clock: new FakeClock() });
    expect(report).toEqual({ healthy: true, timedOut: false, objects: [], failing: [], polls: 1 });
  });

  it('reads at most `concurrency` objects at once', async () => {
    const { server, client } = cluster();
    // Each answer waits for a timer, so reads started together are in flight together.
    server.setLatency(1);
    const targets: WaitTarget[] = [];
    for (let i = 0; i < 30; i += 1) {
      const path = `/api/v1/namespaces/web/configmaps/c${i}`;
      server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'web' } });
      targets.push({ ref: { ...cmRef, name: `c${i}` }, path });
    }
    const report = await waitForHealth(client, targets, { timeoutMs: 1_000, concurrency: 4, clock: new FakeClock() });
    expect(report.healthy).toBe(true);
    expect(server.maxInFlight).toBe(4);
  });

  it('stops when cancelled', async () => {
    const { server, client, clock, targets } = setup();
    const controller = new AbortController();
    server.onRead('Deployment', (_object, n) => {
      if (n === 2) controller.abort(new Error('deploy cancelled'));
      return undefined;
    });
    await expect(waitForHealth(client, targets, { timeoutMs: 60_000, clock, signal: controller.signal })).rejects.toThrow('deploy cancelled');
  });

  it('resolves object paths through discovery', async () => {
    const resolver = {
      resolve: async (t: Pick<ObjectRef, 'group' | 'version' | 'kind'>) => ({
        objectPath: (ns: string | undefined, name: string) => `/apis/${t.group}/${t.version}/${ns ? `namespaces/${ns}/` : ''}${t.kind.toLowerCase()}s/${name}`,
      }),
    };
    const crd: ObjectRef = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespace: '', name: 'widgets.example.com' };
    expect(await resolveWaitTargets(resolver, [deployRef, crd])).toEqual([
      { ref: deployRef, path: DEPLOY_PATH },
      { ref: crd, path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com' },
    ]);
  });
});

describe('recentEvents', () => {
  it('keeps the last few events of the object, oldest first, whatever field holds their time', async () => {
    const { server, client } = cluster();
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    const about = { kind: 'Deployment', name: 'api', namespace: 'web' };
    addEvent(server, 'web', { reason: 'C', message: 'third', involvedObject: about, eventTime: '2026-11-05T10:03:00.000000Z' });
    addEvent(server, 'web', { reason: 'A', message: 'first', involvedObject: about, firstTimestamp: '2026-11-05T10:01:00Z' });
    addEvent(server, 'web', { reason: 'D', message: 'fourth', involvedObject: about, series: { lastObservedTime: '2026-11-05T10:04:00Z', count: 3 } });
    addEvent(server, 'web', { reason: 'B', message: ' second ', involvedObject: about, lastTimestamp: '2026-11-05T10:02:00Z' });
    addEvent(server, 'web', { reason: 'X', message: 'other namespace', involvedObject: { ...about, namespace: 'other' } });
    expect(await recentEvents(client, deployRef, 3)).toEqual(['B: second', 'C: third', 'D: fourth (x3)']);
  });

  it('looks in `default` for cluster-scoped objects', async () => {
    const { server, client } = cluster();
    addEvent(server, 'default', { type: 'Warning', reason: 'NotEstablished', message: 'names conflict', involvedObject: { kind: 'CustomResourceDefinition', name: 'widgets.example.com' } });
    const crd: ObjectRef = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespace: '', name: 'widgets.example.com' };
    expect(await recentEvents(client, crd)).toEqual(['Warning NotEstablished: names conflict']);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/namespaces/default/events']);
  });
});
