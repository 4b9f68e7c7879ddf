/** Core shapes shared by every stage: a Kubernetes object, where it came from, and how to name it. */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** Any Kubernetes object, kept as plain JSON so no field is lost on the way to the server. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** A position in a file of the repository; `file` is relative to the repository root, line and column 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** An object produced by rendering an environment, with the place it was written when that is known. */
export interface RenderedObject {
  /** The Kubernetes body, exactly as sent to the server. */
  object: KubeObject;
  /** Where the object starts. */
  source?: SourceLocation;
  /** Where each of its keys was written (model/key-locations.ts); travels with copies of this wrapper. */
  keys?: KeyLocator;
}

/** Returns the location of the key at `path`, or of its nearest existing ancestor. */
export type KeyLocator = (path: readonly PathSegment[]) => SourceLocation | undefined;

/** Identity of an object in a cluster: group (empty for core), kind, namespace (empty when cluster-scoped), name. */
export interface ObjectRef {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function refOf(object: KubeObject): ObjectRef {
  const { group, version } = splitApiVersion(object.apiVersion ?? '');
  return {
    group,
    version,
    kind: object.kind ?? '',
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
  };
}

/** Stable identity key, independent of version: `group/Kind/namespace/name`. */
export function refKey(ref: ObjectRef): string {
  return `${ref.group}/${ref.kind}/${ref.namespace}/${ref.name}`;
}

/**
 * Groups whose kinds read unambiguously without the group: core (`""`), the groups with no dot
 * (`apps`, `batch`, `autoscaling`, `policy`: a CRD's group must contain one, so these are all the
 * API server's own) and the Kubernetes project's `*.k8s.io` groups (`networking.k8s.io`,
 * `rbac.authorization.k8s.io`, `apiextensions.k8s.io`, `gateway.networking.k8s.io`...).
 */
export function isBuiltinGroup(group: string): boolean {
  return !group.includes('.') || group === 'k8s.io' || group.endsWith('.k8s.io');
}

/** `Kind`, or `Kind.group` where the group is not built in: `Kustomization.kustomize.toolkit.fluxcd.io`. */
export function qualifiedKind(ref: Pick<ObjectRef, 'group' | 'kind'>): string {
  return isBuiltinGroup(ref.group) ? ref.kind : `${ref.kind}.${ref.group}`;
}

/**
 * How people read an object's name: `Kind/name` or `Kind/namespace/name`, the kind qualified by
 * its group where that is not built in (`Kustomization.kustomize.toolkit.fluxcd.io/apps/dev-team`),
 * as kubectl spells a resource (`kind.group`).
 */
export function describeRef(ref: ObjectRef): string {
  const kind = qualifiedKind(ref);
  return ref.namespace ? `${kind}/${ref.namespace}/${ref.name}` : `${kind}/${ref.name}`;
}

/** `Kind/namespace/name` of a rendered object (see describeRef); `Kind/(no name)` for objects that have none yet. */
export function describeObject(rendered: RenderedObject): string {
  const ref = refOf(rendered.object);
  return describeRef({ ...ref, kind: ref.kind || '(no kind)', name: ref.name || String(rendered.object.metadata?.generateName ?? '') || '(no name)' });
}

/** A step of a path into an object: a key, or an index into a list. */
export type PathSegment = string | number;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
