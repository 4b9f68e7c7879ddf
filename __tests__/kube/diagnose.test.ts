import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../src/model/objects.js';
import { conditionCauses, diagnosisLines, formatAge, groupPodCauses, podCauses, summarizeEvents } from '../../src/kube/diagnose.js';

const NOW = Date.parse('2026-11-20T10:00:00Z');

function pod(name: string, status: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'web' }, status } as KubeObject;
}

function waiting(reason: string, message = '', extra: Record<string, unknown> = {}) {
  return { phase: 'Pending', containerStatuses: [{ name: 'app', image: 'registry.example.com/api:1.4.2', ready: false, restartCount: 0, state: { waiting: { reason, message } }, ...extra }] };
}

describe('podCauses: one line per container problem', () => {
  const cases: Array<[string, KubeObject, string]> = [
    ['ImagePullBackOff names the image', pod('a', waiting('ImagePullBackOff', 'Back-off pulling image "registry.example.com/api:1.4.2"')), 'container app: ImagePullBackOff: image "registry.example.com/api:1.4.2" could not be pulled: Back-off pulling image "registry.example.com/api:1.4.2"'],
    ['ErrImagePull names the image', pod('a', waiting('ErrImagePull', 'rpc error: code = NotFound desc = failed to pull and unpack image')), 'container app: ErrImagePull: image "registry.example.com/api:1.4.2" could not be pulled: rpc error: code = NotFound desc = failed to pull and unpack image'],
    [
      'CrashLoopBackOff with the exit code',
      pod('a', { phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=app pod=a_web(123)' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] }),
      'container app: CrashLoopBackOff: exit code 1 (Error)',
    ],
    [
      'OOMKilled',
      pod('a', { phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] }),
      'container app: CrashLoopBackOff: OOMKilled (exit code 137): the container used more memory than its limit',
    ],
    ['CreateContainerConfigError names the missing key', pod('a', waiting('CreateContainerConfigError', "couldn't find key DATABASE_URL in Secret web/api-env")), "container app: CreateContainerConfigError: couldn't find key DATABASE_URL in Secret web/api-env"],
    [
      'Unschedulable with the scheduler message',
      pod('a', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] }),
      'Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.',
    ],
    ['readiness probe failing', pod('a', { phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', ready: false, restartCount: 0, state: { running: { startedAt: '2026-11-20T09:59:00Z' } } }] }), 'container app: running but not ready (readiness probe failing)'],
    [
      'an init container that failed',
      pod('a', { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', image: 'x', ready: false, restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error', message: 'relation "users" does not exist' } } }] }),
      'init container migrate: terminated: exit code 2 (Error): relation "users" does not exist',
    ],
  ];
  it.each(cases)('%s', (_name, object, expected) => {
    expect(podCauses(object).map((c) => c.text)).toEqual([expected]);
  });

  it('says nothing about a healthy Pod', () => {
    expect(podCauses(pod('a', { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: { running: {} } }] }))).toEqual([]);
  });
});

