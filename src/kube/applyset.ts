/**
 * The environment's inventory as an ApplySet (KEP-3659), laid out the way kubectl lays it out
 * so `kubectl get <kinds> -A -l applyset.kubernetes.io/part-of=<id>` lists the members and
 * `kubectl get secrets -A -l applyset.kubernetes.io/id` finds the parent: a parent Secret
 * carrying the set's id, the group-kinds and namespaces it spans; every member labelled with
 * the id.
 *
 * What kubectl 1.35 does with this parent (checked against the real binary in
 * __tests__/kube/applyset-kubectl.e2e.test.ts):
 * - `kubectl apply --prune --applyset=secret/slipway-<env>` is alpha: without
 *   `KUBECTL_APPLYSET=true` kubectl answers `unknown flag: --applyset`.
 * - With it, kubectl refuses our parent before changing anything: `ApplySet parent object
 *   "secrets./slipway-<env>" already exists and is managed by tooling "slipway" instead of
 *   "kubectl"`. kubectl compares the name part of `applyset.kubernetes.io/tooling` (before
 *   the `/`) with its own; the KEP lets each tool refuse sets another tool manages, and we
 *   keep our own tooling value on purpose, so kubectl cannot prune a Slipway environment.
 * - Read-only use works: the id label, member labels, contains-group-kinds and
 *   additional-namespaces are what kubectl expects. With the tooling relabelled to kubectl
 *   (test only), kubectl accepts the parent and would prune exactly our other members; it
 *   then writes the parent as field manager `kubectl-applyset`, force-taking the annotations
 *   from manager `slipway`.
 * Slipway refuses the same way: a parent whose tooling is not slipway, or whose id differs.
 */

import { createHash } from 'node:crypto';
import type { EnvironmentConfig } from '../config/types.js';
import { packageVersion } from '../exec/package.js';
import type { KubeObject, ObjectRef } from '../model/objects.js';
import type { KubeClient } from './client.js';
import { KubeApiError } from './errors.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../model/concurrency.js';
import { type ResourceRef, UnknownKindError } from './discovery.js';

export const APPLYSET_ID_LABEL = 'applyset.kubernetes.io/id';
export const APPLYSET_PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const APPLYSET_TOOLING_ANNOTATION = 'applyset.kubernetes.io/tooling';
export const APPLYSET_GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';
export const APPLYSET_NAMESPACES_ANNOTATION = 'applyset.kubernetes.io/additional-namespaces';
export const TOOLING = `slipway/v${packageVersion()}`;

/** `applyset-<base64url(sha256(<name>.<namespace>.<kind>.<group>))>-v1`, as the KEP defines it. */
export function applySetId(name: string, namespace: string, kind = 'Secret', group = ''): string {
  const digest = createHash('sha256').update(`${name}.${namespace}.${kind}.${group}`).digest('base64url');
  return `applyset-${digest}-v1`;
}

/** `Kind` for the core group, else `Kind.group`. */
export function groupKindOf(ref: Pick<ObjectRef, 'group' | 'kind'>): string {
  return ref.group ? `${ref.kind}.${ref.group}` : ref.kind;
}

export function parseGroupKind(text: string): { group: string; kind: string } {
  const dot = text.indexOf('.');
  return dot < 0 ? { kind: text, group: '' } : { kind: text.slice(0, dot), group: text.slice(dot + 1) };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

export interface ApplySet {
  name: string;
  namespace: string;
  id: string;
  /** Whether the parent Secret exists. */
  exists: boolean;
  groupKinds: string[];
  /** Namespaces other than the parent's that hold members. */
  additionalNamespaces: string[];
  /** Tooling recorded on the parent (another tool's set is refused). */
  tooling?: string;
}

export function parentLocation(env: Pick<EnvironmentConfig, 'name' | 'namespace'>): { name: string; namespace: string } {
  return { name: `slipway-${env.name}`, namespace: env.namespace || 'default' };
}

const PARENT_REF = (name: string, namespace: string): ObjectRef => ({ group: '', version: 'v1', kind: 'Secret', namespace, name });

/** The parent object of an ApplySet (a Secret), for results and messages. */
export function applySetParent(set: Pick<ApplySet, 'name' | 'namespace'>): ObjectRef {
  return PARENT_REF(set.name, set.namespace);
}

/** Reads the parent Secret; a missing one is an empty set. */
export async function readApplySet(client: KubeClient, env: Pick<EnvironmentConfig, 'name' | 'namespace'>): Promise<ApplySet> {
  const { name, namespace } = parentLocation(env);
  const id = applySetId(name, namespace);
  const parent = await client.get(PARENT_REF(name, namespace));
  if (!parent) return { name, namespace, id, exists: false, groupKinds: [], additionalNamespaces: [] };
  const annotations = parent.metadata.annotations ?? {};
  const recordedId = parent.metadata.labels?.[APPLYSET_ID_LABEL];
  if (recordedId && recordedId !== id) {
    throw new KubeApiError(
      0,
      'ApplySetMismatch',
      `the parent carries ${APPLYSET_ID_LABEL}=${recordedId}, expected ${id}. Rename or delete the Secret; Slipway will not adopt an inventory it did not create.`,
      undefined,
      `ApplySet parent Secret/${namespace}/${name}`,
    );
  }
  const tooling = annotations[APPLYSET_TOOLING_ANNOTATION];
  if (tooling && tooling.split('/')[0] !== TOOLING.split('/')[0]) {
    // As kubectl does the other way round: never take over (and prune through) another tool's set.
    throw new KubeApiError(
      0,
      'ApplySetTooling',
      `the parent is managed by tooling "${tooling}", not Slipway. Give the environment another name or delete that ApplySet's parent; Slipway will not adopt another tool's inventory.`,
      undefined,
      `ApplySet parent Secret/${namespace}/${name}`,
    );
  }
  return {
    name,
    namespace,
    id,
    exists: true,
    groupKinds: sortedUnique(splitList(annotations[APPLYSET_GROUP_KINDS_ANNOTATION])),
    additionalNamespaces: sortedUnique(splitList(annotations[APPLYSET_NAMESPACES_ANNOTATION])),
    tooling,
  };
}

/** A copy of `object` labelled as a member of the set. */
export function withMemberLabel(object: KubeObject, id: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata?.labels, [APPLYSET_PART_OF_LABEL]: id } } };
}

