/**
 * `metadata.name` and `metadata.generateName` by kind, as the API server validates them: most
 * kinds (custom resources too) take a DNS-1123 subdomain, Namespaces and Services a DNS-1123
 * label, RBAC and flow-control objects any URL path segment (so `system:metrics` is fine).
 */
import { dns1123Label, dns1123Subdomain, pathSegmentName } from './formats.js';
import type { ServerIssue } from './issue.js';

type NameCheck = (name: string) => string | undefined;

const LABEL_NAMED = new Set(['/Namespace', '/Service']);
const PATH_SEGMENT_NAMED = new Set([
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
]);
/**
 * Kinds whose names follow rules of their own (`v1.apps`, `<plural>.<group>`, an IP address,
 * `<signer>:<name>`), or none at all (CertificateSigningRequest): left alone here.
 */
const OWN_RULES = new Set([
  'apiregistration.k8s.io/APIService',
  'apiextensions.k8s.io/CustomResourceDefinition',
  '/ComponentStatus',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'networking.k8s.io/IPAddress',
]);

/** A CronJob's Jobs are named `<name>-<11 characters>`, which must stay a 63-character label. */
const CRONJOB_NAME_MAX = 52;

function nameCheckOf(group: string, kind: string): NameCheck | undefined {
  const key = `${group}/${kind}`;
  if (OWN_RULES.has(key)) return undefined;
  if (LABEL_NAMED.has(key)) return dns1123Label;
  if (PATH_SEGMENT_NAMED.has(key)) return pathSegmentName;
  return dns1123Subdomain;
}

export function checkObjectName(group: string, kind: string, metadata: Record<string, unknown>, out: ServerIssue[]): void {
  const check = nameCheckOf(group, kind);
  if (!check) return;
  const { name, generateName } = metadata;
  if (typeof name === 'string' && name) {
    const problem = check(name);
    if (problem) out.push({ rule: 'server-name', path: ['metadata', 'name'], message: `invalid ${kind} name "${name}": ${problem}` });
    else if (group === 'batch' && kind === 'CronJob' && name.length > CRONJOB_NAME_MAX)
      out.push({ rule: 'server-name', path: ['metadata', 'name'], message: `invalid CronJob name: must be no more than ${CRONJOB_NAME_MAX} characters (its Jobs add 11)` });
  }
  if (typeof generateName === 'string' && generateName) {
    // The server appends a random suffix, so a trailing '-' is fine.
    const problem = check(generateName.endsWith('-') ? `${generateName.slice(0, -1)}a` : generateName);
    if (problem) out.push({ rule: 'server-name', path: ['metadata', 'generateName'], message: `invalid ${kind} generateName "${generateName}": ${problem}` });
  }
}

