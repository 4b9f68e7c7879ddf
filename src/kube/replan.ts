/**
 * Re-planning under the deploy lock, limited to what can have changed. A plan is made before
 * the Lease is taken, so another deploy (or a person) may have written since. Instead of a
 * second dry-run of every object, one LIST per kind and namespace the plan touches shows which
 * objects moved: those whose resourceVersion differs from the one the plan saw (created,
 * changed or deleted meanwhile) are planned again; the rest keep their plan. Anything the lists
 * cannot settle falls back to planning everything again: the ApplySet parent changed, a list is
 * refused, or a member appeared that the plan does not know (another deploy added it).
 */

import type { EnvironmentConfig } from '../config/types.js';
import type { ChangeEntry } from '../model/changeset.js';
import type { KubeObject, ObjectRef, RenderedObject } from '../model/objects.js';
import { refKey } from '../model/objects.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../model/concurrency.js';
import { APPLYSET_PART_OF_LABEL, type ApplySet, parseGroupKind, readApplySet } from './applyset.js';
import { buildChangeSet, type ClusterChangeSet, kindsDefinedByRender, planAgain, pruneEntry } from './changeset.js';
import type { KubeClient } from './client.js';
import type { ResourceRef } from './discovery.js';

export interface Replanned {
  changeSet: ClusterChangeSet;
  /** Objects planned again (all of them after a fallback). */
  replanned: ObjectRef[];
  /** Why everything was planned again, when it was. */
  fullReplan?: string;
}

interface ListGroup {
  resource: ResourceRef;
  namespace: string | undefined;
  /** Only the ApplySet's members are of interest (a kind the render no longer holds). */
  membersOnly: boolean;
}

/** The objects a change set was planned from (deletions are found again from the inventory). */
export function plannedObjects(changeSet: ClusterChangeSet): RenderedObject[] {
  return changeSet.entries.filter((e) => e.action !== 'delete' && e.desired).map((e) => ({ object: e.desired as KubeObject, source: e.source }));
}

