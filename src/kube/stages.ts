/**
 * Apply order, as Flux's ssa package stages it: definitions others depend on first (CRDs,
 * Namespaces, cluster roles, classes), then everything else, admission webhooks last (so a
 * webhook whose backend is being deployed in this run cannot block that deployment).
 * Prune walks the same stages backwards.
 */

import { helmHookWeight } from '../model/helm-hooks.js';
import type { KubeObject, ObjectRef } from '../model/objects.js';

export type Stage = 'definitions' | 'resources' | 'webhooks';
export const STAGES: readonly Stage[] = ['definitions', 'resources', 'webhooks'];

const DEFINITION_KINDS = new Set([
  'CustomResourceDefinition',
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'GatewayClass',
  'VolumeSnapshotClass',
]);

const WEBHOOK_KINDS = new Set([
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
]);

export function stageOf(kind: string): Stage {
  if (DEFINITION_KINDS.has(kind)) return 'definitions';
  if (WEBHOOK_KINDS.has(kind)) return 'webhooks';
  return 'resources';
}

/** Within a stage, things referenced come before things referencing them (Helm's install order, abridged). */
const KIND_ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'IngressClass',
  'RuntimeClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'ResourceQuota',
  'LimitRange',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'Ingress',
];

function kindRank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index < 0 ? KIND_ORDER.length : index;
}

/** Deterministic order: stage, kind rank, kind, namespace, name. */
export function compareForApply(a: ObjectRef, b: ObjectRef): number {
  return (
    STAGES.indexOf(stageOf(a.kind)) - STAGES.indexOf(stageOf(b.kind)) ||
    kindRank(a.kind) - kindRank(b.kind) ||
    a.kind.localeCompare(b.kind) ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name)
  );
}

/** Groups items by stage in apply order (empty stages omitted), each stage sorted. */
export function groupByStage<T>(items: readonly T[], refOf: (item: T) => ObjectRef): { stage: Stage; items: T[] }[] {
  const sorted = [...items].sort((a, b) => compareForApply(refOf(a), refOf(b)));
  return STAGES.map((stage) => ({ stage, items: sorted.filter((item) => stageOf(refOf(item).kind) === stage) })).filter(
    (group) => group.items.length > 0,
  );
}

/**
 * Splits one stage's items into waves applied one after the other: the objects that are no Helm
 * hook first, then the hooks, one wave per `helm.sh/hook-weight`, lowest first (Helm's order).
 * Items keep their order within a wave.
 */
export function hookWaves<T>(items: readonly T[], objectOf: (item: T) => KubeObject | undefined): T[][] {
  const plain: T[] = [];
  const byWeight = new Map<number, T[]>();
  for (const item of items) {
    const weight = helmHookWeight(objectOf(item));
    if (weight === undefined) plain.push(item);
    else byWeight.set(weight, [...(byWeight.get(weight) ?? []), item]);
  }
  const hooks = [...byWeight.entries()].sort(([a], [b]) => a - b).map(([, wave]) => wave);
  return [plain, ...hooks].filter((wave) => wave.length > 0);
}
