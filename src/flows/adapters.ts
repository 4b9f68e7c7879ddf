/**
 * The real implementations behind the flow ports: rendering (src/render), validation
 * (src/validate), the cluster engine (src/kube) and the render-diff change set. One place wires
 * I/O to the flows, so the flows stay testable and the edges stay visible.
 */
import type { PipelineConfig } from '../config/types.js';
import { changeSetFromRenders } from '../changeset/from-renders.js';
import { Git } from '../exec/git.js';
import type { CommandRunner } from '../exec/run.js';
import { buildChangeSet } from '../kube/changeset.js';
import { KubeClient } from '../kube/client.js';
import { NoKubeconfigError, type ParsedKubeconfig, readKubeconfig } from '../kube/connection.js';
import type { SecretMask } from '../exec/secrets.js';
import { readDeployRecord } from '../kube/deployed-commit.js';
import { deployEnvironment, LOCK_NAMESPACE, waitUntilHealthy, type DeployContext } from '../kube/deploy-environment.js';
import { summariseApply } from '../kube/results.js';
import { rollbackEnvironment } from '../kube/rollback.js';
import { type Clock, systemClock } from '../kube/wait-api.js';
import { UserError } from '../model/errors.js';
import { CommitTrees } from '../render/commit-trees.js';
import { renderEnvironment } from '../render/render.js';
import { RenderMemo } from '../render/render-memo.js';
import { collectCrdSchemas, ExternalSchemas, fileSystemSchemaReader, validateObjects } from '../validate/index.js';
import type { Log } from './log.js';
import type { ClusterPort, ClusterSession, RenderDiffPort, RendererPort, ValidatorPort } from './ports.js';

/** `git`: the run's own, so that what it has learnt of commits and trees is asked once per run. */
export function createRenderer(config: PipelineConfig, runner: CommandRunner, options: { allowRemote?: boolean; git?: Git } = {}): RendererPort {
  const git = options.git ?? Git.forRepository(runner, config.root, config.tools);
  const trees = new CommitTrees(git);
  const memo = new RenderMemo(git);
  return {
    render: (env, ref) => renderEnvironment(env, { root: config.root, ref }, { runner, tools: config.tools, trees, memo, allowRemote: options.allowRemote }),
    dispose: () => {
      memo.clear();
      return trees.dispose();
    },
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
    hasCredentials: () => Promise.resolve(false),
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
  /** The run's mask: the kubeconfig's credentials and exec-plugin tokens are registered here. */
  secrets: SecretMask;
  log: Log;
  /** Time as health waits see it (tests); the system clock otherwise. */
  clock?: Clock;
}

/**
 * Reads the kubeconfig once, on first use, and connects to each environment's context from that.
 * Rejects at once when a kubeconfig given as content does not parse, whatever the command.
 */
export async function createClusterPort(access: ClusterAccess): Promise<ClusterPort> {
  let read: Promise<ParsedKubeconfig> | undefined;
  const kubeconfig = (): Promise<ParsedKubeconfig> => (read ??= readKubeconfig(access));
  if (access.kubeconfig !== undefined) await kubeconfig();
  return {
    async hasCredentials() {
      try {
        await kubeconfig();
        // It may lack the environment's context: connecting says so and names the contexts it has.
        return true;
      } catch (error) {
        if (error instanceof NoKubeconfigError) return false;
        throw error;
      }
    },
    async connect(env) {
      const client = await KubeClient.connect({ parsed: await kubeconfig(), context: env.context, secrets: access.secrets });
      return clusterSession(client, access.log, access.clock ?? systemClock);
    },
  };
}

function clusterSession(client: KubeClient, log: Log, clock: Clock): ClusterSession {
  const context: DeployContext = { log, clock };
  return {
    changeSet: (env, objects, options) => buildChangeSet(client, env, objects, { prune: options.prune }),
    deploy: (env, changeSet, options) => deployEnvironment(client, env, changeSet, options, context),
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
        wait: (refs, signal) => waitUntilHealthy(client, env.name, refs, { timeoutMs: options.timeoutMs, signal }, context),
        healthy: (health) => health.healthy,
      });
      if (outcome.state === 'superseded') return { state: 'superseded', recorded: outcome.recorded, healthy: false, pruned: [], kept: [] };
      return { state: 'applied', apply: summariseApply(outcome.results), health: outcome.health, healthy: outcome.healthy, pruned: outcome.pruned, kept: outcome.kept, changeSet: outcome.changeSet };
    },
    close: () => client.close(),
  };
}
