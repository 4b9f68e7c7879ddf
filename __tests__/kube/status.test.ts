import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../src/model/objects.js';
import { computeStatus, type HealthStatus } from '../../src/kube/status.js';

const NOW = Date.parse('2026-11-05T12:00:00Z');

interface Case {
  name: string;
  object: KubeObject;
  status: HealthStatus;
  /** A fragment the message must contain. */
  message?: string;
  /** The reason of the Reconciling / Stalled condition, when one is expected. */
  reason?: string;
}

function obj(apiVersion: string, kind: string, rest: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion, kind, metadata: { name: 'x', namespace: 'ns', ...metadata }, ...rest };
}

const cond = (type: string, status: string, reason = '', message = '', extra: Record<string, unknown> = {}) => ({ type, status, reason, message, ...extra });

function runTable(title: string, cases: Case[]): void {
  describe(title, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const result = computeStatus(c.object, { now: NOW });
      expect(result.status).toBe(c.status);
      if (c.message) expect(result.message).toContain(c.message);
      if (c.reason) expect(result.conditions[0]?.reason).toBe(c.reason);
      if (c.status === 'InProgress') expect(result.conditions[0]?.type).toBe('Reconciling');
      if (c.status === 'Failed') expect(result.conditions[0]?.type).toBe('Stalled');
      if (c.status === 'Current') expect(result.conditions).toEqual([]);
    });
  });
}

const deployment = (spec: Record<string, unknown>, status: Record<string, unknown>, generation = 1) =>
  obj('apps/v1', 'Deployment', { spec, status: { observedGeneration: generation, ...status } }, { generation });
const healthyDeploymentStatus = {
  replicas: 3,
  updatedReplicas: 3,
  readyReplicas: 3,
  availableReplicas: 3,
  conditions: [cond('Progressing', 'True', 'NewReplicaSetAvailable'), cond('Available', 'True', 'MinimumReplicasAvailable')],
};

runTable('generic rules', [
  { name: 'deletionTimestamp means Terminating', object: obj('v1', 'ConfigMap', {}, { deletionTimestamp: '2026-11-05T11:00:00Z' }), status: 'Terminating', message: 'scheduled for deletion' },
  { name: 'deletionTimestamp wins over a healthy status', object: { ...deployment({ replicas: 3 }, healthyDeploymentStatus), metadata: { name: 'x', generation: 1, deletionTimestamp: '2026-11-05T11:00:00Z' } }, status: 'Terminating' },
  { name: 'unobserved generation is InProgress', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, observedGeneration: 1 }, 2), status: 'InProgress', reason: 'LatestGenerationNotObserved', message: 'generation is 2, but latest observed generation is 1' },
  { name: 'generation without observedGeneration is not judged generically', object: obj('example.com/v1', 'Widget', { status: {} }, { generation: 4 }), status: 'Current', message: 'Resource is current' },
  { name: 'Reconciling=True is InProgress with its message', object: obj('example.com/v1', 'Widget', { status: { conditions: [cond('Reconciling', 'True', 'Progressing', 'building')] } }), status: 'InProgress', reason: 'Progressing', message: 'building' },
  { name: 'Stalled=True is Failed with its message', object: obj('example.com/v1', 'Widget', { status: { conditions: [cond('Stalled', 'True', 'BadConfig', 'spec.size is invalid')] } }), status: 'Failed', reason: 'BadConfig', message: 'spec.size is invalid' },
  { name: 'Reconciling=False and Stalled=False are ignored', object: obj('example.com/v1', 'Widget', { status: { conditions: [cond('Reconciling', 'False'), cond('Stalled', 'False')] } }), status: 'Current' },
  { name: 'Stalled wins over the kind rule', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, conditions: [cond('Stalled', 'True', 'X', 'stuck')] }), status: 'Failed', message: 'stuck' },
  { name: 'first of Reconciling / Stalled in list order decides', object: obj('example.com/v1', 'Widget', { status: { conditions: [cond('Reconciling', 'True', 'A', 'first'), cond('Stalled', 'True', 'B', 'second')] } }), status: 'InProgress', message: 'first' },
  { name: 'object without status rules is Current', object: obj('rbac.authorization.k8s.io/v1', 'Role'), status: 'Current', message: 'Resource is current' },
  { name: 'a string generation is ignored', object: obj('example.com/v1', 'Widget', { status: { observedGeneration: 1 } }, { generation: '2' }), status: 'Current' },
]);

