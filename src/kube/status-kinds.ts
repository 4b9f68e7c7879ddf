/**
 * Status rules for built-in kinds whose controllers do not write kstatus's standard
 * conditions. Each rule follows kstatus's `legacyTypes` (core.go) branch for branch, so an
 * object is Current here exactly when kstatus would call it Current. Rules run only after the
 * generic checks (deletion, observed generation, Reconciling/Stalled) found nothing.
 */

import type { KubeObject } from '../model/objects.js';
import { arrayField, conditionsOf, findCondition, intField, optionalInt, stringField } from './status-fields.js';
import { current, failed, inProgress, type StatusResult } from './status-result.js';
import { isPlainObject } from '../model/objects.js';
import { argoRollout, flaggerCanary } from './status-progressive.js';

export interface RuleContext {
  /** Milliseconds since the epoch; the Pod rule needs it for the scheduling grace window. */
  now: number;
}

export type KindRule = (object: KubeObject, context: RuleContext) => StatusResult;

/** How long a Pod may stay unschedulable before it counts as Failed (kstatus's ScheduleWindow). */
export const SCHEDULE_WINDOW_MS = 15_000;

/** The controller treats a missing `progressDeadlineSeconds` as "never", stored as MaxInt32. */
const MAX_INT32 = 2_147_483_647;

const alwaysReady: KindRule = () => current('Resource is always ready');

const statefulSet: KindRule = (object) => {
  // OnDelete: pods are replaced only when a person deletes them, so nothing can be waited for.
  if (stringField(object, ['spec', 'updateStrategy', 'type'], '') === 'OnDelete') {
    return current('StatefulSet is using the ondelete update strategy');
  }
  const spec = intField(object, ['spec', 'replicas'], 1);
  const ready = intField(object, ['status', 'readyReplicas'], 0);
  const currentReplicas = intField(object, ['status', 'currentReplicas'], 0);
  const updated = intField(object, ['status', 'updatedReplicas'], 0);
  const replicas = intField(object, ['status', 'replicas'], 0);
  const partition = intField(object, ['spec', 'updateStrategy', 'rollingUpdate', 'partition'], -1);

  if (spec > replicas) return inProgress('LessReplicas', `Replicas: ${replicas}/${spec}`);
  if (spec > ready) return inProgress('LessReady', `Ready: ${ready}/${spec}`);
  if (replicas > spec) return inProgress('ExtraPods', `Pending termination: ${replicas - spec}`);
  // With a partition only the ordinals at or above it are updated; the rest stay on the old revision on purpose.
  if (partition !== -1) {
    if (updated < spec - partition) return inProgress('PartitionRollout', `updated: ${updated}/${spec - partition}`);
    return current(`Partition rollout complete. updated: ${updated}`);
  }
  if (spec > currentReplicas) return inProgress('LessCurrent', `current: ${currentReplicas}/${spec}`);
  if (stringField(object, ['status', 'currentRevision'], '') !== stringField(object, ['status', 'updateRevision'], '')) {
    return inProgress('RevisionMismatch', 'Waiting for updated revision to match current');
  }
  return current(`All replicas scheduled as expected. Replicas: ${replicas}`);
};

const deployment: KindRule = (object) => {
  // Without a progress deadline the controller never sets Progressing, so it cannot be waited for.
  let progressing = intField(object, ['spec', 'progressDeadlineSeconds'], MAX_INT32) === MAX_INT32;
  let available = false;
  for (const c of conditionsOf(object)) {
    if (c.type === 'Progressing') {
      if (c.reason === 'ProgressDeadlineExceeded') {
        return {
          status: 'Failed',
          message: c.message ? `Progress deadline exceeded: ${c.message}` : 'Progress deadline exceeded',
          conditions: [{ type: 'Stalled', status: 'True', reason: c.reason, message: c.message }],
        };
      }
      if (c.status === 'True' && c.reason === 'NewReplicaSetAvailable') progressing = true;
    } else if (c.type === 'Available' && c.status === 'True') {
      available = true;
    }
  }
  const spec = intField(object, ['spec', 'replicas'], 1);
  const replicas = intField(object, ['status', 'replicas'], 0);
  const updated = intField(object, ['status', 'updatedReplicas'], 0);
  const ready = intField(object, ['status', 'readyReplicas'], 0);
  const availableReplicas = intField(object, ['status', 'availableReplicas'], 0);

  if (spec > replicas) return inProgress('LessReplicas', `Replicas: ${replicas}/${spec}`);
  if (spec > updated) return inProgress('LessUpdated', `Updated: ${updated}/${spec}`);
  if (replicas > spec) return inProgress('ExtraPods', `Pending termination: ${replicas - spec}`);
  if (updated > availableReplicas) return inProgress('LessAvailable', `Available: ${availableReplicas}/${updated}`);
  if (spec > ready) return inProgress('LessReady', `Ready: ${ready}/${spec}`);
  if (!progressing) return inProgress('ReplicaSetNotAvailable', 'ReplicaSet not Available');
  if (!available) return inProgress('DeploymentNotAvailable', 'Deployment not Available');
  return current(`Deployment is available. Replicas: ${replicas}`);
};

