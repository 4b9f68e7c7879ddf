/**
 * The real implementations behind the flow ports: rendering (src/render), validation
 * (src/validate), the cluster engine (src/kube) and the render-diff change set. One place wires
 * I/O to the flows, so the flows stay testable and the edges stay visible.
 */
import type { EnvironmentConfig, PipelineConfig } from '../config/types.js';
import { changeSetFromRenders } from '../changeset/from-renders.js';
import { Git } from '../exec/git.js';
import type { CommandRunner } from '../exec/run.js';
import { applyChangeSet } from '../kube/apply.js';
import { buildChangeSet, type ClusterChangeSet } from '../kube/changeset.js';
import { KubeClient } from '../kube/client.js';
import { KubeconfigUnreadableError, loadKubeConfig, NoKubeconfigError, readKubeconfig } from '../kube/connection.js';
import { noteCreatedObjects, readDeployRecord, recordDeployedCommit } from '../kube/deployed-commit.js';
import { rollbackEnvironment } from '../kube/rollback.js';
import { withEnvironmentLock } from '../kube/lock.js';
import { replanChanged } from '../kube/replan.js';
import { resolveWaitTargets } from '../kube/wait.js';
import { watchForHealth } from '../kube/wait-watch.js';
import { progressReporter } from '../kube/wait-progress.js';
import { type Clock, systemClock } from '../kube/wait-api.js';
import { hasChanges, type ChangeSet } from '../model/changeset.js';
import { errorMessage, UserError } from '../model/errors.js';
import type { KubeObject, ObjectRef } from '../model/objects.js';
import { CommitTrees } from '../render/commit-trees.js';
import { renderEnvironment } from '../render/render.js';
import { collectCrdSchemas, ExternalSchemas, fileSystemSchemaReader, validateObjects } from '../validate/index.js';
import type { Log } from './log.js';
import type { ApplyOutcome, ClusterPort, ClusterSession, HealthResult, RenderDiffPort, RendererPort, ValidatorPort } from './ports.js';

/** Namespace of the per-environment Lease: `default` exists on every cluster, even before an environment's own namespace does. */
const LOCK_NAMESPACE = 'default';

export function createRenderer(config: PipelineConfig, runner: CommandRunner, options: { allowRemote?: boolean } = {}): RendererPort {
  const trees = new CommitTrees(Git.forRepository(runner, config.root, config.tools));
  return {
    render: (env, ref) => renderEnvironment(env, { root: config.root, ref }, { runner, tools: config.tools, trees, allowRemote: options.allowRemote }),
    dispose: () => trees.dispose(),
  };
}

export const validator: ValidatorPort = {
  validate(renders) {
    const crds = collectCrdSchemas(renders.flatMap((r) => r.objects));
    const externalSchemas = new ExternalSchemas(fileSystemSchemaReader);
    return new Map(renders.map((r) => [r.environment.name, validateObjects(r.objects, r.environment, { crds, externalSchemas }, { renderFailed: r.renderFailed })]));
  },
};

export const renderDiff: RenderDiffPort = { fromRenders: changeSetFromRenders };

/** A cluster port that never reads credentials: forks, and diffs asked to compare renders only. */
export function offlineCluster(reason: string): ClusterPort {
  return {
    hasCredentials: () => false,
    connect: () => Promise.reject(new UserError(reason)),
  };
}

export interface ClusterAccess {
  /** Kubeconfig content from the action input or --kubeconfig; else $KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string;
  /** Where `kubeconfig` came from, for messages (e.g. "--kubeconfig ./ci.yaml"). */
  kubeconfigSource?: string;
  /** The value of $KUBECONFIG (paths joined by the platform's delimiter), read when no content is given. */
  kubeconfigPaths?: string;
  /** How the user passes a kubeconfig (`--kubeconfig FILE` on the command line), for hints. */
  kubeconfigSetting?: string;
  log: Log;
  /** Time as health waits see it (tests); the system clock otherwise. */
  clock?: Clock;
}