runTable('custom resources with a Ready condition (Slipway addition)', [
  { name: 'Ready=True is Current', object: obj('example.com/v1', 'Widget', { status: { conditions: [cond('Ready', 'True', 'Succeeded', 'all good')] } }), status: 'Current', message: 'all good' },
  { name: 'Ready=False is InProgress, not Failed', object: obj('example.com/v1', 'Widget', { status: { conditions: [cond('Ready', 'False', 'DependencyNotReady', 'waiting for db')] } }), status: 'InProgress', reason: 'DependencyNotReady', message: 'waiting for db' },
  { name: 'Ready=Unknown is InProgress', object: obj('example.com/v1', 'Widget', { status: { conditions: [cond('Ready', 'Unknown')] } }), status: 'InProgress', reason: 'NotReady', message: 'Ready condition is Unknown' },
  { name: 'Ready for an older generation is stale', object: obj('example.com/v1', 'Widget', { status: { conditions: [cond('Ready', 'True', '', '', { observedGeneration: 1 })] } }, { generation: 2 }), status: 'InProgress', reason: 'ReadyConditionStale' },
  { name: 'Ready for the current generation counts', object: obj('example.com/v1', 'Widget', { status: { conditions: [cond('Ready', 'True', '', '', { observedGeneration: 2 })] } }, { generation: 2 }), status: 'Current' },
  { name: 'built-in kinds ignore Ready (Pod has its own rule)', object: obj('v1', 'Pod', { status: { phase: 'Pending', conditions: [cond('Ready', 'True')] } }), status: 'InProgress', reason: 'PodPending' },
]);

runTable('Deployment', [
  { name: 'healthy', object: deployment({ replicas: 3, progressDeadlineSeconds: 600 }, healthyDeploymentStatus), status: 'Current', message: 'Deployment is available. Replicas: 3' },
  { name: 'ProgressDeadlineExceeded is Failed with the controller message', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, replicas: 3, updatedReplicas: 1, conditions: [cond('Progressing', 'False', 'ProgressDeadlineExceeded', 'ReplicaSet "web-5d" has timed out progressing.')] }), status: 'Failed', reason: 'ProgressDeadlineExceeded', message: 'has timed out progressing' },
  { name: 'too few replicas', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, replicas: 1 }), status: 'InProgress', reason: 'LessReplicas', message: 'Replicas: 1/3' },
  { name: 'spec.replicas defaults to 1', object: deployment({}, { ...healthyDeploymentStatus, replicas: 0 }), status: 'InProgress', message: 'Replicas: 0/1' },
  { name: 'too few updated', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, updatedReplicas: 2 }), status: 'InProgress', reason: 'LessUpdated', message: 'Updated: 2/3' },
  { name: 'old pods pending termination', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, replicas: 4 }), status: 'InProgress', reason: 'ExtraPods', message: 'Pending termination: 1' },
  { name: 'updated but not available', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, availableReplicas: 1 }), status: 'InProgress', reason: 'LessAvailable', message: 'Available: 1/3' },
  { name: 'available but not ready', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, readyReplicas: 2 }), status: 'InProgress', reason: 'LessReady', message: 'Ready: 2/3' },
  { name: 'progress deadline set and Progressing not yet NewReplicaSetAvailable', object: deployment({ replicas: 3, progressDeadlineSeconds: 600 }, { ...healthyDeploymentStatus, conditions: [cond('Progressing', 'True', 'ReplicaSetUpdated'), cond('Available', 'True')] }), status: 'InProgress', reason: 'ReplicaSetNotAvailable' },
  { name: 'without progress deadline Progressing is not needed', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, conditions: [cond('Available', 'True')] }), status: 'Current' },
  { name: 'progressDeadlineSeconds MaxInt32 means no deadline', object: deployment({ replicas: 3, progressDeadlineSeconds: 2147483647 }, { ...healthyDeploymentStatus, conditions: [cond('Available', 'True')] }), status: 'Current' },
  { name: 'not Available', object: deployment({ replicas: 3 }, { ...healthyDeploymentStatus, conditions: [cond('Progressing', 'True', 'NewReplicaSetAvailable'), cond('Available', 'False', 'MinimumReplicasUnavailable')] }), status: 'InProgress', reason: 'DeploymentNotAvailable' },
  { name: 'zero replicas with empty status (counts absent)', object: deployment({ replicas: 0 }, { conditions: [cond('Available', 'True')] }), status: 'Current' },
  { name: 'no status at all', object: obj('apps/v1', 'Deployment', { spec: { replicas: 2 } }, { generation: 1 }), status: 'InProgress', reason: 'LessReplicas' },
  { name: 'extensions group is covered too', object: { ...deployment({ replicas: 3 }, healthyDeploymentStatus), apiVersion: 'extensions/v1beta1' }, status: 'Current' },
]);

