/**
 * Carries out a change set: records the ApplySet's span on its parent, server-side applies
 * what changed stage by stage (definitions, then resources, then webhooks), prunes, and trims
 * the parent. An `unchanged` object gets no request at all, so a re-run writes nothing and
 * no resourceVersion moves.
 */

import type { EnvironmentConfig } from '../config/types.js';
import type { ChangeEntry } from '../model/changeset.js';
import type { KubeObject, ObjectRef } from '../model/objects.js';
import { refKey } from '../model/objects.js';
import { type ApplySet, spanOf, withMemberLabel, writeApplySet } from './applyset.js';
import { type ClusterChangeSet, explainError, isImmutableError, placeObject, RECREATE_ANNOTATION, wantsRecreate } from './changeset.js';
import { FIELD_MANAGER, type KubeClient } from './client.js';
import { DEFAULT_CONCURRENCY, mapLimit } from '../model/concurrency.js';
import { KubeApiError } from './errors.js';
import { describeTaken, fieldsTaken } from './ownership.js';
import { PruneRefusedError, pruneObjects } from './prune.js';
import type { ApplyResult, ObjectResult } from './results.js';
import { sleep } from './retry.js';
import { groupByStage, hookWaves } from './stages.js';
import { computeStatus } from './status.js';
import { safeMessage, subjectOf } from './subject.js';

export interface ApplyChangeSetOptions {
  /** Server-side dry-run every write (nothing persists). */
  dryRun?: boolean;
  /** Delete prune candidates (default: env.prune.enabled). */
  prune?: boolean;
  /** Override the prune share guard. */
  forcePrune?: boolean;
  concurrency?: number;
  /** How long CRDs may take to become Established, and recreated objects to disappear. */
  settleTimeoutMs?: number;
  pollIntervalMs?: number;
  /** Stops before the next wave of writes and before pruning (the deploy lock was lost, or the run cancelled). */
  signal?: AbortSignal;
}

export async function applyChangeSet(
  client: KubeClient,
  env: EnvironmentConfig,
  changeSet: ClusterChangeSet,
  options: ApplyChangeSetOptions = {},
): Promise<ApplyResult> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const defaultNamespace = env.namespace || client.contextNamespace || 'default';
  const results: ObjectResult[] = [];
  const members = changeSet.entries.filter((e) => e.action !== 'delete' && e.action !== 'error');
  const writes = members.filter((e) => e.action === 'create' || e.action === 'update');

  for (const entry of changeSet.entries) {
    if (entry.action === 'unchanged') results.push({ ref: entry.ref, action: 'unchanged', outcome: 'unchanged', durationMs: 0 });
    if (entry.action === 'error') results.push({ ref: entry.ref, action: 'error', outcome: 'failed', message: entry.message, durationMs: 0 });
  }

  // The parent must list every kind before members carrying its label exist, so an
  // interrupted run can still find (and prune) them.
  const kept = changeSet.entries.filter((e) => e.action === 'delete');
  let applySet = changeSet.applySet;
  const superset = unionSpan(applySet, spanOf([...members, ...kept].map((e) => e.ref), applySet.namespace));
  applySet = await writeParent(client, env, applySet, superset, writes, defaultNamespace, options, results);

  for (const { stage, items } of groupByStage(writes, (e) => e.ref)) {
    // Helm hooks go after the rest of their stage, wave by wave; results keep the order applied.
    const waves = hookWaves(items, (e) => e.desired);
    const stageResults: ObjectResult[] = [];
    for (const wave of waves) {
      options.signal?.throwIfAborted();
      stageResults.push(...(await mapLimit(wave, concurrency, (entry) => applyEntry(client, env, entry, defaultNamespace, applySet.id, options))));
    }
    results.push(...stageResults);
    if (stage === 'definitions' && !options.dryRun) {
      const crds = waves.flat().filter((e, i) => e.ref.kind === 'CustomResourceDefinition' && stageResults[i].outcome === 'applied');
      if (crds.length) {
        await waitForCrds(client, crds, stageResults, options);
        client.discovery.invalidate();
      }
    }
  }

  const failed = results.some((r) => r.outcome === 'failed');
  let pruneSkipped: string | undefined;
  let pruneRefused = false;
  const pruneWanted = options.prune ?? env.prune.enabled;
  if (!pruneWanted) pruneSkipped = kept.length ? 'prune is disabled for this environment' : undefined;
  else if (failed && kept.length) pruneSkipped = 'some objects failed to apply; nothing was pruned';
  else if (kept.length) {
    options.signal?.throwIfAborted();
    try {
      const pruned = await pruneObjects(client, changeSet, env, { force: options.forcePrune, dryRun: options.dryRun, concurrency });
      results.push(...pruned);
      if (!pruned.some((r) => r.outcome === 'failed')) {
        const survivors = kept.filter((e) => e.pruneProtected).map((e) => e.ref);
        const span = spanOf([...members.map((e) => e.ref), ...survivors], applySet.namespace);
        if (!options.dryRun) applySet = await writeApplySet(client, applySet, span);
      }
    } catch (error) {
      if (!(error instanceof PruneRefusedError)) throw error;
      pruneSkipped = error.message;
      pruneRefused = true;
    }
  }
  if (!kept.length && pruneWanted && !failed && !options.dryRun) {
    // Nothing to prune: trim kinds no member uses any more (no request when already exact).
    await writeApplySet(client, applySet, spanOf(members.map((e) => e.ref), applySet.namespace));
  }
  return { results: sortResults(results, changeSet.entries), ok: !results.some((r) => r.outcome === 'failed') && !pruneRefused, pruneSkipped, pruneRefused };
}

