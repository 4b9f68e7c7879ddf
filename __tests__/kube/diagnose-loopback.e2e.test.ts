/**
 * Failure diagnosis over real HTTPS against the loopback API server: a failed Deployment is
 * followed down to the Pods of its current ReplicaSet, whose container states, warning Events
 * and crashed-instance logs (pods/log ?previous=true) end up in the health report, grouped and masked.
 */

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { KubeObject, ObjectRef } from '../../src/model/objects.js';
import { waitForHealth } from '../../src/kube/wait.js';
import { renderDeployComment } from '../../src/report/deploy-comment.js';
import { KubeClient } from '../../src/kube/client.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { FakeClock } from '../support/clock.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const NS = 'shop';

describe('failure diagnosis against the loopback API server', () => {
  let server: FakeKubeApiServer;
  let client: KubeClient;

  beforeAll(async () => {
    server = await FakeKubeApiServer.start();
    client = await KubeClient.connect({ kubeconfig: server.kubeconfig() });
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });
  afterEach(() => {
    server.refusePodLogs(false);
  });

  const owner = (o: KubeObject, kind: string, apiVersion: string) => [{ apiVersion, kind, name: o.metadata.name, uid: String(o.metadata.uid), controller: true }];

  function seedFailedDeployment(name: string): void {
    const deployment = server.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: NS, annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas: 4, progressDeadlineSeconds: 600, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/shop/api:1.8.0' }] } } },
      status: {
        observedGeneration: 1,
        replicas: 5,
        updatedReplicas: 4,
        readyReplicas: 1,
        availableReplicas: 1,
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}-6b8f9" has timed out progressing.` }],
      },
    } as KubeObject);
    const rs = (hash: string, revision: string) =>
      server.seed({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `${name}-${hash}`, namespace: NS, labels: { app: name, 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: owner(deployment, 'Deployment', 'apps/v1') },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name, 'pod-template-hash': hash } },
          template: { metadata: { labels: { app: name, 'pod-template-hash': hash } }, spec: { containers: [{ name: 'app', image: 'x' }] } },
        },
      } as KubeObject);
    const old = rs('5d7c4', '1');
    const current = rs('6b8f9', '2');
    const pod = (set: KubeObject, podName: string, status: Record<string, unknown>) =>
      server.seed({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace: NS, labels: set.metadata.labels, ownerReferences: owner(set, 'ReplicaSet', 'apps/v1') },
        spec: { containers: [{ name: 'app', image: 'x' }] },
        status,
      } as KubeObject);
    // The old revision's Pod crashes too, but is not what this deploy changed: it must not be reported.
    pod(old, `${name}-5d7c4-old01`, { phase: 'Running', containerStatuses: [{ name: 'app', image: 'registry.example.com/shop/api:1.7.9', ready: false, restartCount: 40, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 9, reason: 'Error' } } }] });
    for (const id of ['k2x9p', 'm4q7z', 'r8t1w']) {
      pod(current, `${name}-6b8f9-${id}`, {
        phase: 'Pending',
        containerStatuses: [{ name: 'app', image: 'registry.example.com/shop/api:1.8.0', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "registry.example.com/shop/api:1.8.0"' } } }],
      });
      server.addEvent({ type: 'Warning', reason: 'Failed', message: 'Failed to pull image "registry.example.com/shop/api:1.8.0": not found', count: 5, involvedObject: { kind: 'Pod', name: `${name}-6b8f9-${id}`, namespace: NS } });
    }
    pod(current, `${name}-6b8f9-c0ffe`, {
      phase: 'Running',
      containerStatuses: [{ name: 'app', image: 'registry.example.com/shop/api:1.8.0', ready: false, restartCount: 6, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }],
    });
    server.setPodLog(NS, `${name}-6b8f9-c0ffe`, 'app', Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).concat(['connecting with password hunter2-prod-pw', 'fatal: could not connect to postgres']).join('\n'), { previous: true });
    server.addEvent({ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container app', count: 12, involvedObject: { kind: 'Pod', name: `${name}-6b8f9-c0ffe`, namespace: NS } });
    server.addEvent({ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container app', count: 40, involvedObject: { kind: 'Pod', name: `${name}-5d7c4-old01`, namespace: NS } });
  }

  const ref = (name: string): ObjectRef => ({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: NS, name });
  const target = (name: string) => ({ ref: ref(name), path: `/apis/apps/v1/namespaces/${NS}/deployments/${name}` });

  it('groups the current revision’s Pod problems, with Events and logs of the crashed instance, masked in every output', async () => {
    seedFailedDeployment('api');
    secrets.add('hunter2-prod-pw');
    const report = await waitForHealth(client, [target('api')], { timeoutMs: 60_000, clock: new FakeClock() });
    expect(report.healthy).toBe(false);
    const causes = report.failing[0]?.causes ?? [];
    expect(causes[0]).toBe('3 Pods: container app: ImagePullBackOff: image "registry.example.com/shop/api:1.8.0" could not be pulled: Back-off pulling image "registry.example.com/shop/api:1.8.0"');
    expect(causes).toContain('Pod api-6b8f9-c0ffe: container app: CrashLoopBackOff: exit code 1 (Error), 6 restarts');
    expect(causes).toContain('  last 20 log lines of api-6b8f9-c0ffe/app (previous instance):');
    // The diagnosis is data; the run's mask applies where it is printed (comment, summary, log).
    expect(causes).toContain('  | connecting with password hunter2-prod-pw');
    expect(causes).toContain('  | fatal: could not connect to postgres');
    expect(causes).not.toContain('  | line 12');
    expect(causes).toContain('  | line 13');
    expect(causes.some((c) => /Warning Failed \(x15, last \d+s ago, 3 objects\): Failed to pull image "registry.example.com\/shop\/api:1.8.0": not found/.test(c))).toBe(true);
    expect(causes.some((c) => /Warning BackOff \(x12, last \d+s ago, Pod\/api-6b8f9-c0ffe\)/.test(c))).toBe(true);
    // The old revision's Pod is not part of this rollout.
    expect(causes.join('\n')).not.toMatch(/5d7c4|exit code 9|x40|x52/);
    const comment = renderDeployComment({ sha: 'f'.repeat(40), environments: [{ name: 'prod', status: 'failure', health: report, durationMs: 1 }] }, secrets);
    expect(comment).not.toContain('hunter2-prod-pw');
    expect(comment).toContain('connecting with password ***');
    expect(comment).toContain('Progress deadline exceeded');
  });

  it('says plainly when the credentials may not read pods/log', async () => {
    seedFailedDeployment('worker');
    server.refusePodLogs(true);
    const report = await waitForHealth(client, [target('worker')], { timeoutMs: 60_000, clock: new FakeClock() });
    expect(report.failing[0]?.causes).toContain('  logs of worker-6b8f9-c0ffe/app could not be read: the credentials may not get pods/log (403 Forbidden)');
  });

  it('diagnoses a failed Job through its Pods', async () => {
    const job = server.seed({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: NS },
      spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'x' }] } } },
      status: { failed: 1, startTime: '2026-11-20T09:00:00Z', conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] },
    } as KubeObject);
    server.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'migrate-x7k2d', namespace: NS, labels: { 'batch.kubernetes.io/controller-uid': String(job.metadata.uid) }, ownerReferences: owner(job, 'Job', 'batch/v1') },
      spec: { containers: [{ name: 'migrate', image: 'x' }] },
      status: { phase: 'Failed', containerStatuses: [{ name: 'migrate', image: 'x', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] },
    } as KubeObject);
    server.setPodLog(NS, 'migrate-x7k2d', 'migrate', 'loading 12000000 rows', { previous: true });
    const report = await waitForHealth(client, [{ ref: { group: 'batch', version: 'v1', kind: 'Job', namespace: NS, name: 'migrate' }, path: `/apis/batch/v1/namespaces/${NS}/jobs/migrate` }], { timeoutMs: 60_000, clock: new FakeClock() });
    expect(report.failing[0]?.causes?.[0]).toBe('Pod migrate-x7k2d: container migrate: terminated: OOMKilled (exit code 137): the container used more memory than its limit');
    expect(report.failing[0]?.causes).toContain('  | loading 12000000 rows');
  });
});

