/**
 * Deleting what Git no longer has, with guard rails: never on an empty render (a broken
 * render must not wipe an environment), never more than the configured share of the
 * inventory unless forced, never an object annotated `slipway.dev/prune: disabled`; in
 * reverse stage order so webhooks go first and Namespaces and CRDs last.
 */

import type { EnvironmentConfig } from '../config/types.js';
import type { ChangeEntry } from '../model/changeset.js';
import { UserError } from '../model/errors.js';
import type { ClusterChangeSet } from './changeset.js';
import { explainError, PRUNE_ANNOTATION } from './changeset.js';
import type { KubeClient } from './client.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../model/concurrency.js';
import type { ObjectResult } from './results.js';
import { groupByStage } from './stages.js';

export class PruneRefusedError extends UserError {
  constructor(message: string, hint: string) {
    super(message, hint);
    this.name = 'PruneRefusedError';
  }
}

export interface PruneOptions {
  /** Override the share guard (never the empty-render guard). */
  force?: boolean;
  dryRun?: boolean;
  concurrency?: number;
}

/** Throws PruneRefusedError when a guard rail forbids pruning this change set. */
export function checkPruneGuards(changeSet: ClusterChangeSet, env: Pick<EnvironmentConfig, 'name' | 'prune'>, force = false): void {
  const candidates = changeSet.entries.filter((e) => e.action === 'delete' && !e.pruneProtected);
  if (candidates.length === 0) return;
  const rendered = changeSet.entries.filter((e) => e.action !== 'delete').length;
  if (rendered === 0) {
    throw new PruneRefusedError(
      `Environment "${env.name}": the render is empty, so pruning would delete all ${candidates.length} objects of the inventory; refused.`,
      'An empty render is almost always a broken path or template. Fix the render; to tear the environment down, delete its objects and the ApplySet parent explicitly.',
    );
  }
  const total = Math.max(changeSet.memberCount, candidates.length);
  const share = candidates.length / total;
  if (share > env.prune.maxShare && !force) {
    throw new PruneRefusedError(
      `Environment "${env.name}": pruning would delete ${candidates.length} of ${total} objects (${Math.round(share * 100)}%), more than the allowed ${Math.round(env.prune.maxShare * 100)}%; refused.`,
      `Check the change set. If the deletion is intended, run \`slipway apply --env ${env.name} --force-prune\`, or raise prune.maxShare for environment "${env.name}" in slipway.yaml.`,
    );
  }
}

/** Deletes the change set's prune candidates, webhooks first and definitions last, with background propagation. */
export async function pruneObjects(
  client: KubeClient,
  changeSet: ClusterChangeSet,
  env: Pick<EnvironmentConfig, 'name' | 'prune' | 'forceConflicts'>,
  options: PruneOptions = {},
): Promise<ObjectResult[]> {
  checkPruneGuards(changeSet, env, options.force);
  const deletions = changeSet.entries.filter((e) => e.action === 'delete');
  const results: ObjectResult[] = [];
  for (const { items } of groupByStage(deletions, (e) => e.ref).reverse()) {
    const stageResults = await mapLimit([...items].reverse(), options.concurrency ?? DEFAULT_CONCURRENCY, (entry) =>
      deleteOne(client, entry, env, options),
    );
    results.push(...stageResults);
  }
  return results;
}

async function deleteOne(
  client: KubeClient,
  entry: ChangeEntry,
  env: Pick<EnvironmentConfig, 'forceConflicts'>,
  options: PruneOptions,
): Promise<ObjectResult> {
  const started = performance.now();
  const done = (outcome: ObjectResult['outcome'], message?: string): ObjectResult => ({
    ref: entry.ref,
    action: 'delete',
    outcome,
    message,
    durationMs: Math.round(performance.now() - started),
  });
  if (entry.pruneProtected) return done('kept', `annotated ${PRUNE_ANNOTATION}: disabled`);
  if (options.dryRun) return done('skipped', 'dry run');
  try {
    const existed = await client.delete(entry.ref, { propagationPolicy: 'Background' });
    return done('deleted', existed ? undefined : 'already gone');
  } catch (error) {
    return done('failed', explainError(error, entry.ref, undefined, [entry.live], env));
  }
}
