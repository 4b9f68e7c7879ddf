/**
 * The change set: for each rendered object, what applying it would do to the live cluster,
 * found by a server-side apply dry-run (so defaults, admission and validation all run) and
 * compared with the live object; plus the ApplySet members the render no longer contains.
 * It writes nothing. Preview, deploy and drift all start here.
 */

import type { EnvironmentConfig } from '../config/types.js';
import type { ChangeEntry, ChangeSet } from '../model/changeset.js';
import { errorMessage } from '../model/errors.js';
import type { KubeObject, ObjectRef, RenderedObject } from '../model/objects.js';
import { isPlainObject, refKey, refOf } from '../model/objects.js';
import { type ApplySet, listMembers, readApplySet, withMemberLabel } from './applyset.js';
import { FIELD_MANAGER, type KubeClient } from './client.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../model/concurrency.js';
import { diffObjects, withLazyDiff } from './diff.js';
import { type ResourceRef, UnknownKindError } from './discovery.js';
import { KubeApiError } from './errors.js';
import { type LiveReader, prefetchLive } from './live-objects.js';
import { ignoredDifferences, type IgnoreRules, ignoredFields, ignoreRulesOf, respectIgnored, withoutIgnored } from './ignore.js';
import { deepEqual, normalize } from './normalize.js';
import { applyChangesNothing } from './owned-match.js';
import { describeTaken, fieldsTaken } from './ownership.js';
import { safeMessage, subjectOf } from './subject.js';

export const PRUNE_ANNOTATION = 'slipway.dev/prune';
export const RECREATE_ANNOTATION = 'slipway.dev/recreate';

export interface ChangeSetOptions {
  /** Look for prune candidates (members of the ApplySet no longer rendered). */
  prune: boolean;
  /** The environment's ApplySet when already read; read from the cluster otherwise. */
  inventory?: ApplySet;
  concurrency?: number;
}

/** A change set plus what apply needs to carry it out. */
export interface ClusterChangeSet extends ChangeSet {
  applySet: ApplySet;
  /** Number of live members of the ApplySet (for the prune share guard). */
  memberCount: number;
}

export function isPruneProtected(object: KubeObject | undefined): boolean {
  return object?.metadata?.annotations?.[PRUNE_ANNOTATION] === 'disabled';
}

export function wantsRecreate(object: KubeObject | undefined): boolean {
  return object?.metadata?.annotations?.[RECREATE_ANNOTATION] === 'enabled';
}

/** Namespaced objects naming none get the environment's namespace (else the context's, else `default`); cluster-scoped ones lose a stray namespace. */
export function placeObject(object: KubeObject, resource: ResourceRef, defaultNamespace: string): KubeObject {
  const namespace = object.metadata?.namespace;
  if (resource.namespaced && !namespace) return { ...object, metadata: { ...object.metadata, namespace: defaultNamespace } };
  if (!resource.namespaced && namespace !== undefined) {
    const metadata = { ...object.metadata };
    delete metadata.namespace;
    return { ...object, metadata };
  }
  return object;
}

/** Kinds defined by CRDs in this render (`group/Kind`), which may not be served until those CRDs are applied. */
export function kindsDefinedByRender(objects: readonly RenderedObject[]): Set<string> {
  const kinds = new Set<string>();
  for (const { object } of objects) {
    if (object.kind !== 'CustomResourceDefinition') continue;
    const spec = object.spec;
    if (!isPlainObject(spec) || !isPlainObject(spec.names)) continue;
    kinds.add(`${String(spec.group)}/${String(spec.names.kind)}`);
  }
  return kinds;
}