const sts = (spec: Record<string, unknown>, status: Record<string, unknown>) =>
  obj('apps/v1', 'StatefulSet', { spec, status: { observedGeneration: 1, ...status } }, { generation: 1 });
const healthySts = { replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, currentRevision: 'web-1', updateRevision: 'web-1' };

runTable('StatefulSet', [
  { name: 'healthy', object: sts({ replicas: 3 }, healthySts), status: 'Current', message: 'Replicas: 3' },
  { name: 'OnDelete is always Current', object: sts({ replicas: 3, updateStrategy: { type: 'OnDelete' } }, { replicas: 0 }), status: 'Current', message: 'ondelete' },
  { name: 'too few replicas', object: sts({ replicas: 3 }, { ...healthySts, replicas: 2 }), status: 'InProgress', reason: 'LessReplicas', message: 'Replicas: 2/3' },
  { name: 'too few ready', object: sts({ replicas: 3 }, { ...healthySts, readyReplicas: 1 }), status: 'InProgress', reason: 'LessReady', message: 'Ready: 1/3' },
  { name: 'extra pods', object: sts({ replicas: 3 }, { ...healthySts, replicas: 5, readyReplicas: 5 }), status: 'InProgress', reason: 'ExtraPods', message: 'Pending termination: 2' },
  { name: 'partition rollout in progress', object: sts({ replicas: 5, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }, { ...healthySts, replicas: 5, readyReplicas: 5, updatedReplicas: 2, currentRevision: 'a', updateRevision: 'b' }), status: 'InProgress', reason: 'PartitionRollout', message: 'updated: 2/3' },
  { name: 'partition rollout complete despite revision mismatch', object: sts({ replicas: 5, updateStrategy: { rollingUpdate: { partition: 2 } } }, { ...healthySts, replicas: 5, readyReplicas: 5, updatedReplicas: 3, currentRevision: 'a', updateRevision: 'b' }), status: 'Current', message: 'Partition rollout complete. updated: 3' },
  { name: 'too few current', object: sts({ replicas: 3 }, { ...healthySts, currentReplicas: 2 }), status: 'InProgress', reason: 'LessCurrent', message: 'current: 2/3' },
  { name: 'revision mismatch', object: sts({ replicas: 3 }, { ...healthySts, updateRevision: 'web-2' }), status: 'InProgress', reason: 'RevisionMismatch' },
  { name: 'spec.replicas defaults to 1', object: sts({}, { replicas: 1, readyReplicas: 1, currentReplicas: 1 }), status: 'Current' },
]);

const ds = (status: Record<string, unknown> | undefined, generation: number | null = 1) =>
  obj('apps/v1', 'DaemonSet', status ? { status } : {}, generation === null ? {} : { generation });
const healthyDs = { observedGeneration: 1, desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 4, numberReady: 4 };

runTable('DaemonSet', [
  { name: 'healthy', object: ds(healthyDs), status: 'Current', message: 'Replicas: 4' },
  { name: 'no metadata.generation', object: ds(healthyDs, null), status: 'InProgress', reason: 'NoGeneration' },
  { name: 'no status.observedGeneration', object: ds({ ...healthyDs, observedGeneration: undefined }), status: 'InProgress', reason: 'NoObservedGeneration' },
  { name: 'no desiredNumberScheduled', object: ds({ observedGeneration: 1 }), status: 'InProgress', reason: 'NoDesiredNumber' },
  { name: 'too few scheduled', object: ds({ ...healthyDs, currentNumberScheduled: 3 }), status: 'InProgress', reason: 'LessCurrent', message: 'Current: 3/4' },
  { name: 'too few updated', object: ds({ ...healthyDs, updatedNumberScheduled: 1 }), status: 'InProgress', reason: 'LessUpdated', message: 'Updated: 1/4' },
  { name: 'too few available', object: ds({ ...healthyDs, numberAvailable: 2 }), status: 'InProgress', reason: 'LessAvailable', message: 'Available: 2/4' },
  { name: 'too few ready', object: ds({ ...healthyDs, numberReady: 0 }), status: 'InProgress', reason: 'LessReady', message: 'Ready: 0/4' },
  { name: 'zero desired (no matching nodes) is Current', object: ds({ observedGeneration: 1, desiredNumberScheduled: 0 }), status: 'Current' },
]);

const rs = (spec: Record<string, unknown>, status: Record<string, unknown>) => obj('apps/v1', 'ReplicaSet', { spec, status });
const healthyRs = { replicas: 2, readyReplicas: 2, availableReplicas: 2, fullyLabeledReplicas: 2 };