export async function replanChanged(client: KubeClient, env: EnvironmentConfig, plan: ClusterChangeSet, concurrency = DEFAULT_CONCURRENCY): Promise<Replanned> {
  const objects = plannedObjects(plan);
  const everything = async (reason: string): Promise<Replanned> => {
    const changeSet = await buildChangeSet(client, env, objects, { prune: env.prune.enabled });
    return { changeSet, replanned: changeSet.entries.map((e) => e.ref), fullReplan: reason };
  };

  // Read at the same time as the lists below, saving a round trip; only member-only lists need it first.
  const applySetRead = readApplySet(client, env);
  applySetRead.catch(() => undefined);

  const groups = new Map<string, ListGroup>();
  const unresolved = new Set<string>();
  const addGroup = (resource: ResourceRef, namespace: string | undefined, membersOnly: boolean) => {
    const key = `${resource.apiVersion}/${resource.kind}/${namespace ?? ''}`;
    const existing = groups.get(key);
    if (!existing) groups.set(key, { resource, namespace, membersOnly });
    else if (!membersOnly) existing.membersOnly = false;
  };
  const renderKinds = kindsDefinedByRender(objects);
  await mapLimit(plan.entries, concurrency, async (entry) => {
    try {
      const resource = await client.discovery.resolve(entry.ref);
      addGroup(resource, resource.namespaced ? entry.ref.namespace : undefined, false);
    } catch {
      // Kind not served: a create behind a CRD of this render is still what the plan said (nothing
      // of that kind can exist yet); anything else lost its kind since the plan, so plan it again.
      if (!plannedBehindRenderCrd(entry, renderKinds)) unresolved.add(refKey(entry.ref));
    }
  });
  const live = new Map<string, KubeObject>();
  /** Lists every group given; resolves with the first failure's message, or undefined. */
  const listAll = async (list: ListGroup[], applySetId?: string): Promise<string | undefined> => {
    try {
      await mapLimit(list, concurrency, async (group) => {
        const selector = group.membersOnly ? `${APPLYSET_PART_OF_LABEL}=${applySetId}` : undefined;
        const items = await client.list(group.resource, { namespace: group.namespace, labelSelector: selector });
        for (const item of items) live.set(refKey(group.resource.refOf(item)), item);
      });
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  const planLists = listAll([...groups.values()]);
  const applySet = await applySetRead.catch(async (error: unknown) => {
    await planLists;
    throw error;
  });
  if (!sameInventory(applySet, plan.applySet)) {
    await planLists;
    return everything('the ApplySet parent changed since the plan');
  }

  const pruning = env.prune.enabled && applySet.exists;
  const listedKeys = new Set(groups.keys());
  if (pruning) {
    // Members of kinds the plan holds no object of would be missed by the lists above.
    for (const groupKind of applySet.groupKinds) {
      const { group, kind } = parseGroupKind(groupKind);
      let resource: ResourceRef;
      try {
        resource = await client.discovery.resolveGroupKind(group, kind, `ApplySet ${applySet.name} member kind ${groupKind}`);
      } catch {
        continue;
      }
      const namespaces = resource.namespaced ? [applySet.namespace, ...applySet.additionalNamespaces] : [undefined];
      for (const namespace of namespaces) addGroup(resource, namespace, true);
    }
  }

  // A member-only group whose key the plan's lists already cover was listed in full there.
  const memberLists = listAll([...groups.entries()].filter(([key]) => !listedKeys.has(key)).map(([, group]) => group), applySet.id);
  const failed = (await planLists) ?? (await memberLists);
  if (failed) return everything(`a list failed (${failed})`);

  const planned = new Set(plan.entries.map((e) => refKey(e.ref)));
  if (pruning) {
    for (const [key, object] of live) {
      if (!planned.has(key) && object.metadata.labels?.[APPLYSET_PART_OF_LABEL] === applySet.id) return everything(`a member appeared since the plan (${key})`);
    }
  }

  const moved = (entry: ChangeEntry): boolean =>
    unresolved.has(refKey(entry.ref)) || entry.action === 'error' || live.get(refKey(entry.ref))?.metadata.resourceVersion !== entry.live?.metadata.resourceVersion;

  const entries: (ChangeEntry | undefined)[] = [...plan.entries];
  const replanned: ObjectRef[] = [];
  const again: { entryIndex: number; objectIndex: number }[] = [];
  let memberCount = plan.memberCount;
  let objectIndex = -1;
  plan.entries.forEach((entry, i) => {
    const isObject = entry.action !== 'delete' && entry.desired;
    if (isObject) objectIndex += 1;
    if (!moved(entry)) return;
    replanned.push(entry.ref);
    if (isObject) return void again.push({ entryIndex: i, objectIndex });
    const current = live.get(refKey(entry.ref));
    if (entry.action === 'delete') {
      // Gone meanwhile: nothing to prune. Changed: prune what is there now.
      if (!current) memberCount -= 1;
      entries[i] = current ? pruneEntry(current) : undefined;
    }
  });
  if (again.length > 0) {
    const reader = { get: (ref: ObjectRef) => Promise.resolve(live.get(refKey(ref))) };
    const fresh = await planAgain(client, env, objects, again.map((a) => a.objectIndex), reader, applySet, concurrency);
    again.forEach((a, i) => (entries[a.entryIndex] = fresh[i]));
  }
  return {
    changeSet: { ...plan, entries: entries.filter((e): e is ChangeEntry => e !== undefined), applySet, memberCount },
    replanned,
  };
}

function sameInventory(now: ApplySet, then: ApplySet): boolean {
  return (
    now.exists === then.exists &&
    now.tooling === then.tooling &&
    now.groupKinds.join(',') === then.groupKinds.join(',') &&
    now.additionalNamespaces.join(',') === then.additionalNamespaces.join(',')
  );
}

/** A create of a custom resource whose CRD this render applies first: planned without a dry-run, as it would be again. */
function plannedBehindRenderCrd(entry: ChangeEntry, renderKinds: ReadonlySet<string>): boolean {
  return entry.action === 'create' && !entry.live && renderKinds.has(`${entry.ref.group}/${entry.ref.kind}`);
}
