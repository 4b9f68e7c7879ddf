/**
 * The first Kubernetes release that serves an apiVersion/kind, for the APIs introduced after
 * 1.16: every replacement named in the deprecation table (from its `replacementSince`), the
 * deprecated versions that themselves arrived late, and the newer built-in APIs users write by
 * hand. With `kubernetesVersion` older than that, the server has no such API.
 */
import { DEPRECATED_APIS } from './deprecated-apis.js';
import { compareKubeVersions, formatKubeVersion, parseKubeVersion, type KubeVersion } from './kube-version.js';

interface ApiIntroduction {
  apiVersion: string;
  kinds: readonly string[];
  introducedIn: string;
}

const FLOW = ['FlowSchema', 'PriorityLevelConfiguration'];

/** Introductions the deprecation table does not imply (after the upstream release notes). */
const LATER_APIS: readonly ApiIntroduction[] = [
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: FLOW, introducedIn: '1.20' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: FLOW, introducedIn: '1.23' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: FLOW, introducedIn: '1.26' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], introducedIn: '1.21' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], introducedIn: '1.17' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['IngressClass'], introducedIn: '1.18' },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['CSIDriver'], introducedIn: '1.18' },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['CSINode'], introducedIn: '1.17' },
  { apiVersion: 'authentication.k8s.io/v1', kinds: ['SelfSubjectReview'], introducedIn: '1.28' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'], introducedIn: '1.30' },
  { apiVersion: 'networking.k8s.io/v1', kinds: ['IPAddress', 'ServiceCIDR'], introducedIn: '1.33' },
  { apiVersion: 'storage.k8s.io/v1', kinds: ['VolumeAttributesClass'], introducedIn: '1.34' },
  { apiVersion: 'resource.k8s.io/v1', kinds: ['DeviceClass', 'ResourceClaim', 'ResourceClaimTemplate', 'ResourceSlice'], introducedIn: '1.34' },
];

const APIVERSION_ONLY = /^[a-z0-9.]*\/?v\d+(?:(?:alpha|beta)\d+)?$/;

const introductions = new Map<string, string>();
for (const entry of DEPRECATED_APIS) {
  if (!entry.replacementSince || !APIVERSION_ONLY.test(entry.replacement)) continue;
  for (const kind of entry.kinds) introductions.set(`${entry.replacement}|${kind}`, entry.replacementSince);
}
for (const entry of LATER_APIS) for (const kind of entry.kinds) introductions.set(`${entry.apiVersion}|${kind}`, entry.introducedIn);

/** The release that first serves `apiVersion`/`kind`, when that is after 1.16; else undefined. */
export function introducedIn(apiVersion: string, kind: string): string | undefined {
  return introductions.get(`${apiVersion}|${kind}`);
}

/** True when `target` is older than the release that introduced `apiVersion`/`kind`. */
export function notYetServed(apiVersion: string, kind: string, target: KubeVersion): boolean {
  const since = parseKubeVersion(introducedIn(apiVersion, kind));
  return since !== undefined && compareKubeVersions(target, since) < 0;
}

/**
 * Why `apiVersion`/`kind` does not exist in `target` yet, and which apiVersions of the kind the
 * target does serve (from the deprecation table); undefined when it is served.
 */
export function notYetServedMessage(apiVersion: string, kind: string, target: KubeVersion): string | undefined {
  if (!notYetServed(apiVersion, kind, target)) return undefined;
  const servedInstead = DEPRECATED_APIS.filter((entry) => entry.kinds.includes(kind) && entry.apiVersion !== apiVersion)
    .filter((entry) => isServed(entry.apiVersion, kind, entry.removedIn, target))
    .map((entry) => entry.apiVersion);
  const version = formatKubeVersion(target);
  const instead = servedInstead.length
    ? `use apiVersion ${[...new Set(servedInstead)].join(' or ')} for Kubernetes ${version}`
    : 'no version of it is served there';
  return `${apiVersion} ${kind} is not served by Kubernetes ${version} (introduced in ${introducedIn(apiVersion, kind)}); ${instead}, or raise kubernetesVersion if the cluster is newer`;
}

function isServed(apiVersion: string, kind: string, removedIn: string | undefined, target: KubeVersion): boolean {
  const removed = parseKubeVersion(removedIn);
  return !(removed && compareKubeVersions(target, removed) >= 0) && !notYetServed(apiVersion, kind, target);
}
