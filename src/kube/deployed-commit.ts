/**
 * The commit of an environment's last successful (healthy) deploy, kept as an annotation on
 * the environment's ApplySet parent: under the lock a deploy compares its own commit with it
 * (never deploy the past over a newer commit), and a rollback reads it back. Next to it, the
 * objects that deploys created since that commit (`slipway.dev/created-since-deployed`): what a
 * rollback may delete, because they did not exist before. This file is the only one that reads
 * or writes either annotation.
 *
 * Written with a merge patch under its own field manager rather than as part of the parent's
 * server-side apply: the parent's apply (manager `slipway`) does not list the annotation, and a
 * field owned by another manager is not removed when an applier stops sending it.
 */

import type { EnvironmentConfig } from '../config/types.js';
import { refKey, type ObjectRef } from '../model/objects.js';
import { parentLocation } from './applyset.js';
import type { KubeClient } from './client.js';
import { KubeApiError } from './errors.js';

export const DEPLOYED_COMMIT_ANNOTATION = 'slipway.dev/deployed-commit';
/** JSON list of `group/Kind/namespace/name` keys (model/objects.ts refKey) of objects created after the recorded commit's deploy. */
export const CREATED_SINCE_ANNOTATION = 'slipway.dev/created-since-deployed';
/** Annotations of one object may hold 256 KiB in all; the list never takes more than this. */
const CREATED_SINCE_MAX_CHARS = 128 * 1024;
/** Field manager of the annotation (see above for why it is not `slipway`). */
export const DEPLOYED_COMMIT_MANAGER = 'slipway-deployed-commit';

type EnvironmentRef = Pick<EnvironmentConfig, 'name' | 'namespace'>;

function parentRef(env: EnvironmentRef): ObjectRef {
  const { name, namespace } = parentLocation(env);
  return { group: '', version: 'v1', kind: 'Secret', namespace, name };
}

export interface DeployRecord {
  /** Commit of the last healthy deploy; undefined when none is recorded. */
  commit?: string;
  /** Keys (refKey) of the objects deploys created since then. */
  createdSince: string[];
  /** The list was too long to keep whole: objects missing from it are kept by a rollback. */
  createdSinceTruncated: boolean;
}

/** Both annotations, read with one GET of the parent. */
export async function readDeployRecord(client: KubeClient, env: EnvironmentRef): Promise<DeployRecord> {
  const parent = await client.get(parentRef(env));
  const annotations = parent?.metadata.annotations ?? {};
  const { keys, truncated } = parseCreated(annotations[CREATED_SINCE_ANNOTATION]);
  return { commit: annotations[DEPLOYED_COMMIT_ANNOTATION] || undefined, createdSince: keys, createdSinceTruncated: truncated };
}

function parseCreated(text: string | undefined): { keys: string[]; truncated: boolean } {
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

/**
 * Adds `refs` (objects this deploy is about to create) to the list kept since the last healthy
 * deploy, before they are created: a run that dies halfway still leaves them listed. No request
 * when there is nothing new to list or no parent yet (no recorded commit: nothing to roll back to).
 */
export async function noteCreatedObjects(client: KubeClient, env: EnvironmentRef, record: DeployRecord, refs: readonly ObjectRef[]): Promise<void> {
  if (!record.commit) return;
  const known = new Set(record.createdSince);
  const added = refs.map(refKey).filter((key) => !known.has(key));
  if (added.length === 0) return;
  const keys = [...record.createdSince, ...added];
  let text = JSON.stringify(keys);
  if (text.length > CREATED_SINCE_MAX_CHARS || record.createdSinceTruncated) {
    const kept: string[] = [];
    let size = 8;
    for (const key of keys) {
      size += key.length + 3;
      if (size > CREATED_SINCE_MAX_CHARS) break;
      kept.push(key);
    }
    text = JSON.stringify([...kept, '...']);
  }
  await patchAnnotations(client, env, { [CREATED_SINCE_ANNOTATION]: text });
  record.createdSince = keys;
}

/** Sets the list to `keys` (what a rollback could not delete); removes it when empty. */
export async function writeCreatedObjects(client: KubeClient, env: EnvironmentRef, keys: readonly string[]): Promise<void> {
  await patchAnnotations(client, env, { [CREATED_SINCE_ANNOTATION]: keys.length ? JSON.stringify(keys) : null });
}

/**
 * Records `commit` as deployed. Returns false (and writes nothing) when the parent does not
 * exist: a deploy that wrote no parent has no inventory to attach the record to.
 */
export async function recordDeployedCommit(client: KubeClient, env: EnvironmentRef, commit: string): Promise<boolean> {
  // What was created since the previous record is now part of a healthy deploy.
  return patchAnnotations(client, env, { [DEPLOYED_COMMIT_ANNOTATION]: commit, [CREATED_SINCE_ANNOTATION]: null });
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
