/**
 * The commit of an environment's last successful (healthy) deploy, kept as an annotation on
 * the environment's ApplySet parent: under the lock a deploy compares its own commit with it
 * (never deploy the past over a newer commit), and a rollback reads it back. Next to it, what
 * deploys since that commit added to the ApplySet: the objects they created
 * (`slipway.dev/created-since-deployed`), which a rollback may delete because they did not
 * exist before, and the existing objects they took in (`slipway.dev/adopted-since-deployed`),
 * which a rollback leaves in place and out of the set again. This file is the only one that
 * reads or writes these annotations.
 *
 * Written with a merge patch under its own field manager rather than as part of the parent's
 * server-side apply: the parent's apply (manager `slipway`) does not list the annotation, and a
 * field owned by another manager is not removed when an applier stops sending it.
 */

import type { EnvironmentConfig } from '../config/types.js';
import { refKey, type ObjectRef } from '../model/objects.js';
import { APPLYSET_PART_OF_LABEL, parentLocation } from './applyset.js';
import type { ClusterChangeSet } from './changeset.js';
import type { KubeClient } from './client.js';
import { KubeApiError } from './errors.js';

export const DEPLOYED_COMMIT_ANNOTATION = 'slipway.dev/deployed-commit';
/** JSON list of `group/Kind/namespace/name` keys (model/objects.ts refKey) of objects created after the recorded commit's deploy. */
export const CREATED_SINCE_ANNOTATION = 'slipway.dev/created-since-deployed';
/** The same for objects that existed and became members after it. */
export const ADOPTED_SINCE_ANNOTATION = 'slipway.dev/adopted-since-deployed';
/** Annotations of one object may hold 256 KiB in all; each list never takes more than this. */
const LIST_MAX_CHARS = 96 * 1024;
/** Field manager of the annotations (see above for why it is not `slipway`). */
export const DEPLOYED_COMMIT_MANAGER = 'slipway-deployed-commit';

type EnvironmentRef = Pick<EnvironmentConfig, 'name' | 'namespace'>;

function parentRef(env: EnvironmentRef): ObjectRef {
  const { name, namespace } = parentLocation(env);
  return { group: '', version: 'v1', kind: 'Secret', namespace, name };
}

/** Keys (refKey) of objects; `truncated`: the list was too long to keep whole, so it misses some. */
export interface ObjectList {
  keys: string[];
  truncated: boolean;
}

export interface DeployRecord {
  /** Commit of the last healthy deploy; undefined when none is recorded. */
  commit?: string;
  /** Objects deploys created since then (a rollback keeps any it cannot find here). */
  created: ObjectList;
  /** Existing objects deploys made members since then. */
  adopted: ObjectList;
}

/** The record, read with one GET of the parent. */
export async function readDeployRecord(client: KubeClient, env: EnvironmentRef): Promise<DeployRecord> {
  const parent = await client.get(parentRef(env));
  const annotations = parent?.metadata.annotations ?? {};
  return {
    commit: annotations[DEPLOYED_COMMIT_ANNOTATION] || undefined,
    created: parseList(annotations[CREATED_SINCE_ANNOTATION]),
    adopted: parseList(annotations[ADOPTED_SINCE_ANNOTATION]),
  };
}

function parseList(text: string | undefined): ObjectList {
  if (!text) return { keys: [], truncated: false };
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) {
      const keys = value.filter((k): k is string => typeof k === 'string' && k !== '...');
      return { keys, truncated: keys.length !== value.length };
    }
  } catch {
    // Edited by hand into something else: treat as incomplete, so a rollback deletes less, never more.
  }
  return { keys: [], truncated: true };
}

function listText(list: ObjectList): string | null {
  if (!list.keys.length && !list.truncated) return null;
  const text = JSON.stringify(list.keys);
  if (text.length <= LIST_MAX_CHARS && !list.truncated) return text;
  const kept: string[] = [];
  let size = 8;
  for (const key of list.keys) {
    size += key.length + 3;
    if (size > LIST_MAX_CHARS) break;
    kept.push(key);
  }
  return JSON.stringify([...kept, '...']);
}

/** What applying `changeSet` adds to the set: objects it creates, and existing ones that are not members yet. */
export function newMembersOf(changeSet: ClusterChangeSet): { created: ObjectRef[]; adopted: ObjectRef[] } {
  const id = changeSet.applySet.id;
  return {
    created: changeSet.entries.filter((e) => e.action === 'create').map((e) => e.ref),
    adopted: changeSet.entries.filter((e) => (e.action === 'update' || e.action === 'unchanged') && e.live && e.live.metadata.labels?.[APPLYSET_PART_OF_LABEL] !== id).map((e) => e.ref),
  };
}

/**
 * Adds what this deploy is about to add to the set to the lists kept since the last healthy
 * deploy, before writing anything: a run that dies halfway still leaves them listed. No request
 * when nothing is new, or no commit is recorded (nothing to roll back to, maybe no parent yet).
 */
export async function noteNewMembers(client: KubeClient, env: EnvironmentRef, record: DeployRecord, members: { created: readonly ObjectRef[]; adopted: readonly ObjectRef[] }): Promise<void> {
  if (!record.commit) return;
  const grow = (list: ObjectList, refs: readonly ObjectRef[]): ObjectList | undefined => {
    const known = new Set(list.keys);
    const added = [...new Set(refs.map(refKey))].filter((key) => !known.has(key));
    return added.length ? { keys: [...list.keys, ...added], truncated: list.truncated } : undefined;
  };
  const created = grow(record.created, members.created);
  const adopted = grow(record.adopted, members.adopted);
  if (!created && !adopted) return;
  const annotations: Record<string, string | null> = {};
  if (created) annotations[CREATED_SINCE_ANNOTATION] = listText(created);
  if (adopted) annotations[ADOPTED_SINCE_ANNOTATION] = listText(adopted);
  await patchAnnotations(client, env, annotations);
  if (created) record.created = created;
  if (adopted) record.adopted = adopted;
}

/** Sets both lists (what a rollback left listed); an empty one is removed. */
export async function writeNewMembers(client: KubeClient, env: EnvironmentRef, lists: { created: ObjectList; adopted: ObjectList }): Promise<void> {
  await patchAnnotations(client, env, { [CREATED_SINCE_ANNOTATION]: listText(lists.created), [ADOPTED_SINCE_ANNOTATION]: listText(lists.adopted) });
}

/**
 * Records `commit` as deployed. Returns false (and writes nothing) when the parent does not
 * exist: a deploy that wrote no parent has no inventory to attach the record to.
 */
export async function recordDeployedCommit(client: KubeClient, env: EnvironmentRef, commit: string): Promise<boolean> {
  // What deploys added since the previous record is now part of a healthy deploy.
  return patchAnnotations(client, env, { [DEPLOYED_COMMIT_ANNOTATION]: commit, [CREATED_SINCE_ANNOTATION]: null, [ADOPTED_SINCE_ANNOTATION]: null });
}

async function patchAnnotations(client: KubeClient, env: EnvironmentRef, annotations: Record<string, string | null>): Promise<boolean> {
  const ref = parentRef(env);
  const resource = await client.discovery.resolve(ref);
  try {
    await client.request({
      method: 'PATCH',
      path: resource.objectPath(ref.namespace, ref.name),
      query: { fieldManager: DEPLOYED_COMMIT_MANAGER },
      body: { metadata: { annotations } },
      contentType: 'application/merge-patch+json',
      subject: `ApplySet parent Secret/${ref.namespace}/${ref.name}`,
    });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}