export async function buildChangeSet(
  client: KubeClient,
  env: EnvironmentConfig,
  objects: readonly RenderedObject[],
  options: ChangeSetOptions,
): Promise<ClusterChangeSet> {
  // Read even without prune: apply must know whether the parent already records the span,
  // or a re-run would rewrite it.
  // Read the parent while the kinds resolve and the live objects are listed: one round trip less.
  const parent = options.inventory ? Promise.resolve(options.inventory) : readApplySet(client, env);
  parent.catch(() => undefined);
  const defaultNamespace = env.namespace || client.contextNamespace || 'default';
  const pendingKinds = kindsDefinedByRender(objects);
  const pendingNamespaces = namespacesDefinedByRender(objects);

  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  // Resolve every kind first (discovery is cached), so the live objects can be read in one
  // LIST per kind and namespace where that saves requests; a failed resolution is reported
  // by planObject, with the object's source.
  const resolutions = objects.map((rendered) => client.discovery.resolveObject(rendered.object, subjectOf(refOf(rendered.object), rendered.source)));
  const settled = await Promise.allSettled(resolutions);
  const placed = settled.flatMap((result, i) =>
    result.status === 'fulfilled' ? [{ ref: result.value.refOf(placeObject(objects[i].object, result.value, defaultNamespace)), resource: result.value }] : [],
  );
  const live = await prefetchLive(client, placed, concurrency);
  const applySet: ApplySet = await parent;
  const ignore = ignoreRulesOf(env, objects);
  const entries = await mapLimit(objects, concurrency, (rendered, i) =>
    planObject(client, env, rendered, resolutions[i], live, applySet.id, defaultNamespace, pendingKinds, pendingNamespaces, ignore),
  );

  let memberCount = 0;
  if (options.prune && applySet.exists) {
    const members = await listMembers(client, applySet, live.listed);
    memberCount = members.length;
    const wanted = new Set(entries.map((entry) => refKey(entry.ref)));
    for (const member of members) {
      if (wanted.has(refKey(refOf(member)))) continue;
      entries.push(pruneEntry(member));
    }
  }
  return { environment: env.name, mode: 'cluster', entries, applySet, memberCount };
}

/** A member of the ApplySet the render no longer contains. */
export function pruneEntry(member: KubeObject): ChangeEntry {
  const ref = refOf(member);
  return withLazyDiff(
    {
      ref,
      action: 'delete',
      message: isPruneProtected(member) ? `kept: annotated ${PRUNE_ANNOTATION}: disabled` : 'no longer in Git',
      live: member,
      pruneProtected: isPruneProtected(member) || undefined,
    },
    () => diffObjects(ref, normalize(member), undefined),
  );
}

/**
 * Plans `objects[i]` for each index again, reading live objects from `live` (for instance the
 * lists taken under the lock); the whole render still decides which CRDs and Namespaces it creates.
 */
export async function planAgain(
  client: KubeClient,
  env: EnvironmentConfig,
  objects: readonly RenderedObject[],
  indices: readonly number[],
  live: LiveReader,
  applySet: ApplySet,
  concurrency = DEFAULT_CONCURRENCY,
): Promise<ChangeEntry[]> {
  const defaultNamespace = env.namespace || client.contextNamespace || 'default';
  const pendingKinds = kindsDefinedByRender(objects);
  const pendingNamespaces = namespacesDefinedByRender(objects);
  const ignore = ignoreRulesOf(env, objects);
  return mapLimit(indices, concurrency, (i) => {
    const rendered = objects[i];
    const resolution = client.discovery.resolveObject(rendered.object, subjectOf(refOf(rendered.object), rendered.source));
    resolution.catch(() => undefined);
    return planObject(client, env, rendered, resolution, live, applySet.id, defaultNamespace, pendingKinds, pendingNamespaces, ignore);
  });
}

