/** CustomResourceDefinitions: the kind a CRD serves, and the status the real server gives an accepted CRD. */
import { isPlainObject, type KubeObject } from '../../../src/model/objects.js';
import type { ResourceType } from './registry.js';

/** The resource type a CRD defines, or undefined when it serves no version. */
export function typeFromCrd(crd: KubeObject): ResourceType | undefined {
  const spec = isPlainObject(crd.spec) ? crd.spec : {};
  const names = isPlainObject(spec.names) ? spec.names : {};
  const versions = (Array.isArray(spec.versions) ? spec.versions : []).filter(isPlainObject).filter((v) => v.served !== false);
  if (versions.length === 0 || typeof names.kind !== 'string' || typeof names.plural !== 'string') return undefined;
  // Discovery prefers the storage version's peers by name; keep the declared order with storage first.
  versions.sort((a, b) => Number(b.storage === true) - Number(a.storage === true));
  const hasStatus = versions.some((v) => isPlainObject(v.subresources) && v.subresources.status !== undefined);
  const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return {
    group: String(spec.group ?? ''),
    versions: versions.map((v) => String(v.name)),
    kind: names.kind,
    listKind: typeof names.listKind === 'string' ? names.listKind : `${names.kind}List`,
    plural: names.plural,
    singular: typeof names.singular === 'string' ? names.singular : names.kind.toLowerCase(),
    namespaced: spec.scope !== 'Cluster',
    shortNames: strings(names.shortNames),
    categories: strings(names.categories),
    status: hasStatus,
    generation: true,
    crd: crd.metadata.name,
  };
}

/** Established and NamesAccepted at once: the real server takes a moment, this one none. */
export function acceptedStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = isPlainObject(crd.spec) ? crd.spec : {};
  const versions = (Array.isArray(spec.versions) ? spec.versions : []).filter(isPlainObject);
  const storage = versions.find((v) => v.storage === true) ?? versions[0];
  const condition = (type: string, reason: string, message: string) => ({ type, status: 'True', lastTransitionTime: now, reason, message });
  return {
    acceptedNames: spec.names ?? {},
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    storedVersions: storage ? [String(storage.name)] : [],
  };
}