/** Throws at once when a kubeconfig given as content does not parse, whatever the command. */
export function createClusterPort(access: ClusterAccess): ClusterPort {
  const source = { kubeconfig: access.kubeconfig, kubeconfigSource: access.kubeconfigSource, kubeconfigPaths: access.kubeconfigPaths, kubeconfigSetting: access.kubeconfigSetting };
  if (access.kubeconfig !== undefined) readKubeconfig(source);
  return {
    hasCredentials(env) {
      try {
        loadKubeConfig({ ...source, context: env.context });
        return true;
      } catch (error) {
        if (error instanceof NoKubeconfigError) return false;
        if (error instanceof KubeconfigUnreadableError) throw error;
        // It parses but lacks the context: connecting says so and names the contexts it has.
        return true;
      }
    },
    async connect(env) {
      const client = await KubeClient.connect({ ...source, context: env.context });
      return clusterSession(client, access.log, access.clock ?? systemClock);
    },
  };
}

function clusterSession(client: KubeClient, log: Log, clock: Clock): ClusterSession {
  return {
    changeSet: (env, objects, options) => buildChangeSet(client, env, objects, { prune: options.prune }),
    async deploy(env, changeSet, options) {
      // Nothing to write means nothing to serialise: no Lease writes, so a re-run writes nothing at all.
      if (!hasChanges(changeSet)) {
        const unchanged = changeSet.entries.length;
        const apply: ApplyOutcome = { applied: 0, created: 0, updated: 0, unchanged, deleted: 0, failed: [] };
        if (!env.wait.enabled) return { apply };
        return { apply, health: await waitUntilHealthy(client, changeSet.entries.map((e) => e.ref), options.timeoutMs, log, env.name, clock) };
      }
      return withEnvironmentLock(
        client,
        {
          environment: env.name,
          namespace: LOCK_NAMESPACE,
          holder: options.holder,
          waitTimeoutMs: options.timeoutMs,
          signal: options.signal,
          onWait: (holder) => log.info(`${env.name}: waiting for the deploy lock held by ${holder.identity}`),
          onWarning: (message) => log.warning(`${env.name}: ${message}`),
        },
        async (lock) => {
          // The Lease orders applies, not commits: a run holding an older commit may get it last.
          const record = options.revision ? await readDeployRecord(client, env) : undefined;
          const recorded = record?.commit;
          if (recorded && options.revision && recorded !== options.revision.commit && (await options.revision.isSupersededBy(recorded))) {
            return { apply: { applied: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: [] }, newerCommit: recorded };
          }
          // Planned before the lock: another deploy may have written since. Plan again under it
          // what moved since the plan (one LIST per kind and namespace shows what did).
          const { changeSet: planned, replanned, fullReplan } = isClusterChangeSet(changeSet)
            ? await replanChanged(client, env, changeSet)
            : { changeSet: await buildChangeSet(client, env, changeSet.entries.filter((e) => e.action !== 'delete' && e.desired).map((e) => ({ object: e.desired as KubeObject, source: e.source })), { prune: env.prune.enabled }), replanned: [], fullReplan: 'the plan was not made against this cluster' };
          if (fullReplan) log.info(`${env.name}: planned again under the lock: ${fullReplan}`);
          else if (replanned.length > 0) log.info(`${env.name}: planned again under the lock: ${replanned.length} object(s) changed since the plan`);
          // Listed before they exist: what a rollback may delete (src/kube/rollback.ts).
          if (record) await noteCreatedObjects(client, env, record, planned.entries.filter((e) => e.action === 'create').map((e) => e.ref));
          const result = await applyChangeSet(client, env, planned, { forcePrune: options.forcePrune, signal: lock.signal });
          const apply = summariseApply(result.results);
          if (result.pruneRefused) {
            const parent = planned.applySet;
            apply.failed.push({ ref: { group: '', version: 'v1', kind: 'Secret', namespace: parent.namespace, name: parent.name }, message: result.pruneSkipped ?? 'prune refused' });
          }
          if (apply.failed.length > 0) return { apply, changeSet: planned };
          const refs = result.results.filter((r) => r.outcome === 'applied' || r.outcome === 'unchanged').map((r) => r.ref);
          const health = env.wait.enabled ? await waitUntilHealthy(client, refs, options.timeoutMs, log, env.name, clock, lock.signal) : undefined;
          if (options.revision && options.revision.commit !== recorded && (!health || health.healthy)) await recordRevision(client, env, options.revision.commit, log);
          return health ? { apply, changeSet: planned, health } : { apply, changeSet: planned };
        },
      );
    },
    deployedCommit: async (env) => (await readDeployRecord(client, env)).commit,
    async rollback(env, options) {
      const outcome = await rollbackEnvironment(client, env, {
        commit: options.commit,
        objects: options.objects,
        lock: {
          namespace: LOCK_NAMESPACE,
          holder: options.holder,
          waitTimeoutMs: options.timeoutMs,
          signal: options.signal,
          onWait: (holder) => log.info(`${env.name}: rollback waiting for the deploy lock held by ${holder.identity}`),
          onWarning: (message) => log.warning(`${env.name}: ${message}`),
        },
        wait: (refs, signal) => waitUntilHealthy(client, refs, options.timeoutMs, log, env.name, clock, signal),
        healthy: (health) => health.healthy,
      });
      if (outcome.state === 'superseded') return { state: 'superseded', recorded: outcome.recorded, healthy: false, pruned: [], kept: [] };
      return { state: 'applied', apply: summariseApply(outcome.results), health: outcome.health, healthy: outcome.healthy, pruned: outcome.pruned, kept: outcome.kept, changeSet: outcome.changeSet };
    },
    close: () => client.close(),
  };
}

