import { describe, expect, it } from '@jest/globals';
import type { KubeObject, ObjectRef } from '../../src/model/objects.js';
import { describeHealthProblems, resolveWaitTargets, waitForHealth, type WaitTarget } from '../../src/kube/wait.js';
import { recentEvents } from '../../src/kube/wait-events.js';
import { FakeApiError, FakeCluster, FakeClock } from './wait-fake-cluster.js';

const DEPLOY_PATH = '/apis/apps/v1/namespaces/web/deployments/api';
const CM_PATH = '/api/v1/namespaces/web/configmaps/settings';
const deployRef: ObjectRef = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'api' };
const cmRef: ObjectRef = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'settings' };

function deployment(status: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'web', generation: 2 },
    spec: { replicas: 2, progressDeadlineSeconds: 600 },
    status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0, ...status },
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

function setup(): { cluster: FakeCluster; clock: FakeClock; targets: WaitTarget[] } {
  const cluster = new FakeCluster();
  cluster.seed(DEPLOY_PATH, deployment());
  cluster.seed(CM_PATH, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'web' }, data: {} });
  return { cluster, clock: new FakeClock(), targets: [{ ref: deployRef, path: DEPLOY_PATH }, { ref: cmRef, path: CM_PATH }] };
}

describe('waitForHealth', () => {
  it('polls until a Deployment becomes ready, backing off, and reads Current objects once', async () => {
    const { cluster, clock, targets } = setup();
    cluster.onRead(DEPLOY_PATH, (object, n) => (n >= 4 ? deployment(ready) : object));
    const rounds: string[] = [];
    const report = await waitForHealth(cluster, targets, {
      timeoutMs: 60_000,
      clock,
      onProgress: (objects, round) => rounds.push(`${round}:${objects.map((o) => o.status).join(',')}`),
    });
    expect(report).toMatchObject({ healthy: true, timedOut: false, failing: [], polls: 4 });
    expect(report.objects.map((o) => o.status)).toEqual(['Current', 'Current']);
    expect(report.objects[0]?.message).toContain('Deployment is available');
    expect(cluster.readCount(DEPLOY_PATH)).toBe(4);
    expect(cluster.readCount(CM_PATH)).toBe(1);
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
    expect(rounds[0]).toBe('1:InProgress,Current');
  });

  it('stops at the first Failed object and reports its condition message and Events', async () => {
    const { cluster, clock, targets } = setup();
    cluster.onRead(DEPLOY_PATH, (object, n) =>
      n >= 2
        ? deployment({ conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "api-7f9" has timed out progressing.' }] })
        : object,
    );
    cluster.addEvent('web', { type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set api-7f9 to 2', involvedObject: { kind: 'Deployment', name: 'api', namespace: 'web' }, lastTimestamp: '2026-11-05T11:50:00Z' });
    cluster.addEvent('web', { type: 'Warning', reason: 'BackOff', message: 'Back-off pulling image "api:v2"', count: 7, involvedObject: { kind: 'Pod', name: 'api-7f9-x', namespace: 'web' } });
    cluster.addEvent('web', { type: 'Warning', reason: 'ProgressDeadlineExceeded', message: 'Deployment api has timed out', involvedObject: { kind: 'Deployment', name: 'api', namespace: 'web' }, lastTimestamp: '2026-11-05T11:59:00Z' });
    cluster.addEvent('web', { type: 'Normal', reason: 'Other', message: 'about another deployment', involvedObject: { kind: 'Deployment', name: 'worker', namespace: 'web' } });

    const report = await waitForHealth(cluster, targets, { timeoutMs: 600_000, clock });
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
    expect(describeHealthProblems(report)).toBe(
      [
        'Deployment/web/api: Failed: Progress deadline exceeded: ReplicaSet "api-7f9" has timed out progressing.',
        '  Normal ScalingReplicaSet: Scaled up replica set api-7f9 to 2',
        '  Warning ProgressDeadlineExceeded: Deployment api has timed out',
      ].join('\n'),
    );
  });

  it('times out on the fake clock, with backoff capped and the last poll at the deadline', async () => {
    const { cluster, clock, targets } = setup();
    cluster.addEvent('web', { type: 'Warning', reason: 'FailedCreate', message: 'exceeded quota', involvedObject: { kind: 'Deployment', name: 'api', namespace: 'web' } });
    const report = await waitForHealth(cluster, targets, { timeoutMs: 20_000, initialDelayMs: 1_000, maxDelayMs: 4_000, clock });
    expect(report.healthy).toBe(false);
    expect(report.timedOut).toBe(true);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 4000, 4000, 4000, 1000]);
    expect(report.polls).toBe(clock.sleeps.length + 1);
    expect(report.failing).toEqual([{ ref: deployRef, status: 'InProgress', message: 'Available: 0/2', events: ['Warning FailedCreate: exceeded quota'], causes: [] }]);
  });

  it('reports a missing object as NotFound and an unreadable one as Unknown', async () => {
    const { cluster, clock } = setup();
    const missing: WaitTarget = { ref: { ...cmRef, name: 'gone' }, path: '/api/v1/namespaces/web/configmaps/gone' };
    cluster.fault = (req) => {
      if (req.path === CM_PATH) throw new FakeApiError(403, 'Forbidden', 'configmaps "settings" is forbidden');
    };
    const report = await waitForHealth(cluster, [missing, { ref: cmRef, path: CM_PATH }], { timeoutMs: 1_000, clock });
    expect(report.timedOut).toBe(true);
    expect(report.objects.map((o) => o.status)).toEqual(['NotFound', 'Unknown']);
    expect(report.objects[1]?.message).toContain('forbidden');
    expect(report.failing.map((f) => f.status)).toEqual(['NotFound', 'Unknown']);
  });

  it('recovers when a read fails once', async () => {
    const { cluster, clock, targets } = setup();
    let failures = 0;
    cluster.fault = (req) => {
      if (req.path === CM_PATH && failures++ === 0) throw new FakeApiError(503, 'ServiceUnavailable', 'try later');
    };
    cluster.onRead(DEPLOY_PATH, () => deployment(ready));
    const report = await waitForHealth(cluster, targets, { timeoutMs: 10_000, clock });
    expect(report.healthy).toBe(true);
    expect(report.polls).toBe(2);
  });

  it('notes Events that cannot be read instead of failing the report', async () => {
    const { cluster, clock, targets } = setup();
    cluster.fault = (req) => {
      if (req.path.endsWith('/events')) throw new FakeApiError(403, 'Forbidden', 'events is forbidden');
    };
    const report = await waitForHealth(cluster, targets, { timeoutMs: 0, clock });
    expect(report.timedOut).toBe(true);
    expect(report.failing[0]?.events[0]).toMatch(/could not read Events: .*forbidden/);
  });

  it('is healthy at once with nothing to wait for', async () => {
    const report = await waitForHealth(new FakeCluster(), [], { timeoutMs: 1_000, clock: new FakeClock() });
    expect(report).toEqual({ healthy: true, timedOut: false, objects: [], failing: [], polls: 1 });
  });

  it('reads at most `concurrency` objects at once', async () => {
    const cluster = new FakeCluster(() => new Promise((resolve) => setImmediate(resolve)));
    const targets: WaitTarget[] = [];
    for (let i = 0; i < 30; i += 1) {
      const path = `/api/v1/namespaces/web/configmaps/c${i}`;
      cluster.seed(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'web' } });
      targets.push({ ref: { ...cmRef, name: `c${i}` }, path });
    }
    const report = await waitForHealth(cluster, targets, { timeoutMs: 1_000, concurrency: 4, clock: new FakeClock() });
    expect(report.healthy).toBe(true);
    expect(cluster.maxInFlight).toBe(4);
  });

  it('stops when cancelled', async () => {
    const { cluster, clock, targets } = setup();
    const controller = new AbortController();
    cluster.onRead(DEPLOY_PATH, (object, n) => {
      if (n === 2) controller.abort(new Error('deploy cancelled'));
      return object;
    });
    await expect(waitForHealth(cluster, targets, { timeoutMs: 60_000, clock, signal: controller.signal })).rejects.toThrow('deploy cancelled');
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
    const cluster = new FakeCluster();
    const about = { kind: 'Deployment', name: 'api', namespace: 'web' };
    cluster.addEvent('web', { reason: 'C', message: 'third', involvedObject: about, eventTime: '2026-11-05T10:03:00.000000Z' });
    cluster.addEvent('web', { reason: 'A', message: 'first', involvedObject: about, firstTimestamp: '2026-11-05T10:01:00Z' });
    cluster.addEvent('web', { reason: 'D', message: 'fourth', involvedObject: about, series: { lastObservedTime: '2026-11-05T10:04:00Z', count: 3 } });
    cluster.addEvent('web', { reason: 'B', message: ' second ', involvedObject: about, lastTimestamp: '2026-11-05T10:02:00Z' });
    cluster.addEvent('web', { reason: 'X', message: 'other namespace', involvedObject: { ...about, namespace: 'other' } });
    expect(await recentEvents(cluster, deployRef, 3)).toEqual(['B: second', 'C: third', 'D: fourth (x3)']);
  });

  it('looks in `default` for cluster-scoped objects', async () => {
    const cluster = new FakeCluster();
    cluster.addEvent('default', { type: 'Warning', reason: 'NotEstablished', message: 'names conflict', involvedObject: { kind: 'CustomResourceDefinition', name: 'widgets.example.com' } });
    const crd: ObjectRef = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespace: '', name: 'widgets.example.com' };
    expect(await recentEvents(cluster, crd)).toEqual(['Warning NotEstablished: names conflict']);
    expect(cluster.log).toEqual(['GET /api/v1/namespaces/default/events']);
  });
});
