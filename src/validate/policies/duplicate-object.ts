/** Policy `duplicate-object`: one object per group, kind, namespace and name in an environment. */
import type { EnvironmentConfig } from '../../config/types.js';
import type { Finding } from '../../model/findings.js';
import { formatLocation } from '../../model/findings.js';
import { describeObject, splitApiVersion, type RenderedObject } from '../../model/objects.js';
import type { CrdSchemaIndex } from '../crd-schemas.js';
import { objectFinding } from '../object-finding.js';
import { isNamespacedKind } from '../scope.js';
import { policySeverity } from './levels.js';

export function checkDuplicateObjects(
  objects: readonly RenderedObject[],
  env: Pick<EnvironmentConfig, 'policies' | 'namespace'>,
  crds: CrdSchemaIndex,
): Finding[] {
  const severity = policySeverity(env, 'duplicate-object');
  if (!severity) return [];
  const first = new Map<string, RenderedObject>();
  const findings: Finding[] = [];
  for (const rendered of objects) {
    const { apiVersion, kind, metadata } = rendered.object;
    const name = metadata?.name;
    // generateName objects are distinct by design; nameless ones are a schema finding already.
    if (typeof name !== 'string' || !name || typeof kind !== 'string' || typeof apiVersion !== 'string') continue;
    const namespaced = isNamespacedKind(apiVersion, kind, crds);
    const namespace = namespaced === false ? '' : (metadata.namespace ?? env.namespace ?? '');
    const key = `${splitApiVersion(apiVersion).group}/${kind}/${namespace}/${name}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, rendered);
      continue;
    }
    const where = earlier.source ? formatLocation(earlier.source) : 'earlier in the rendered output';
    findings.push(
      objectFinding(
        rendered,
        severity,
        'duplicate-object',
        `${describeObject({ ...rendered, object: { ...rendered.object, metadata: { ...metadata, namespace: namespace || undefined } } })} is defined twice: first at ${where}; keep one definition (the later one would overwrite the first on apply)`,
        ['metadata', 'name'],
      ),
    );
  }
  return findings;
}
