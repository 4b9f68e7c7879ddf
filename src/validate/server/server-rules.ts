/**
 * What the API server refuses beyond the schema, for one object: names by kind, labels and
 * annotations, and the workload rules. Runs after the schema walk, on objects with metadata.
 */
import { isPlainObject } from '../../model/objects.js';
import { compareKubeVersions, type KubeVersion } from '../kube-version.js';
import { checkCrdDefinition } from '../crd/definition-checks.js';
import type { ServerIssue } from './issue.js';
import { checkLabelsAndAnnotations } from './labels.js';
import { checkObjectName } from './object-names.js';
import { checkWorkload } from './workloads.js';

const RELAXED_ENV_NAMES_SINCE: KubeVersion = { major: 1, minor: 32 };

/** Issues of a built-in object (`builtin` true) or of a custom resource with a known CRD. */
export function checkServerRules(group: string, kind: string, object: Record<string, unknown>, builtin: boolean, target: KubeVersion): ServerIssue[] {
  const out: ServerIssue[] = [];
  const metadata = object.metadata;
  if (isPlainObject(metadata)) {
    checkObjectName(group, kind, metadata, out);
    checkLabelsAndAnnotations(metadata, ['metadata'], out);
  }
  if (builtin && group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') checkCrdDefinition(object, out);
  if (builtin) checkWorkload(group, kind, object, { relaxedEnvNames: compareKubeVersions(target, RELAXED_ENV_NAMES_SINCE) >= 0 }, out);
  return out;
}
