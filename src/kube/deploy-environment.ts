/**
 * One environment's deploy against its cluster, in order: take the environment's lock, check that
 * the commit is not older than the one deployed, plan again what moved since the plan, apply in
 * stages (the ApplySet parent first), prune, wait for health, record the commit. A change set with
 * nothing to write takes no lock and writes nothing: only the wait runs, so a re-run writes nothing.
 */
import type { EnvironmentConfig } from '../config/types.js';
import { hasChanges, type ChangeSet } from '../model/changeset.js';
import { errorMessage } from '../model/errors.js';
import type { HealthResult } from '../model/health.js';
import type { KubeObject, ObjectRef } from '../model/objects.js';
import { applyChangeSet } from './apply.js';
import { applySetParent } from './applyset.js';
import { buildChangeSet, type ClusterChangeSet } from './changeset.js';
import type { KubeClient } from './client.js';
import { newMembersOf, noteNewMembers, readDeployRecord, recordDeployedCommit } from './deployed-commit.js';
import { withEnvironmentLock } from './lock.js';
import { replanChanged } from './replan.js';
import { noApplyOutcome, summariseApply, type ApplyOutcome } from './results.js';
import type { Clock } from './wait-api.js';
import { progressReporter } from './wait-progress.js';
import { watchForHealth } from './wait-watch.js';
import { resolveWaitTargets } from './wait.js';

/** Namespace of the per-environment Lease: `default` exists on every cluster, even before an environment's own namespace does. */
export const LOCK_NAMESPACE = 'default';

export interface DeployRevision {
  /** Full SHA of the commit being deployed. */
  commit: string;
  /** Whether `recorded` (the commit of the environment's last healthy deploy) descends from `commit`: applying would deploy the past. */
  isSupersededBy(recorded: string): Promise<boolean>;
}

export interface DeployOptions {
  timeoutMs: number;
  /** Who holds the environment lock: unique per process and readable (src/kube/lock-holder.ts). */
  holder: string;
  forcePrune: boolean;
  /** Cancels the deploy (SIGTERM/SIGINT at the entry): the lock is released at once. */
  signal?: AbortSignal;
  /** The commit being deployed: compared under the lock with the last healthy deploy's, and recorded when healthy. */
  revision?: DeployRevision;
}

/** Where the deploy says what it is doing (the flows' log). */
export interface DeployNotices {
  info(message: string): void;
  warning(message: string): void;
}

export interface DeployContext {
  log: DeployNotices;
  /** Time as health waits see it (the system clock; tests step one). */
  clock: Clock;
}

export interface DeployOutcome {
  apply: ApplyOutcome;
  health?: HealthResult;
  /** What was applied, when that differs from the plan passed in (planned again under the lock). */
  changeSet?: ChangeSet;
  /** The ApplySet parent that lists the environment's objects (absent when the plan was not made against a cluster and nothing was written). */
  applySetParent?: ObjectRef;
  /** Why nothing was pruned, when prune did not run. */
  pruneSkipped?: string;
  /** Set when nothing was applied because the environment already runs this newer commit (a descendant of ours). */
  newerCommit?: string;
}