runTable('ReplicaSet', [
  { name: 'healthy', object: rs({ replicas: 2 }, healthyRs), status: 'Current', message: 'ReplicaSet is available. Replicas: 2' },
  { name: 'ReplicaFailure stays InProgress', object: rs({ replicas: 2 }, { ...healthyRs, conditions: [cond('ReplicaFailure', 'True', 'FailedCreate', 'quota exceeded')] }), status: 'InProgress', reason: 'ReplicaFailure' },
  { name: 'too few labelled', object: rs({ replicas: 2 }, { ...healthyRs, fullyLabeledReplicas: 1 }), status: 'InProgress', reason: 'LessLabelled', message: 'Labelled: 1/2' },
  { name: 'too few available', object: rs({ replicas: 2 }, { ...healthyRs, availableReplicas: 1 }), status: 'InProgress', reason: 'LessAvailable' },
  { name: 'too few ready', object: rs({ replicas: 2 }, { ...healthyRs, readyReplicas: 1 }), status: 'InProgress', reason: 'LessReady' },
  { name: 'extra pods', object: rs({ replicas: 2 }, { ...healthyRs, replicas: 3 }), status: 'InProgress', reason: 'ExtraPods' },
]);

const job = (spec: Record<string, unknown>, status: Record<string, unknown>) => obj('batch/v1', 'Job', { spec, status });