function unionSpan(set: ApplySet, span: { groupKinds: string[]; additionalNamespaces: string[] }): { groupKinds: string[]; additionalNamespaces: string[] } {
  return {
    groupKinds: [...new Set([...set.groupKinds, ...span.groupKinds])],
    additionalNamespaces: [...new Set([...set.additionalNamespaces, ...span.additionalNamespaces])],
  };
}

/** Writes the parent; when its namespace is itself in the render and missing, applies that Namespace first. */
async function writeParent(
  client: KubeClient,
  env: EnvironmentConfig,
  set: ApplySet,
  span: { groupKinds: string[]; additionalNamespaces: string[] },
  writes: ChangeEntry[],
  defaultNamespace: string,
  options: ApplyChangeSetOptions,
  results: ObjectResult[],
): Promise<ApplySet> {
  try {
    return await writeApplySet(client, set, span, { dryRun: options.dryRun });
  } catch (error) {
    const namespaceEntry = writes.find((e) => e.ref.kind === 'Namespace' && e.ref.group === '' && e.ref.name === set.namespace);
    if (!(error instanceof KubeApiError && error.status === 404 && namespaceEntry)) throw error;
    const result = await applyEntry(client, env, namespaceEntry, defaultNamespace, set.id, options);
    if (result.outcome === 'failed') {
      results.push(result);
      throw new Error(result.message);
    }
    return writeApplySet(client, set, span);
  }
}

async function applyEntry(
  client: KubeClient,
  env: EnvironmentConfig,
  entry: ChangeEntry,
  defaultNamespace: string,
  applySetIdValue: string,
  options: ApplyChangeSetOptions,
): Promise<ObjectResult> {
  const started = performance.now();
  const subject = subjectOf(entry.ref, entry.source);
  const result = (outcome: ObjectResult['outcome'], message?: string, extra: Partial<ObjectResult> = {}): ObjectResult => ({
    ref: entry.ref,
    action: entry.action,
    outcome,
    message,
    durationMs: Math.round(performance.now() - started),
    ...extra,
  });
  let desired: KubeObject | undefined = entry.desired;
  try {
    if (!desired) return result('failed', `${subject}: nothing to apply`);
    // Objects planned behind a CRD were not placed yet: their kind is only now served.
    const resource = await client.discovery.resolveObject(desired, subject);
    desired = withMemberLabel(placeObject(desired, resource, defaultNamespace), applySetIdValue);
    const apply = (): Promise<KubeObject> => client.apply(desired!, { dryRun: options.dryRun, force: env.forceConflicts, subject });
    let applied: KubeObject;
    let recreated = false;
    try {
      applied = await apply();
    } catch (error) {
      if (!(isImmutableError(error) && wantsRecreate(desired) && !options.dryRun)) throw error;
      await client.delete(entry.ref, { propagationPolicy: 'Foreground', subject });
      await waitUntilGone(client, entry.ref, options);
      applied = await apply();
      recreated = true;
    }
    const taken = entry.live && env.forceConflicts && !recreated ? fieldsTaken(entry.live, applied, FIELD_MANAGER) : [];
    const notes = [
      recreated ? `deleted and recreated (${RECREATE_ANNOTATION}: enabled)` : undefined,
      taken.length ? `took fields from other managers: ${describeTaken(taken)}` : undefined,
    ].filter(Boolean);
    return result('applied', notes.length ? safeMessage(notes.join('; '), [desired]) : undefined, taken.length ? { takenFields: taken } : {});
  } catch (error) {
    return result('failed', explainError(error, entry.ref, entry.source, [entry.desired, desired, entry.live], env));
  }
}

/** Polls each applied CRD until Established (kstatus: Current); marks it failed when kstatus says Failed or the timeout passes. */
async function waitForCrds(client: KubeClient, crds: ChangeEntry[], stageResults: ObjectResult[], options: ApplyChangeSetOptions): Promise<void> {
  const deadline = Date.now() + (options.settleTimeoutMs ?? 60_000);
  const interval = options.pollIntervalMs ?? 250;
  await Promise.all(
    crds.map(async (entry) => {
      const fail = (message: string) => {
        const result = stageResults.find((r) => refKey(r.ref) === refKey(entry.ref));
        if (result) {
          result.outcome = 'failed';
          result.message = message;
        }
      };
      for (;;) {
        const live = await client.get(entry.ref);
        const health = live ? computeStatus(live) : undefined;
        if (health?.status === 'Current') return;
        if (health?.status === 'Failed') return fail(`${subjectOf(entry.ref, entry.source)}: applied, but not accepted: ${health.message}`);
        if (Date.now() > deadline) {
          return fail(`${subjectOf(entry.ref, entry.source)}: applied, but not Established within ${Math.round((options.settleTimeoutMs ?? 60_000) / 1000)} s; check its status conditions (kubectl describe crd ${entry.ref.name}).`);
        }
        await sleep(interval);
      }
    }),
  );
}

async function waitUntilGone(client: KubeClient, ref: ObjectRef, options: ApplyChangeSetOptions): Promise<void> {
  const deadline = Date.now() + (options.settleTimeoutMs ?? 60_000);
  while (await client.get(ref)) {
    if (Date.now() > deadline) {
      throw new Error(`${subjectOf(ref)}: deleted for recreation but still present after ${Math.round((options.settleTimeoutMs ?? 60_000) / 1000)} s (finalizers?); recreate it by hand.`);
    }
    await sleep(options.pollIntervalMs ?? 250);
  }
}

/** Results in the change set's order, so reports read the same way every run. */
function sortResults(results: ObjectResult[], entries: readonly ChangeEntry[]): ObjectResult[] {
  const order = new Map(entries.map((e, i) => [refKey(e.ref), i]));
  return [...results].sort((a, b) => (order.get(refKey(a.ref)) ?? 0) - (order.get(refKey(b.ref)) ?? 0));
}