describe('groupPodCauses', () => {
  it('84 Pods that cannot pull one image are one line with a count', () => {
    const pods = Array.from({ length: 84 }, (_, i) => pod(`api-7d9c-${i}`, waiting(i % 2 ? 'ErrImagePull' : 'ImagePullBackOff', 'Back-off pulling image')));
    const causes = groupPodCauses(pods);
    expect(causes).toHaveLength(1);
    expect(causes[0]?.pods).toBe(84);
    expect(causes[0]?.text).toMatch(/^84 Pods: container app: (ImagePullBackOff|ErrImagePull): image "registry.example.com\/api:1.4.2"/);
  });

  it('crash loops group by exit code across Pods, with the highest restart count and a Pod to read logs of', () => {
    const crash = (name: string, restarts: number, code: number) =>
      pod(name, { phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', ready: false, restartCount: restarts, state: { waiting: { reason: 'CrashLoopBackOff', message: `pod=${name}` } }, lastState: { terminated: { exitCode: code, reason: 'Error' } } }] });
    const causes = groupPodCauses([crash('a', 3, 1), crash('b', 9, 1), crash('c', 1, 2)]);
    expect(causes.map((c) => c.text)).toEqual(['2 Pods: container app: CrashLoopBackOff: exit code 1 (Error), 9 restarts', 'Pod c: container app: CrashLoopBackOff: exit code 2 (Error), 1 restart']);
    expect(causes[0]?.logsOf).toEqual({ pod: 'a', container: 'app' });
  });
});

describe('summarizeEvents', () => {
  it('keeps warnings only, deduplicated across Pods with summed counts and the latest age', () => {
    const events = [
      { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned', involvedObject: { kind: 'Pod', name: 'a' }, lastTimestamp: '2026-11-20T09:58:00Z' },
      { type: 'Warning', reason: 'Failed', message: 'Failed to pull image "x:1": not found', count: 4, involvedObject: { kind: 'Pod', name: 'a' }, lastTimestamp: '2026-11-20T09:59:00Z' },
      { type: 'Warning', reason: 'Failed', message: 'Failed to pull image "x:1": not found', count: 3, involvedObject: { kind: 'Pod', name: 'b' }, lastTimestamp: '2026-11-20T09:59:30Z' },
      { type: 'Warning', reason: 'FailedCreate', message: 'exceeded quota: compute', involvedObject: { kind: 'ReplicaSet', name: 'api-7d9c' }, lastTimestamp: '2026-11-20T09:40:00Z' },
    ];
    expect(summarizeEvents(events, NOW)).toEqual([
      'Warning FailedCreate (last 20m ago, ReplicaSet/api-7d9c): exceeded quota: compute',
      'Warning Failed (x7, last 30s ago, 2 objects): Failed to pull image "x:1": not found',
    ]);
  });

  it('formats ages like kubectl', () => {
    expect([formatAge(5_000), formatAge(600_000), formatAge(3 * 3_600_000), formatAge(3 * 86_400_000)]).toEqual(['5s', '10m', '3h', '3d']);
  });
});

describe('conditionCauses (kinds without Pods)', () => {
  it('lists the conditions that are not fine (an abnormal-true type only when True)', () => {
    const object = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'web' },
      status: { conditions: [{ type: 'Ready', status: 'False', reason: 'DoesNotExist', message: 'Issuer letsencrypt not found' }, { type: 'Issuing', status: 'True' }, { type: 'Stalled', status: 'True', reason: 'IssuerMissing' }] },
    } as KubeObject;
    expect(conditionCauses(object).map((c) => c.text)).toEqual(['condition Ready=False (DoesNotExist): Issuer letsencrypt not found', 'condition Stalled=True (IssuerMissing)']);
  });
});

describe('diagnosisLines', () => {
  it('puts the log lines under their crash loop, and says plainly when they could not be read', () => {
    const causes = [
      { text: 'Pod a: container app: CrashLoopBackOff: exit code 1 (Error), 4 restarts', pods: 1, logsOf: { pod: 'a', container: 'app' } },
      { text: 'Pod b: container side: CrashLoopBackOff: exit code 3 (Error), 2 restarts', pods: 1, logsOf: { pod: 'b', container: 'side' } },
    ];
    const logs = [
      { pod: 'a', container: 'app', lines: ['starting', 'panic: no DATABASE_URL'] },
      { pod: 'b', container: 'side', unavailable: 'the credentials may not get pods/log (403 Forbidden)' },
    ];
    expect(diagnosisLines({ causes, logs })).toEqual([
      'Pod a: container app: CrashLoopBackOff: exit code 1 (Error), 4 restarts',
      '  last 2 log lines of a/app (previous instance):',
      '  | starting',
      '  | panic: no DATABASE_URL',
      'Pod b: container side: CrashLoopBackOff: exit code 3 (Error), 2 restarts',
      '  logs of b/side could not be read: the credentials may not get pods/log (403 Forbidden)',
    ]);
  });
});
