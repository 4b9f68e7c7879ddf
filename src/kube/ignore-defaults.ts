/**
 * The fields every environment ignores without being told: values a controller owns and keeps
 * rewriting, which no manifest should fight over. Each rule looks at who owns the field (or what
 * scales the object), so it never hides a value Slipway itself set and owns.
 *
 * - `/spec/replicas` of an object an autoscaler in the same render scales (a
 *   HorizontalPodAutoscaler's or KEDA ScaledObject's `scaleTargetRef`), or whose replicas the
 *   HPA controller (`kube-controller-manager`, through the `scale` subresource) last wrote.
 *   A manual `kubectl scale` is not an autoscaler: it is still drift.
 * - `caBundle` of webhook configurations, CRD conversion webhooks and APIServices when a manager
 *   other than Slipway owns it (cert-manager's cainjector, a webhook's own controller).
 * - `/rules` of an aggregated ClusterRole (one with `aggregationRule`): the API server's
 *   aggregation controller fills it.
 */

import { expandFieldPath, type FieldPath, parseFieldPath } from '../model/field-path.js';
import type { KubeObject, ObjectRef, RenderedObject } from '../model/objects.js';
import { isPlainObject, splitApiVersion } from '../model/objects.js';
import { FIELD_MANAGER } from './client.js';
import { managedEntries, ownsField } from './ignore-managed.js';

/** The controller-manager's field manager name: the HPA controller scales through it. */
export const CONTROLLER_MANAGER = 'kube-controller-manager';

const REPLICAS = path('/spec/replicas');

/** caBundle fields injected by controllers, by `group/Kind`. */
const CA_BUNDLES: Record<string, FieldPath> = {
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': path('/webhooks/*/clientConfig/caBundle'),
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': path('/webhooks/*/clientConfig/caBundle'),
  'apiextensions.k8s.io/CustomResourceDefinition': path('/spec/conversion/webhook/clientConfig/caBundle'),
  'apiregistration.k8s.io/APIService': path('/spec/caBundle'),
};

function path(text: string): FieldPath {
  const parsed = parseFieldPath(text);
  if ('problem' in parsed) throw new Error(`built-in ignore path ${text} ${parsed.problem}`);
  return parsed;
}

/** Objects an autoscaler of the render scales: `group/Kind/name`, with the autoscaler's namespace ('' when it names none). */
export type AutoscaledTargets = Map<string, Set<string>>;

export function autoscaledTargets(objects: readonly RenderedObject[]): AutoscaledTargets {
  const targets: AutoscaledTargets = new Map();
  for (const { object } of objects) {
    const isHpa = object.kind === 'HorizontalPodAutoscaler' && splitApiVersion(object.apiVersion).group === 'autoscaling';
    const isKeda = object.kind === 'ScaledObject' && splitApiVersion(object.apiVersion).group === 'keda.sh';
    if (!isHpa && !isKeda) continue;
    const spec = object.spec;
    const target = isPlainObject(spec) ? spec.scaleTargetRef : undefined;
    if (!isPlainObject(target) || typeof target.name !== 'string') continue;
    // KEDA defaults the target to an apps/v1 Deployment.
    const apiVersion = typeof target.apiVersion === 'string' ? target.apiVersion : isKeda ? 'apps/v1' : '';
    const kind = typeof target.kind === 'string' ? target.kind : isKeda ? 'Deployment' : '';
    const key = `${splitApiVersion(apiVersion).group}/${kind}/${target.name}`;
    const namespaces = targets.get(key) ?? new Set<string>();
    namespaces.add(object.metadata?.namespace ?? '');
    targets.set(key, namespaces);
  }
  return targets;
}

function isAutoscaled(ref: ObjectRef, targets: AutoscaledTargets): boolean {
  const namespaces = targets.get(`${ref.group}/${ref.kind}/${ref.name}`);
  return !!namespaces && (namespaces.has(ref.namespace) || namespaces.has(''));
}

/** The built-in ignored fields of one object; `live` (when it exists) tells who owns what. */
export function builtInIgnored(ref: ObjectRef, desired: KubeObject | undefined, live: KubeObject | undefined, targets: AutoscaledTargets): FieldPath[] {
  const paths: FieldPath[] = [];
  if (isAutoscaled(ref, targets) || (live && scaledByHpaController(live))) paths.push(REPLICAS);
  const caBundle = CA_BUNDLES[`${ref.group}/${ref.kind}`];
  if (caBundle && live) paths.push(...expandFieldPath(live, caBundle).filter((field) => ownedByAnother(live, field)));
  if (ref.group === 'rbac.authorization.k8s.io' && ref.kind === 'ClusterRole' && (isPlainObject(desired?.aggregationRule) || isPlainObject(live?.aggregationRule))) {
    paths.push(path('/rules'));
  }
  return paths;
}

function scaledByHpaController(live: KubeObject): boolean {
  return managedEntries(live).some((entry) => entry.manager === CONTROLLER_MANAGER && entry.subresource === 'scale') && ownsField(live, CONTROLLER_MANAGER, REPLICAS);
}

function ownedByAnother(live: KubeObject, field: FieldPath): boolean {
  return managedEntries(live).some((entry) => !!entry.manager && entry.manager !== FIELD_MANAGER && ownsField(live, entry.manager, field));
}
