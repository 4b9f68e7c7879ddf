/** Policy `missing-namespace`: a namespaced object names its namespace, or the environment gives a default. */
import type { EnvironmentConfig } from '../../config/types.js';
import type { Finding } from '../../model/findings.js';
import type { RenderedObject } from '../../model/objects.js';
import type { CrdSchemaIndex } from '../crd-schemas.js';
import { objectFinding } from '../object-finding.js';
import { isNamespacedKind } from '../scope.js';
import { policySeverity } from './levels.js';

export function checkMissingNamespaces(
  objects: readonly RenderedObject[],
  env: Pick<EnvironmentConfig, 'policies' | 'namespace' | 'name'>,
  crds: CrdSchemaIndex,
): Finding[] {
  const severity = policySeverity(env, 'missing-namespace');
  if (!severity || env.namespace) return [];
  const findings: Finding[] = [];
  for (const rendered of objects) {
    const { apiVersion, kind, metadata } = rendered.object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
    if (metadata?.namespace) continue;
    // Cluster-scoped kinds, and kinds whose scope nobody knows, are not judged.
    if (isNamespacedKind(apiVersion, kind, crds) !== true) continue;
    findings.push(
      objectFinding(
        rendered,
        severity,
        'missing-namespace',
        `${kind} is namespaced but sets no metadata.namespace and ${env.name ? `environment "${env.name}"` : 'the environment'} has no default namespace; set metadata.namespace, or the environment's namespace in slipway.yaml`,
        ['metadata'],
      ),
    );
  }
  return findings;
}