/**
 * Takes an object out of the set (a merge patch that removes its member label; the object stays):
 * for an object that existed before a deploy made it a member. False when it is gone.
 */
export async function removeMemberLabel(client: KubeClient, ref: ObjectRef): Promise<boolean> {
  const resource = await client.discovery.resolve(ref);
  try {
    await client.request({
      method: 'PATCH',
      path: resource.objectPath(ref.namespace, ref.name),
      query: { fieldManager: MEMBERSHIP_MANAGER },
      body: { metadata: { labels: { [APPLYSET_PART_OF_LABEL]: null } } },
      contentType: 'application/merge-patch+json',
      subject: `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`,
    });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}

/** Field manager of removeMemberLabel's patch. */
const MEMBERSHIP_MANAGER = 'slipway-rollback';

/** Group-kinds and extra namespaces spanned by `refs`. */
export function spanOf(refs: readonly ObjectRef[], parentNamespace: string): { groupKinds: string[]; additionalNamespaces: string[] } {
  return {
    groupKinds: sortedUnique(refs.map(groupKindOf)),
    additionalNamespaces: sortedUnique(refs.map((r) => r.namespace).filter((ns) => ns && ns !== parentNamespace)),
  };
}

/**
 * Server-side applies the parent with the given span. Skipped (no request) when the parent
 * already records exactly that, so a re-apply writes nothing.
 */
export async function writeApplySet(
  client: KubeClient,
  set: ApplySet,
  span: { groupKinds: string[]; additionalNamespaces: string[] },
  options: { dryRun?: boolean } = {},
): Promise<ApplySet> {
  const next: ApplySet = { ...set, exists: true, groupKinds: sortedUnique(span.groupKinds), additionalNamespaces: sortedUnique(span.additionalNamespaces), tooling: TOOLING };
  const same =
    set.exists &&
    set.tooling === TOOLING &&
    set.groupKinds.join(',') === next.groupKinds.join(',') &&
    set.additionalNamespaces.join(',') === next.additionalNamespaces.join(',');
  if (same || options.dryRun) return next;
  const annotations: Record<string, string> = {
    [APPLYSET_TOOLING_ANNOTATION]: TOOLING,
    [APPLYSET_GROUP_KINDS_ANNOTATION]: next.groupKinds.join(','),
  };
  if (next.additionalNamespaces.length) annotations[APPLYSET_NAMESPACES_ANNOTATION] = next.additionalNamespaces.join(',');
  await client.apply(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: set.name, namespace: set.namespace, labels: { [APPLYSET_ID_LABEL]: set.id }, annotations },
      type: 'Opaque',
    },
    { force: true, subject: `ApplySet parent Secret/${set.namespace}/${set.name}` },
  );
  return next;
}

/** Every live member of the set, listed per recorded group-kind by the part-of label. */
export async function listMembers(
  client: KubeClient,
  set: ApplySet,
  /** Kinds and namespaces already listed whole (every object, not only members): filtered here instead of listed again. */
  listed?: (resource: ResourceRef, namespace: string | undefined) => KubeObject[] | undefined,
): Promise<KubeObject[]> {
  if (!set.exists) return [];
  const selector = `${APPLYSET_PART_OF_LABEL}=${set.id}`;
  const perKind = await mapLimit(set.groupKinds, DEFAULT_CONCURRENCY, async (groupKind) => {
    const { group, kind } = parseGroupKind(groupKind);
    let resource;
    try {
      resource = await client.discovery.resolveGroupKind(group, kind, `ApplySet ${set.name} member kind ${groupKind}`);
    } catch (error) {
      // A kind no longer served (its CRD was removed) has no members left to prune. Anything
      // else (no permission, a failing server) must stop: a missed kind would shrink the inventory.
      if (error instanceof UnknownKindError) return [];
      throw error;
    }
    const namespaces = resource.namespaced ? [set.namespace, ...set.additionalNamespaces] : [undefined];
    const lists = await Promise.all(
      namespaces.map((namespace) => {
        const whole = listed?.(resource, namespace);
        if (whole) return whole.filter((object) => object.metadata.labels?.[APPLYSET_PART_OF_LABEL] === set.id);
        return client.list(resource, { namespace, labelSelector: selector });
      }),
    );
    return lists.flat();
  });
  return perKind.flat();
}