runTable('Job and CronJob', [
  { name: 'Complete=True', object: job({ completions: 2 }, { succeeded: 2, conditions: [cond('Complete', 'True')] }), status: 'Current', message: 'succeeded: 2/2' },
  { name: 'Failed=True is Failed with its reason', object: job({}, { failed: 6, conditions: [cond('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] }), status: 'Failed', reason: 'JobFailed', message: 'BackoffLimitExceeded' },
  { name: 'Suspended=True is Current', object: job({}, { conditions: [cond('Suspended', 'True')] }), status: 'Current', message: 'suspended' },
  { name: 'not started', object: job({}, {}), status: 'InProgress', reason: 'JobNotStarted' },
  { name: 'running counts as Current', object: job({ parallelism: 2 }, { startTime: '2026-11-05T11:59:00Z', active: 2 }), status: 'Current', message: 'active: 2' },
  { name: 'conditions that are False are ignored', object: job({}, { conditions: [cond('Failed', 'False'), cond('Complete', 'False')] }), status: 'InProgress', reason: 'JobNotStarted' },
  { name: 'completions default to parallelism', object: job({ parallelism: 3 }, { succeeded: 3, conditions: [cond('Complete', 'True')] }), status: 'Current', message: '3/3' },
  { name: 'CronJob is always Current', object: obj('batch/v1', 'CronJob', { status: {} }), status: 'Current' },
]);

const pod = (status: Record<string, unknown>, metadata: Record<string, unknown> = {}) => obj('v1', 'Pod', { status }, metadata);

runTable('Pod', [
  { name: 'Succeeded', object: pod({ phase: 'Succeeded' }), status: 'Current', message: 'completed successfully' },
  { name: 'Failed phase is settled (Current)', object: pod({ phase: 'Failed' }), status: 'Current', message: 'not successfully' },
  { name: 'Running and Ready', object: pod({ phase: 'Running', conditions: [cond('Ready', 'True')] }), status: 'Current', message: 'Pod is Ready' },
  { name: 'Running, not Ready', object: pod({ phase: 'Running', conditions: [cond('Ready', 'False')] }), status: 'InProgress', reason: 'PodRunningNotReady' },
  { name: 'Running with a crash-looping container', object: pod({ phase: 'Running', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } } }, { name: 'side', state: { running: {} } }, { name: 'db', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }), status: 'Failed', reason: 'ContainerCrashLooping', message: 'app,db' },
  { name: 'other waiting reasons are InProgress', object: pod({ phase: 'Running', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] }), status: 'InProgress', reason: 'PodRunningNotReady' },
  { name: 'Ready wins over a crash loop', object: pod({ phase: 'Running', conditions: [cond('Ready', 'True')], containerStatuses: [{ name: 'app', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }), status: 'Current' },
  { name: 'Pending', object: pod({ phase: 'Pending' }), status: 'InProgress', reason: 'PodPending' },
  { name: 'Unschedulable for long is Failed', object: pod({ phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable', '0/3 nodes are available')] }, { creationTimestamp: '2026-11-05T11:00:00Z' }), status: 'Failed', reason: 'PodUnschedulable', message: '0/3 nodes' },
  { name: 'Unschedulable within 15 s is InProgress', object: pod({ phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable')] }, { creationTimestamp: '2026-11-05T11:59:50Z' }), status: 'InProgress', reason: 'PodNotScheduled' },
  { name: 'PodScheduled=False for another reason is pending', object: pod({ phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'SchedulerError')] }), status: 'InProgress', reason: 'PodPending' },
  { name: 'no phase yet', object: pod({}), status: 'InProgress', reason: 'PodNotObserved' },
  { name: 'unknown phase is Unknown', object: pod({ phase: 'Weird' }), status: 'Unknown', message: 'Weird' },
]);

runTable('PersistentVolumeClaim, Service, PodDisruptionBudget, Namespace, Secret, ConfigMap', [
  { name: 'PVC Bound', object: obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Bound' } }), status: 'Current' },
  { name: 'PVC Pending', object: obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Pending' } }), status: 'InProgress', reason: 'NotBound', message: 'phase: Pending' },
  { name: 'PVC without status', object: obj('v1', 'PersistentVolumeClaim'), status: 'InProgress', message: 'phase: unknown' },
  { name: 'ClusterIP Service', object: obj('v1', 'Service', { spec: { type: 'ClusterIP', clusterIP: '10.0.0.1' } }), status: 'Current' },
  { name: 'Service type defaults to ClusterIP', object: obj('v1', 'Service', { spec: {} }), status: 'Current' },
  { name: 'LoadBalancer without clusterIP', object: obj('v1', 'Service', { spec: { type: 'LoadBalancer' } }), status: 'InProgress', reason: 'NoIPAssigned' },
  { name: 'LoadBalancer with clusterIP (ingress not required, as kstatus)', object: obj('v1', 'Service', { spec: { type: 'LoadBalancer', clusterIP: '10.0.0.2' } }), status: 'Current' },
  { name: 'PDB observed is Current', object: obj('policy/v1', 'PodDisruptionBudget', { status: { observedGeneration: 1, currentHealthy: 0, desiredHealthy: 2 } }, { generation: 1 }), status: 'Current' },
  { name: 'PDB not yet observed', object: obj('policy/v1', 'PodDisruptionBudget', { status: { observedGeneration: 1 } }, { generation: 2 }), status: 'InProgress', reason: 'LatestGenerationNotObserved' },
  { name: 'Namespace Active', object: obj('v1', 'Namespace', { status: { phase: 'Active' } }), status: 'Current', message: 'Active' },
  { name: 'Namespace phase Terminating', object: obj('v1', 'Namespace', { status: { phase: 'Terminating' } }), status: 'Terminating' },
  { name: 'Namespace without status', object: obj('v1', 'Namespace'), status: 'Current' },
  { name: 'Secret', object: obj('v1', 'Secret', { data: {} }), status: 'Current', message: 'always ready' },
  { name: 'ConfigMap', object: obj('v1', 'ConfigMap', { data: {} }), status: 'Current', message: 'always ready' },
  { name: 'a kind named like a built-in in another group gets no built-in rule', object: obj('example.com/v1', 'Deployment', { status: {} }), status: 'Current', message: 'Resource is current' },
]);

const crd = (conditions: unknown[]) => obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', { status: { conditions } });

runTable('CustomResourceDefinition', [
  { name: 'Established', object: crd([cond('NamesAccepted', 'True'), cond('Established', 'True')]), status: 'Current', message: 'established' },
  { name: 'NamesAccepted=False is Failed', object: crd([cond('NamesAccepted', 'False', 'MultipleNamesNotAllowed', '"widgets" is already in use')]), status: 'Failed', reason: 'MultipleNamesNotAllowed', message: 'already in use' },
  { name: 'Established=False Installing is InProgress', object: crd([cond('Established', 'False', 'Installing')]), status: 'InProgress', reason: 'Installing' },
  { name: 'Established=False for another reason is Failed', object: crd([cond('Established', 'False', 'NotAccepted', 'not all names are accepted')]), status: 'Failed', reason: 'NotAccepted' },
  { name: 'no conditions yet', object: crd([]), status: 'InProgress', reason: 'Installing' },
]);

describe('computeStatus', () => {
  it('uses the system clock when none is given', () => {
    const old = pod({ phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable')] }, { creationTimestamp: '2000-01-01T00:00:00Z' });
    expect(computeStatus(old).status).toBe('Failed');
  });

  it('tolerates malformed status fields', () => {
    const weird = obj('apps/v1', 'Deployment', { spec: { replicas: 'three' }, status: { replicas: 1.5, conditions: 'none' } });
    expect(computeStatus(weird).status).toBe('InProgress');
  });
});
