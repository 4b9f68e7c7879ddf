/**
 * Rolling an environment back to its last healthy deploy: under the environment's lock, the
 * render of the recorded commit is applied with server-side apply like any deploy, except for
 * what it prunes. Members of the ApplySet that the old render does not have are deleted only
 * when a deploy since the recorded one created them (they are listed on the parent, see
 * deployed-commit.ts); anything that existed before stays. An existing object that a deploy
 * since made a member is also taken out of the set again, so a later deploy does not prune what
 * Slipway never created. The recorded commit is not moved: it already names what runs after a
 * rollback.
 */

import type { EnvironmentConfig } from '../config/types.js';
import type { ChangeEntry } from '../model/changeset.js';
import type { ObjectRef, RenderedObject } from '../model/objects.js';
import { refKey } from '../model/objects.js';
import { errorMessage } from '../model/errors.js';
import { applyChangeSet } from './apply.js';
import { removeMemberLabel } from './applyset.js';
import { buildChangeSet, type ClusterChangeSet } from './changeset.js';
import type { KubeClient } from './client.js';
import { readDeployRecord, writeNewMembers } from './deployed-commit.js';
import { withEnvironmentLock, type LockOptions } from './lock.js';
import type { ObjectResult } from './results.js';

/** Why a member the old render lacks is left in place. */
export const KEPT_EXISTED_BEFORE = 'kept: it existed before the failed deploy, which did not create it';

export interface RollbackRequest<Health> {
  /** The commit whose render `objects` is; must still be the recorded one under the lock. */
  commit: string;
  objects: readonly RenderedObject[];
  lock: Omit<LockOptions, 'environment'>;
  forcePrune?: boolean;
  /** Waits for the applied objects (the deploy's own wait, so progress and diagnosis read the same). */
  wait?: (refs: ObjectRef[], signal: AbortSignal) => Promise<Health>;
  /** Whether `wait`'s answer is healthy. */
  healthy: (health: Health) => boolean;
}

export type RollbackApplied<Health> =
  | { state: 'applied'; changeSet: ClusterChangeSet; results: ObjectResult[]; pruneSkipped?: string; health?: Health; healthy: boolean; kept: ObjectRef[]; pruned: ObjectRef[] }
  /** Another deploy recorded a newer healthy commit since the render was made: nothing was applied. */
  | { state: 'superseded'; recorded?: string };

export async function rollbackEnvironment<Health>(client: KubeClient, env: EnvironmentConfig, request: RollbackRequest<Health>): Promise<RollbackApplied<Health>> {
  return withEnvironmentLock(client, { ...request.lock, environment: env.name }, async (lock) => {
    const record = await readDeployRecord(client, env);
    if (record.commit !== request.commit) return { state: 'superseded', recorded: record.commit };
    const planned = await buildChangeSet(client, env, request.objects, { prune: env.prune.enabled });
    const { changeSet, kept } = keepWhatExistedBefore(planned, new Set(record.created.keys));
    // The share guard is for renders that lost objects by mistake; these candidates were created by a failed deploy moments ago.
    const result = await applyChangeSet(client, env, changeSet, { forcePrune: true, signal: lock.signal });
    const results = result.results.map((r) => (kept.some((k) => refKey(k) === refKey(r.ref)) ? { ...r, message: KEPT_EXISTED_BEFORE } : r));
    const pruned = results.filter((r) => r.outcome === 'deleted').map((r) => r.ref);
    const adopted = new Set(record.adopted.keys);
    const detached: ObjectRef[] = [];
    for (const ref of kept.filter((k) => adopted.has(refKey(k)))) {
      try {
        await removeMemberLabel(client, ref);
        detached.push(ref);
      } catch (error) {
        const i = results.findIndex((r) => refKey(r.ref) === refKey(ref));
        if (i >= 0) results[i] = { ...results[i]!, outcome: 'failed', message: `kept, but could not be taken out of the ApplySet: ${errorMessage(error)}` };
      }
    }
    // Still listed: created objects whose deletion failed (or was not attempted), adopted ones still members.
    const settled = new Set([...pruned, ...detached, ...changeSet.entries.filter((e) => e.action !== 'delete').map((e) => e.ref)].map(refKey));
    const lists = { created: { ...record.created, keys: record.created.keys.filter((k) => !settled.has(k)) }, adopted: { ...record.adopted, keys: record.adopted.keys.filter((k) => !settled.has(k)) } };
    if (lists.created.keys.length !== record.created.keys.length || lists.adopted.keys.length !== record.adopted.keys.length) await writeNewMembers(client, env, lists);
    const failed = results.some((r) => r.outcome === 'failed') || result.pruneRefused === true;
    if (failed || !request.wait || !env.wait.enabled) return { state: 'applied', changeSet, results, pruneSkipped: result.pruneSkipped, healthy: !failed, kept, pruned };
    const refs = results.filter((r) => r.outcome === 'applied' || r.outcome === 'unchanged').map((r) => r.ref);
    const health = await request.wait(refs, lock.signal);
    return { state: 'applied', changeSet, results, pruneSkipped: result.pruneSkipped, health, healthy: request.healthy(health), kept, pruned };
  });
}

/**
 * The change set with prune candidates split: those a deploy since the recorded one created
 * stay candidates; the rest are kept (marked protected, so they also stay in the ApplySet's span).
 */
export function keepWhatExistedBefore(changeSet: ClusterChangeSet, created: ReadonlySet<string>): { changeSet: ClusterChangeSet; kept: ObjectRef[] } {
  const kept: ObjectRef[] = [];
  const entries = changeSet.entries.map((entry): ChangeEntry => {
    if (entry.action !== 'delete' || entry.pruneProtected || created.has(refKey(entry.ref))) return entry;
    kept.push(entry.ref);
    return { ...entry, pruneProtected: true, message: KEPT_EXISTED_BEFORE };
  });
  return { changeSet: { ...changeSet, entries }, kept };
}
