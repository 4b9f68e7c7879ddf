/**
 * Strips what the server sets on its own so a comparison of live vs desired shows only what
 * a person changed. Both sides of every comparison go through `normalize`.
 */

import type { KubeObject } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';

/** Metadata the server owns. */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'generation',
  'uid',
  'creationTimestamp',
  'selfLink',
  'deletionGracePeriodSeconds',
  'deletionTimestamp',
] as const;

/** Annotations written by tools or controllers, never by the user's manifests. */
const NOISY_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deprecated.daemonset.template.generation',
  'meta.helm.sh/release-name-last-applied',
];

export function isSecret(object: Pick<KubeObject, 'apiVersion' | 'kind'> | undefined): boolean {
  return object?.kind === 'Secret' && object.apiVersion === 'v1';
}

/** A deep copy of `object` without server-set noise; Secrets in `data` form. */
export function normalize(object: KubeObject): KubeObject {
  const copy = structuredClone(object) as KubeObject;
  delete copy.status;
  const metadata = copy.metadata ?? {};
  for (const field of SERVER_METADATA) delete metadata[field];
  if (metadata.annotations) {
    for (const key of NOISY_ANNOTATIONS) delete metadata.annotations[key];
    if (Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
  }
  if (metadata.labels && Object.keys(metadata.labels).length === 0) delete metadata.labels;
  if (isSecret(copy)) secretToDataForm(copy);
  return copy;
}

/**
 * The API server folds `stringData` into `data` (base64) on write, so the live object never
 * has `stringData`; comparing in `data` form avoids reporting such Secrets changed every run.
 */
export function secretToDataForm(secret: KubeObject): void {
  const stringData = secret.stringData;
  if (!isPlainObject(stringData)) return;
  const data = isPlainObject(secret.data) ? { ...secret.data } : {};
  for (const [key, value] of Object.entries(stringData)) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  secret.data = data;
  delete secret.stringData;
}

/** Structural equality of two JSON values, ignoring key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}
