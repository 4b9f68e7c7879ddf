import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../src/model/objects.js';
import { computeStatus } from '../../src/kube/status.js';

const rollout = (status: Record<string, unknown>, generation = 3): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'api', namespace: 'shop', generation }, status }) as KubeObject;
const canary = (status: Record<string, unknown>): KubeObject => ({ apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'api', namespace: 'shop', generation: 1 }, status }) as KubeObject;

describe('progressive delivery health', () => {
  const cases: Array<[string, KubeObject, string, string]> = [
    ['Rollout Healthy is Current', rollout({ observedGeneration: '3', phase: 'Healthy' }), 'Current', 'Rollout is healthy'],
    ['Rollout Paused is in progress, not failure', rollout({ observedGeneration: '3', phase: 'Paused', pauseConditions: [{ reason: 'CanaryPauseStep' }] }), 'InProgress', 'Rollout is paused, waiting to be promoted (CanaryPauseStep)'],
    ['Rollout Progressing', rollout({ observedGeneration: '3', phase: 'Progressing', message: 'more replicas need to be updated' }), 'InProgress', 'Rollout is progressing: more replicas need to be updated'],
    ['Rollout Degraded is Failed', rollout({ observedGeneration: '3', phase: 'Degraded', message: 'ProgressDeadlineExceeded: ReplicaSet "api-7d" has timed out progressing.' }), 'Failed', 'Rollout is degraded: ProgressDeadlineExceeded: ReplicaSet "api-7d" has timed out progressing.'],
    ['Rollout aborted by a failed analysis is Failed', rollout({ observedGeneration: '3', phase: 'Degraded', abort: true, message: 'RolloutAborted: Metric "success-rate" assessed Failed' }), 'Failed', 'Rollout aborted: RolloutAborted: Metric "success-rate" assessed Failed'],
    ['Rollout whose string observedGeneration is older waits', rollout({ observedGeneration: '2', phase: 'Healthy' }), 'InProgress', 'Rollout: the controller has not seen the latest spec yet'],
    ['Canary Succeeded is Current', canary({ phase: 'Succeeded', conditions: [{ type: 'Promoted', status: 'True', reason: 'Succeeded', message: 'Canary analysis completed successfully, promotion finished.' }] }), 'Current', 'Canary succeeded: Canary analysis completed successfully, promotion finished.'],
    ['Canary Initialized is Current', canary({ phase: 'Initialized' }), 'Current', 'Canary initialized'],
    ['Canary Progressing waits', canary({ phase: 'Progressing', canaryWeight: 20 }), 'InProgress', 'Canary is Progressing'],
    ['Canary waiting for approval is not failure', canary({ phase: 'WaitingPromotion' }), 'InProgress', 'Canary is waiting for approval to go on (WaitingPromotion)'],
    ['Canary Failed reports the analysis', canary({ phase: 'Failed', conditions: [{ type: 'Promoted', status: 'False', reason: 'Failed', message: 'Canary analysis failed, Deployment scaled to zero.' }] }), 'Failed', 'Canary analysis failed: Canary analysis failed, Deployment scaled to zero.'],
  ];
  it.each(cases)('%s', (_name, object, status, message) => {
    const result = computeStatus(object, { now: 0 });
    expect(result.status).toBe(status);
    expect(result.message).toBe(message);
  });
});