describe('failing fast against the loopback API server', () => {
  let server: FakeKubeApiServer;
  let client: KubeClient;
  beforeAll(async () => {
    server = await FakeKubeApiServer.start();
    client = await KubeClient.connect({ kubeconfig: server.kubeconfig() });
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  function seedRollingOut(name: string, containerStatus: Record<string, unknown>): void {
    const deployment = server.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default', annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { replicas: 2, progressDeadlineSeconds: 600, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
      status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 0, availableReplicas: 0 },
    } as KubeObject);
    const ownerOf = (o: KubeObject, kind: string) => [{ apiVersion: 'apps/v1', kind, name: o.metadata.name, uid: String(o.metadata.uid), controller: true }];
    const rs = server.seed({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${name}-abc12`, namespace: 'default', labels: { app: name, 'pod-template-hash': 'abc12' }, annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: ownerOf(deployment, 'Deployment') },
      spec: { replicas: 2, selector: { matchLabels: { app: name, 'pod-template-hash': 'abc12' } }, template: { metadata: { labels: { app: name, 'pod-template-hash': 'abc12' } }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
    } as KubeObject);
    server.seed({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${name}-abc12-p1`, namespace: 'default', labels: { app: name, 'pod-template-hash': 'abc12' }, ownerReferences: ownerOf(rs, 'ReplicaSet') },
      spec: { containers: [{ name: 'app', image: 'x' }] },
      status: { phase: 'Pending', containerStatuses: [{ name: 'app', image: 'registry.example.com/web:9.9.9', ready: false, ...containerStatus }] },
    } as KubeObject);
  }
  const target = (name: string) => ({ ref: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'default', name }, path: `/apis/apps/v1/namespaces/default/deployments/${name}` });

  it('stops an image pull that keeps failing after the 60 s grace period, long before the timeout', async () => {
    seedRollingOut('nopull', { restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } } });
    const clock = new FakeClock();
    const started = clock.now();
    const report = await waitForHealth(client, [target('nopull')], { timeoutMs: 600_000, clock });
    expect(report.timedOut).toBe(false);
    expect(report.failing[0]?.status).toBe('Failed');
    expect(report.failing[0]?.message).toMatch(/Failing fast: image "registry.example.com\/web:9.9.9" of container app cannot be pulled \(ImagePullBackOff\) for \d+ s/);
    const waited = clock.now() - started;
    expect(waited).toBeGreaterThanOrEqual(60_000);
    expect(waited).toBeLessThan(90_000);
  });

  it('stops a crash loop past 3 restarts at once', async () => {
    seedRollingOut('crashy', { restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
    const clock = new FakeClock();
    const started = clock.now();
    const report = await waitForHealth(client, [target('crashy')], { timeoutMs: 600_000, clock });
    expect(report.failing[0]?.message).toContain('Failing fast: container app of Pod crashy-abc12-p1 is in CrashLoopBackOff after 4 restarts');
    expect(clock.now() - started).toBeLessThan(20_000);
  });

  it('waits the whole timeout when failing fast is turned off', async () => {
    seedRollingOut('patient', { restartCount: 0, state: { waiting: { reason: 'ErrImagePull' } } });
    const report = await waitForHealth(client, [target('patient')], { timeoutMs: 300_000, clock: new FakeClock(), failFast: false });
    expect(report.timedOut).toBe(true);
  });
});