const replicaSet: KindRule = (object) => {
  // ReplicaFailure (quota, admission) may clear on its own, so kstatus keeps it InProgress rather than Failed.
  if (findCondition(conditionsOf(object), 'ReplicaFailure', 'True')) {
    return inProgress('ReplicaFailure', 'Replica Failure condition. Check Pods');
  }
  const spec = intField(object, ['spec', 'replicas'], 1);
  const replicas = intField(object, ['status', 'replicas'], 0);
  const ready = intField(object, ['status', 'readyReplicas'], 0);
  const availableReplicas = intField(object, ['status', 'availableReplicas'], 0);
  const labelled = intField(object, ['status', 'fullyLabeledReplicas'], 0);

  if (spec > labelled) return inProgress('LessLabelled', `Labelled: ${labelled}/${spec}`);
  if (spec > availableReplicas) return inProgress('LessAvailable', `Available: ${availableReplicas}/${spec}`);
  if (spec > ready) return inProgress('LessReady', `Ready: ${ready}/${spec}`);
  if (replicas > spec) return inProgress('ExtraPods', `Pending termination: ${replicas - spec}`);
  return current(`ReplicaSet is available. Replicas: ${replicas}`);
};

const daemonSet: KindRule = (object) => {
  // The generic check skips objects without generation fields; a DaemonSet the controller has
  // seen always has both, so their absence means it has not been looked at yet.
  if (optionalInt(object, ['metadata', 'generation']) === undefined) {
    const message = `${object.kind} metadata.generation not found`;
    return inProgress('NoGeneration', message);
  }
  if (optionalInt(object, ['status', 'observedGeneration']) === undefined) {
    const message = `${object.kind} status.observedGeneration not found`;
    return inProgress('NoObservedGeneration', message);
  }
  const desired = intField(object, ['status', 'desiredNumberScheduled'], -1);
  const scheduled = intField(object, ['status', 'currentNumberScheduled'], 0);
  const updated = intField(object, ['status', 'updatedNumberScheduled'], 0);
  const availableNumber = intField(object, ['status', 'numberAvailable'], 0);
  const ready = intField(object, ['status', 'numberReady'], 0);

  if (desired === -1) return inProgress('NoDesiredNumber', 'Missing .status.desiredNumberScheduled');
  if (desired > scheduled) return inProgress('LessCurrent', `Current: ${scheduled}/${desired}`);
  if (desired > updated) return inProgress('LessUpdated', `Updated: ${updated}/${desired}`);
  if (desired > availableNumber) return inProgress('LessAvailable', `Available: ${availableNumber}/${desired}`);
  if (desired > ready) return inProgress('LessReady', `Ready: ${ready}/${desired}`);
  return current(`All replicas scheduled as expected. Replicas: ${desired}`);
};

const persistentVolumeClaim: KindRule = (object) => {
  const phase = stringField(object, ['status', 'phase'], 'unknown');
  if (phase !== 'Bound') return inProgress('NotBound', `PVC is not Bound. phase: ${phase}`);
  return current('PVC is Bound');
};

/** Names of containers waiting in CrashLoopBackOff (init containers crash while the Pod is still Pending). */
function crashLoopingContainers(object: KubeObject): string[] {
  return arrayField(object, ['status', 'containerStatuses'])
    .filter(isPlainObject)
    .filter((s) => stringField(s, ['state', 'waiting', 'reason'], '') === 'CrashLoopBackOff')
    .map((s) => stringField(s, ['name'], '?'));
}

const pod: KindRule = (object, { now }) => {
  const conditions = conditionsOf(object);
  const phase = stringField(object, ['status', 'phase'], '');
  switch (phase) {
    // A finished Pod is settled, whichever way it ended; its owner (a Job) judges success.
    case 'Succeeded':
      return current('Pod has completed successfully');
    case 'Failed':
      return current('Pod has completed, but not successfully');
    case 'Running': {
      if (findCondition(conditions, 'Ready', 'True')) return current('Pod is Ready');
      const looping = crashLoopingContainers(object);
      if (looping.length > 0) return failed('ContainerCrashLooping', `Containers in CrashLoop state: ${looping.join(',')}`);
      return inProgress('PodRunningNotReady', 'Pod is running but is not Ready');
    }
    case 'Pending': {
      const scheduled = findCondition(conditions, 'PodScheduled', 'False');
      if (scheduled?.reason === 'Unschedulable') {
        // A new Pod is briefly unschedulable while the autoscaler or a preemption makes room.
        const created = Date.parse(stringField(object, ['metadata', 'creationTimestamp'], ''));
        if (!Number.isNaN(created) && now - SCHEDULE_WINDOW_MS < created) {
          return inProgress('PodNotScheduled', 'Pod has not been scheduled');
        }
        const detail = scheduled.message ? `: ${scheduled.message}` : '';
        return failed('PodUnschedulable', `Pod could not be scheduled${detail}`);
      }
      return inProgress('PodPending', 'Pod is in the Pending phase');
    }
    case '':
      return inProgress('PodNotObserved', 'Pod phase not available');
    default:
      // kstatus returns an error here; an unknown phase is reported rather than guessed at.
      return { status: 'Unknown', message: `Pod has an unknown phase "${phase}"`, conditions: [] };
  }
};

