/**
 * The /scale subresource of Deployments, StatefulSets and ReplicaSets, as `kubectl scale` and
 * HPAs use it: an autoscaling/v1 Scale whose spec.replicas is the object's spec.replicas and
 * whose status holds the observed replicas and the selector as a string. Writes change only
 * spec.replicas of the object, owned by the writer with `subresource: scale`, as the real
 * server records them.
 */
import { isPlainObject, type KubeObject } from '../../../src/model/objects.js';
import { errors } from './status.js';

/** The Scale the server answers for `object`. */
export function scaleOf(object: KubeObject): Record<string, unknown> {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const status = isPlainObject(object.status) ? object.status : {};
  const meta = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    // The real server defaults an absent spec.replicas to 1 when the object is stored; this one does not default it.
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0, selector: selectorString(spec.selector) },
  };
}

/** The replica count a written Scale asks for, validated as the real server does. */
export function requestedReplicas(scale: unknown, name: string): number {
  const spec = isPlainObject(scale) && isPlainObject(scale.spec) ? scale.spec : {};
  const replicas = spec.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    throw errors.badRequest(`Scale in version "v1" cannot be handled as a Scale: spec.replicas: expected an integer, got ${JSON.stringify(replicas)}`);
  }
  if (replicas < 0) {
    throw errors.invalid('Scale', 'autoscaling', name, [{ field: 'spec.replicas', message: `Invalid value: ${replicas}: must be greater than or equal to 0` }]);
  }
  return replicas;
}

/** `app=web,tier in (a,b)`: a label selector as the Scale's status.selector spells it. */
function selectorString(selector: unknown): string {
  if (!isPlainObject(selector)) return '';
  const parts: string[] = [];
  const labels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const key of Object.keys(labels).sort()) parts.push(`${key}=${String(labels[key])}`);
  for (const expression of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isPlainObject(expression)) continue;
    const values = Array.isArray(expression.values) ? expression.values.map(String).sort().join(',') : '';
    const key = String(expression.key);
    if (expression.operator === 'In') parts.push(`${key} in (${values})`);
    else if (expression.operator === 'NotIn') parts.push(`${key} notin (${values})`);
    else if (expression.operator === 'Exists') parts.push(key);
    else if (expression.operator === 'DoesNotExist') parts.push(`!${key}`);
  }
  return parts.join(',');
}