async function planObject(
  client: KubeClient,
  env: EnvironmentConfig,
  rendered: RenderedObject,
  resolution: Promise<ResourceRef>,
  liveObjects: LiveReader,
  applySetIdValue: string,
  defaultNamespace: string,
  pendingKinds: Set<string>,
  pendingNamespaces: Set<string>,
  ignore: IgnoreRules,
): Promise<ChangeEntry> {
  const { source } = rendered;
  let ref: ObjectRef = refOf(rendered.object);
  let desired: KubeObject | undefined;
  let live: KubeObject | undefined;
  try {
    let resource: ResourceRef;
    try {
      resource = await resolution;
    } catch (error) {
      if (error instanceof UnknownKindError && pendingKinds.has(`${ref.group}/${ref.kind}`)) {
        return plannedBehindCrd(rendered, ref, applySetIdValue, defaultNamespace);
      }
      throw error;
    }
    desired = withMemberLabel(placeObject(rendered.object, resource, defaultNamespace), applySetIdValue);
    ref = resource.refOf(desired);
    live = await liveObjects.get(ref);
    // Ignored fields keep their live value: the body applied (and dry-run) leaves them alone.
    const ignoredPaths = live ? ignoredFields(ignore, ref, desired, live) : [];
    const ignoredCount = live && ignoredPaths.length ? ignoredDifferences(desired, live, ignoredPaths) : 0;
    const ignored = ignoredCount ? { ignored: ignoredCount } : {};
    const asRendered = desired;
    if (live) desired = respectIgnored(desired, live, ignoredPaths, FIELD_MANAGER);
    // Live already holds exactly what this manifest sets, owned by us: no dry-run needed.
    if (live && applyChangesNothing(desired, live, FIELD_MANAGER)) return { ref, action: 'unchanged', diff: '', source, desired, live, ...ignored };
    let dryRun: KubeObject;
    try {
      dryRun = await client.apply(desired, { dryRun: true, force: env.forceConflicts, subject: subjectOf(ref, source) });
    } catch (error) {
      if (!live && resource.namespaced && pendingNamespaces.has(ref.namespace) && isMissingNamespaceError(error)) {
        return plannedBehindNamespace(desired, ref, source);
      }
      if (live && isImmutableError(error) && wantsRecreate(desired)) {
        // Created again from scratch: ignored fields take their live value, whoever owned them.
        desired = respectIgnored(asRendered, live, ignoredPaths);
        const pair = withoutIgnored(normalize(live), normalize(desired), ignoredPaths);
        return withLazyDiff(
          {
            ref,
            action: 'update',
            compared: { before: pair.before, after: pair.after },
            ...ignored,
            message: safeMessage(`will be deleted and recreated (${RECREATE_ANNOTATION}: enabled): ${immutableFields(error as KubeApiError)} cannot change in place`, [desired, live]),
            source,
            desired,
            live,
          },
          () => diffObjects(ref, pair.before, pair.after),
        );
      }
      throw error;
    }
    // The dry-run kept the live value of ignored fields the manifest sets; those it does not set (a controller's) are left out here.
    const pair = live ? withoutIgnored(normalize(live), normalize(dryRun), ignoredPaths) : undefined;
    const before = pair?.before;
    const after = pair?.after ?? normalize(dryRun);
    if (before && deepEqual(before, after)) return { ref, action: 'unchanged', diff: '', source, desired, live, ...ignored };
    const taken = live && env.forceConflicts ? fieldsTaken(live, dryRun, FIELD_MANAGER) : [];
    return withLazyDiff(
      {
        ref,
        action: live ? 'update' : 'create',
        compared: before ? { before, after } : undefined,
        message: taken.length ? `takes fields from other managers: ${describeTaken(taken)}` : undefined,
        source,
        desired,
        live,
        ...ignored,
      },
      () => diffObjects(ref, before, after),
    );
  } catch (error) {
    return { ref, action: 'error', diff: '', message: explainError(error, ref, source, [rendered.object, desired, live], env), source, desired, live };
  }
}

/** Namespaces this render creates: objects inside one that does not exist yet cannot be dry-run before it is applied. */
function namespacesDefinedByRender(objects: readonly RenderedObject[]): Set<string> {
  const names = new Set<string>();
  for (const { object } of objects) {
    if (object.kind === 'Namespace' && object.apiVersion === 'v1' && object.metadata?.name) names.add(object.metadata.name);
  }
  return names;
}