/** kstatus counts a PDB Current once its generation is observed (checked generically before this rule). */
const podDisruptionBudget: KindRule = () => current('AllowedDisruptions has been computed.');

const job: KindRule = (object) => {
  const parallelism = intField(object, ['spec', 'parallelism'], 1);
  const completions = intField(object, ['spec', 'completions'], parallelism);
  const succeeded = intField(object, ['status', 'succeeded'], 0);
  const active = intField(object, ['status', 'active'], 0);
  const failedCount = intField(object, ['status', 'failed'], 0);
  for (const c of conditionsOf(object)) {
    if (c.status !== 'True') continue;
    if (c.type === 'Complete') return current(`Job Completed. succeeded: ${succeeded}/${completions}`);
    if (c.type === 'Failed') {
      const detail = c.message ? ` (${c.reason}: ${c.message})` : c.reason ? ` (${c.reason})` : '';
      return failed('JobFailed', `Job Failed. failed: ${failedCount}/${completions}${detail}`);
    }
    // A suspended Job will not run until resumed, so waiting on it would never end.
    if (c.type === 'Suspended') return current('Job is suspended');
  }
  if (stringField(object, ['status', 'startTime'], '') === '') return inProgress('JobNotStarted', 'Job not started');
  // kstatus counts a started Job as Current: waiting for completion is the caller's choice, not health.
  return current(`Job in progress. success:${succeeded}, active: ${active}, failed: ${failedCount}`);
};

const service: KindRule = (object) => {
  // kstatus waits only for the cluster IP, not for a load balancer's ingress: clusters without
  // a load-balancer controller (kind, bare metal) would otherwise never become healthy.
  const type = stringField(object, ['spec', 'type'], 'ClusterIP');
  if (type === 'LoadBalancer' && stringField(object, ['spec', 'clusterIP'], '') === '') {
    return inProgress('NoIPAssigned', 'ClusterIP not set. Service type: LoadBalancer');
  }
  return current('Service is ready');
};

const customResourceDefinition: KindRule = (object) => {
  for (const c of conditionsOf(object)) {
    if (c.type === 'NamesAccepted' && c.status === 'False') return failed(c.reason, c.message || 'CRD names were not accepted');
    if (c.type === 'Established') {
      if (c.status === 'False' && c.reason !== 'Installing') return failed(c.reason, c.message || 'CRD is not established');
      if (c.status === 'True') return current('CRD is established');
    }
  }
  return inProgress('Installing', 'Install in progress');
};

/**
 * Not in kstatus: a Namespace being emptied shows phase Terminating (normally alongside a
 * deletionTimestamp, which the generic check catches first).
 */
const namespace: KindRule = (object) => {
  const phase = stringField(object, ['status', 'phase'], '');
  if (phase === 'Terminating') return { status: 'Terminating', message: 'Namespace is terminating', conditions: [] };
  return current(phase ? `Namespace is ${phase}` : 'Namespace is current');
};

/** Keyed like kstatus: `group/Kind`, or `Kind` for the core group. */
export const KIND_RULES: ReadonlyMap<string, KindRule> = new Map<string, KindRule>([
  ['Service', service],
  ['Pod', pod],
  ['Secret', alwaysReady],
  ['ConfigMap', alwaysReady],
  ['PersistentVolumeClaim', persistentVolumeClaim],
  ['Namespace', namespace],
  ['apps/StatefulSet', statefulSet],
  ['apps/DaemonSet', daemonSet],
  ['extensions/DaemonSet', daemonSet],
  ['apps/Deployment', deployment],
  ['extensions/Deployment', deployment],
  ['apps/ReplicaSet', replicaSet],
  ['extensions/ReplicaSet', replicaSet],
  ['policy/PodDisruptionBudget', podDisruptionBudget],
  ['batch/CronJob', alwaysReady],
  ['batch/Job', job],
  ['apiextensions.k8s.io/CustomResourceDefinition', customResourceDefinition],
  ['argoproj.io/Rollout', argoRollout],
  ['flagger.app/Canary', flaggerCanary],
]);
