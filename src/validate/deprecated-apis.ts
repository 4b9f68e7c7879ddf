/**
 * API versions Kubernetes deprecated or removed, after the upstream "Deprecated API Migration
 * Guide" (kubernetes.io/docs/reference/using-api/deprecation-guide/). An entry names the first
 * release that no longer serves the version (`removedIn`), the release that deprecated it, and
 * what to use instead.
 */
import { compareKubeVersions, formatKubeVersion, parseKubeVersion, type KubeVersion } from './kube-version.js';

export interface DeprecatedApi {
  apiVersion: string;
  kinds: readonly string[];
  deprecatedIn: string;
  /** First release that stops serving it; absent while it is still served. */
  removedIn?: string;
  /** apiVersion to migrate to, or a sentence when there is no drop-in replacement. */
  replacement: string;
  /** Release from which the replacement is available, when later than 1.16. */
  replacementSince?: string;
}

const WORKLOADS = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet', 'ControllerRevision'];
const RBAC = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'];
const FLOW = ['FlowSchema', 'PriorityLevelConfiguration'];
const WEBHOOKS = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

export const DEPRECATED_APIS: readonly DeprecatedApi[] = [
  // Removed in 1.16
  { apiVersion: 'extensions/v1beta1', kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'], deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta1', kinds: WORKLOADS, deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: WORKLOADS, deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], deprecatedIn: '1.9', removedIn: '1.16', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], deprecatedIn: '1.11', removedIn: '1.16', replacement: 'Pod Security Admission (PodSecurityPolicy was removed entirely in 1.25)' },
  // Removed in 1.22
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], deprecatedIn: '1.14', removedIn: '1.22', replacement: 'networking.k8s.io/v1', replacementSince: '1.19' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'networking.k8s.io/v1', replacementSince: '1.19' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: WEBHOOKS, deprecatedIn: '1.16', removedIn: '1.22', replacement: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: ['CustomResourceDefinition'], deprecatedIn: '1.16', removedIn: '1.22', replacement: 'apiextensions.k8s.io/v1' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: ['APIService'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['TokenReview'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'authentication.k8s.io/v1' },
  { apiVersion: 'authorization.k8s.io/v1beta1', kinds: ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'authorization.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'certificates.k8s.io/v1', replacementSince: '1.19' },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'coordination.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: RBAC, deprecatedIn: '1.17', removedIn: '1.22', replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], deprecatedIn: '1.14', removedIn: '1.22', replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'storage.k8s.io/v1' },
  // Removed in 1.25
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'batch/v1', replacementSince: '1.21' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'discovery.k8s.io/v1', replacementSince: '1.21' },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], deprecatedIn: '1.19', removedIn: '1.25', replacement: 'events.k8s.io/v1', replacementSince: '1.19' },
  { apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], deprecatedIn: '1.23', removedIn: '1.25', replacement: 'autoscaling/v2', replacementSince: '1.23' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'policy/v1', replacementSince: '1.21' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'nothing: PodSecurityPolicy is gone; use Pod Security Admission (namespace labels pod-security.kubernetes.io/*) or a policy engine' },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], deprecatedIn: '1.20', removedIn: '1.25', replacement: 'node.k8s.io/v1', replacementSince: '1.20' },
  // Removed in 1.26
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: FLOW, deprecatedIn: '1.23', removedIn: '1.26', replacement: 'flowcontrol.apiserver.k8s.io/v1', replacementSince: '1.29' },
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], deprecatedIn: '1.23', removedIn: '1.26', replacement: 'autoscaling/v2', replacementSince: '1.23' },
  // Removed in 1.27
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], deprecatedIn: '1.24', removedIn: '1.27', replacement: 'storage.k8s.io/v1', replacementSince: '1.24' },
  // Removed in 1.29
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: FLOW, deprecatedIn: '1.26', removedIn: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1', replacementSince: '1.29' },
  // Removed in 1.32
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: FLOW, deprecatedIn: '1.29', removedIn: '1.32', replacement: 'flowcontrol.apiserver.k8s.io/v1', replacementSince: '1.29' },
  // Deprecated, still served
  { apiVersion: 'v1', kinds: ['Endpoints'], deprecatedIn: '1.33', replacement: 'discovery.k8s.io/v1 EndpointSlice', replacementSince: '1.21' },
  { apiVersion: 'v1', kinds: ['ComponentStatus'], deprecatedIn: '1.19', replacement: 'the API server /livez and /readyz endpoints' },
];

const index = new Map<string, DeprecatedApi>();
for (const entry of DEPRECATED_APIS) for (const kind of entry.kinds) index.set(`${entry.apiVersion}|${kind}`, entry);

export function lookupDeprecatedApi(apiVersion: string, kind: string): DeprecatedApi | undefined {
  return index.get(`${apiVersion}|${kind}`);
}

export type DeprecationStatus =
  | { status: 'removed'; entry: DeprecatedApi; message: string }
  | { status: 'deprecated'; entry: DeprecatedApi; message: string };

/**
 * What the target release makes of `apiVersion`/`kind`: removed (not served: an error),
 * deprecated (still served: a warning), or undefined when neither.
 */
export function deprecationStatus(apiVersion: string, kind: string, target: KubeVersion): DeprecationStatus | undefined {
  const entry = lookupDeprecatedApi(apiVersion, kind);
  if (!entry) return undefined;
  const removed = entry.removedIn ? parseKubeVersion(entry.removedIn) : undefined;
  const deprecated = parseKubeVersion(entry.deprecatedIn)!;
  const instead = insteadClause(entry, target);
  const version = formatKubeVersion(target);
  if (removed && compareKubeVersions(target, removed) >= 0)
    return {
      status: 'removed',
      entry,
      message: `${apiVersion} ${kind} is not served by Kubernetes ${version} (removed in ${entry.removedIn}); ${instead}`,
    };
  if (compareKubeVersions(target, deprecated) >= 0) {
    const until = entry.removedIn ? `, removed in ${entry.removedIn}` : '';
    return {
      status: 'deprecated',
      entry,
      message: `${apiVersion} ${kind} is deprecated since Kubernetes ${entry.deprecatedIn}${until}; ${instead}`,
    };
  }
  return undefined;
}

function insteadClause(entry: DeprecatedApi, target: KubeVersion): string {
  if (!/^[a-z0-9.]*\/?v\d/.test(entry.replacement)) return `use ${entry.replacement}`;
  const since = entry.replacementSince ? parseKubeVersion(entry.replacementSince) : undefined;
  const note =
    since && compareKubeVersions(target, since) < 0 ? ` (served from Kubernetes ${entry.replacementSince}: upgrade the cluster first)` : '';
  return `use apiVersion ${entry.replacement} instead${note}`;
}