/** A deploy that is healthy stays so when its record cannot be written: that only weakens the next run's check. */
async function recordRevision(client: KubeClient, env: EnvironmentConfig, commit: string, log: Log): Promise<void> {
  try {
    await recordDeployedCommit(client, env, commit);
  } catch (error) {
    log.warning(`${env.name}: could not record the deployed commit ${commit} on the ApplySet parent: ${errorMessage(error)}`);
  }
}

async function waitUntilHealthy(client: KubeClient, refs: ObjectRef[], timeoutMs: number, log: Log, environment: string, clock: Clock, signal?: AbortSignal): Promise<HealthResult> {
  const targets = await resolveWaitTargets(client.discovery, refs);
  const progress = progressReporter(clock, (line) => log.info(`${environment}: waiting: ${line}`));
  const report = await watchForHealth(client, targets, {
    timeoutMs,
    signal,
    clock,
    onProgress: (objects) => progress(objects),
  });
  return {
    healthy: report.healthy,
    timedOut: report.timedOut,
    failing: report.failing.map((f) => ({ ref: f.ref, status: f.status, message: f.message, events: f.events, causes: f.causes })),
  };
}

function isClusterChangeSet(changeSet: ChangeSet): changeSet is ClusterChangeSet {
  return changeSet.mode === 'cluster' && 'applySet' in changeSet;
}

/** What was done, counted from each object's result (never from the plan: a refused prune deletes nothing). */
function summariseApply(results: ReadonlyArray<{ ref: ApplyOutcome['failed'][number]['ref']; action: string; outcome: string; message?: string }>): ApplyOutcome {
  const outcome: ApplyOutcome = { applied: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: [] };
  for (const r of results) {
    if (r.outcome === 'applied') {
      outcome.applied += 1;
      if (r.action === 'create') outcome.created += 1;
      else outcome.updated += 1;
    }
    else if (r.outcome === 'unchanged') outcome.unchanged += 1;
    else if (r.outcome === 'deleted') outcome.deleted += 1;
    else if (r.outcome === 'failed') outcome.failed.push({ ref: r.ref, message: r.message ?? 'failed' });
  }
  return outcome;
}