export async function deployEnvironment(client: KubeClient, env: EnvironmentConfig, changeSet: ChangeSet, options: DeployOptions, context: DeployContext): Promise<DeployOutcome> {
  const notices = context.log;
  const parent = isClusterChangeSet(changeSet) ? { applySetParent: applySetParent(changeSet.applySet) } : {};
  if (!hasChanges(changeSet)) {
    const apply = noApplyOutcome(changeSet.entries.length);
    if (!env.wait.enabled) return { apply, ...parent };
    return { apply, ...parent, health: await waitUntilHealthy(client, env.name, changeSet.entries.map((e) => e.ref), { timeoutMs: options.timeoutMs }, context) };
  }
  return withEnvironmentLock(
    client,
    {
      environment: env.name,
      namespace: LOCK_NAMESPACE,
      holder: options.holder,
      waitTimeoutMs: options.timeoutMs,
      signal: options.signal,
      onWait: (holder) => notices.info(`${env.name}: waiting for the deploy lock held by ${holder.identity}`),
      onWarning: (message) => notices.warning(`${env.name}: ${message}`),
    },
    async (lock) => {
      // The Lease orders applies, not commits: a run holding an older commit may get it last.
      const { revision } = options;
      const record = revision ? await readDeployRecord(client, env) : undefined;
      const recorded = record?.commit;
      if (recorded && revision && recorded !== revision.commit && (await revision.isSupersededBy(recorded))) {
        return { apply: noApplyOutcome(), ...parent, newerCommit: recorded };
      }
      const planned = await planUnderLock(client, env, changeSet, notices);
      // Listed before they exist: what a rollback may delete (src/kube/rollback.ts).
      if (record) await noteNewMembers(client, env, record, newMembersOf(planned));
      const applied = await applyChangeSet(client, env, planned, { forcePrune: options.forcePrune, signal: lock.signal });
      const apply = summariseApply(applied.results);
      const result = { apply, changeSet: planned, applySetParent: applySetParent(planned.applySet), ...(applied.pruneSkipped ? { pruneSkipped: applied.pruneSkipped } : {}) };
      // A refused prune fails the deploy, on the object that guards the set.
      if (applied.pruneRefused) apply.failed.push({ ref: result.applySetParent, message: applied.pruneSkipped ?? 'prune refused' });
      if (apply.failed.length > 0) return result;
      const refs = applied.results.filter((r) => r.outcome === 'applied' || r.outcome === 'unchanged').map((r) => r.ref);
      const health = env.wait.enabled ? await waitUntilHealthy(client, env.name, refs, { timeoutMs: options.timeoutMs, signal: lock.signal }, context) : undefined;
      if (revision && revision.commit !== recorded && (!health || health.healthy)) await recordRevision(client, env, revision.commit, notices);
      return health ? { ...result, health } : result;
    },
  );
}

/**
 * Planned before the lock: another deploy may have written since. Plans again under it what
 * moved since the plan (one LIST per kind and namespace shows what did); a plan not made
 * against this cluster is made again in full.
 */
async function planUnderLock(client: KubeClient, env: EnvironmentConfig, changeSet: ChangeSet, notices: DeployNotices): Promise<ClusterChangeSet> {
  const { changeSet: planned, replanned, fullReplan } = isClusterChangeSet(changeSet)
    ? await replanChanged(client, env, changeSet)
    : {
        changeSet: await buildChangeSet(client, env, changeSet.entries.filter((e) => e.action !== 'delete' && e.desired).map((e) => ({ object: e.desired as KubeObject, source: e.source })), { prune: env.prune.enabled }),
        replanned: [],
        fullReplan: 'the plan was not made against this cluster',
      };
  if (fullReplan) notices.info(`${env.name}: planned again under the lock: ${fullReplan}`);
  else if (replanned.length > 0) notices.info(`${env.name}: planned again under the lock: ${replanned.length} object(s) changed since the plan`);
  return planned;
}

/** A deploy that is healthy stays so when its record cannot be written: that only weakens the next run's check. */
async function recordRevision(client: KubeClient, env: EnvironmentConfig, commit: string, notices: DeployNotices): Promise<void> {
  try {
    await recordDeployedCommit(client, env, commit);
  } catch (error) {
    notices.warning(`${env.name}: could not record the deployed commit ${commit} on the ApplySet parent: ${errorMessage(error)}`);
  }
}

/** Waits for the objects to become healthy, with a progress line in the log now and then. */
export async function waitUntilHealthy(client: KubeClient, environment: string, refs: readonly ObjectRef[], wait: { timeoutMs: number; signal?: AbortSignal }, context: DeployContext): Promise<HealthResult> {
  const targets = await resolveWaitTargets(client.discovery, refs);
  const progress = progressReporter(context.clock, (line) => context.log.info(`${environment}: waiting: ${line}`));
  const { healthy, timedOut, failing } = await watchForHealth(client, targets, { timeoutMs: wait.timeoutMs, signal: wait.signal, clock: context.clock, onProgress: (objects) => progress(objects) });
  return { healthy, timedOut, failing };
}

function isClusterChangeSet(changeSet: ChangeSet): changeSet is ClusterChangeSet {
  return changeSet.mode === 'cluster' && 'applySet' in changeSet;
}