function isMissingNamespaceError(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 404 && (error.details?.kind === 'namespaces' || /namespaces? "[^"]*" not found/.test(error.serverMessage));
}

/** An object in a Namespace this render creates: the Namespace is applied first (definitions stage), the object after it. */
function plannedBehindNamespace(desired: KubeObject, ref: ObjectRef, source: RenderedObject['source']): ChangeEntry {
  return withLazyDiff(
    {
      ref,
      action: 'create',
      message: `its Namespace ${ref.namespace} is created first in this run; server-side validation happens then`,
      source,
      desired,
    },
    () => diffObjects(ref, undefined, normalize(desired)),
  );
}

/** A custom resource whose CRD is in the same render: it can only be dry-run after the CRD is established. */
function plannedBehindCrd(rendered: RenderedObject, ref: ObjectRef, id: string, defaultNamespace: string): ChangeEntry {
  // Scope is unknown until the CRD is served; assume namespaced when the object names a namespace.
  const desired = withMemberLabel(rendered.object, id);
  const placed = desired.metadata.namespace ? desired : { ...desired, metadata: { ...desired.metadata, namespace: defaultNamespace } };
  const crdScope = ref.namespace ? ref : { ...ref, namespace: '' };
  return withLazyDiff(
    {
      ref: crdScope,
      action: 'create',
      message: `its CustomResourceDefinition (${ref.kind}.${ref.group}) is applied first in this run; server-side validation happens then`,
      source: rendered.source,
      desired: rendered.object,
    },
    () => diffObjects(crdScope, undefined, normalize(placed)),
  );
}

export function isImmutableError(error: unknown): boolean {
  return error instanceof KubeApiError && error.status === 422 && /immutable/i.test(error.serverMessage);
}

export function immutableFields(error: KubeApiError): string {
  const fields = (error.details?.causes ?? []).filter((c) => /immutable/i.test(c.message ?? '')).map((c) => c.field).filter(Boolean);
  if (fields.length) return `field ${[...new Set(fields)].join(', ')}`;
  const match = /([\w.[\]]+): Invalid value: .*?field is immutable/.exec(error.serverMessage) ?? /(spec[\w.[\]]*)/.exec(error.serverMessage);
  return match ? `field ${match[1]}` : 'an immutable field';
}

/** Turns a failure into a message naming the object, its source and what to do; Secret values masked. */
export function explainError(
  error: unknown,
  ref: ObjectRef,
  source: RenderedObject['source'],
  objects: readonly (KubeObject | undefined)[],
  env: Pick<EnvironmentConfig, 'forceConflicts'>,
): string {
  const subject = subjectOf(ref, source);
  let text: string;
  if (error instanceof KubeApiError) {
    const server = error.serverMessage;
    if (error.status === 409) {
      text = `${subject}: field conflict with other field managers: ${server}. ${
        env.forceConflicts ? 'Re-run; the object changed meanwhile.' : 'Set `forceConflicts: true` for this environment to take these fields, or stop setting them in the manifest.'
      }`;
    } else if (isImmutableError(error)) {
      text = `${subject}: ${immutableFields(error)} is immutable and the manifest changes it: ${server}. Annotate the object with ${RECREATE_ANNOTATION}: enabled to let Slipway delete and recreate it, or revert the change.`;
    } else if (error.status === 400 || error.status === 422) {
      text = `${subject}: rejected by the API server (${error.status} ${error.reason}): ${server}. Fix the manifest.`;
    } else if (error.status === 403) {
      text = `${subject}: forbidden: ${server}. Grant the deploying identity access to this kind and namespace.`;
    } else if (error.status === 404) {
      text = `${subject}: not found: ${server}. Does its namespace exist? Add the Namespace to the environment or create it first.`;
    } else {
      text = `${subject}: ${error.status || ''} ${error.reason}: ${server}`.replace(/: {2}/, ': ');
    }
  } else {
    const message = errorMessage(error);
    text = message.startsWith(subject) ? message : `${subject}: ${message}`;
  }
  return safeMessage(text, objects);
}

