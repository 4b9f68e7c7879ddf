/**
 * deploy: validate everything first (an error stops the run before any write), then for each
 * environment in config order: lock, apply in stages, prune, wait, unlock, with a GitHub
 * deployment recording the outcome. A healthy environment promotes into the environments that
 * name it in `promoteFrom`; commit-mode targets are deployed in the same run.
 */
import { afterDeploy, afterPromotion, nextStep, startChain } from '../config/promotion-chain.js';
import type { EnvironmentConfig, PipelineConfig } from '../config/types.js';
import type { ChangeSet } from '../model/changeset.js';
import { countChanges, hasChanges } from '../model/changeset.js';
import { errorMessage, problemOf, problemText, type Problem } from '../model/errors.js';
import { hasErrors, type Finding } from '../model/findings.js';
import { describeRef, type ObjectRef } from '../model/objects.js';
import type { RenderOutcome } from '../plan/affected.js';
import type { Log } from './log.js';
import type { ApplyOutcome } from '../kube/results.js';
import type { HealthResult } from '../model/health.js';
import type {
  ClusterPort,
  CommitHistoryPort,
  DeploymentsPort,
  PromotionOutcome,
  PromotionPort,
  RendererPort,
  ValidatorPort,
} from './ports.js';
import { describeFailure } from './describe-failure.js';
import { deployRevision } from './revision.js';
import { describeWithRollback, rollBack, wantsRollback, type RollbackResult } from './rollback.js';
import { runValidate } from './validate.js';

export { describeFailure };

export type DeployStatus = 'success' | 'failure' | 'skipped' | 'planned';

export interface DeployedEnvironment {
  name: string;
  status: DeployStatus;
  findings: Finding[];
  changeSet?: ChangeSet;
  apply?: ApplyOutcome;
  health?: HealthResult;
  /** The ApplySet parent listing the environment's objects (src/kube/deploy-environment.ts). */
  applySetParent?: ObjectRef;
  durationMs: number;
  error?: Problem;
  /** Why the environment was skipped. */
  reason?: string;
  /** What `onFailure: rollback` did after the failed health wait. */
  rollback?: RollbackResult;
}

export interface DeployResult {
  environments: DeployedEnvironment[];
  promotions: PromotionOutcome[];
  /** Errors found before any write; nothing was deployed when this is non-empty. */
  blockingFindings: Finding[];
  ok: boolean;
}

export interface DeployRequest {
  config: PipelineConfig;
  /** Environments to deploy, config order. */
  environments: EnvironmentConfig[];
  /** Commit being deployed: for GitHub deployments, and compared with the one the environment last deployed. */
  ref: string;
  /** `ref` was pushed by this run (commit-mode promotion): fetch before comparing it with the deployed commit. */
  refPushed?: boolean;
  dryRun: boolean;
  timeoutMs?: number;
  holder: string;
  forcePrune: boolean;
  /** Run the promotion chain after healthy deploys. */
  promote: boolean;
  /** Cancels the run (SIGTERM/SIGINT): a held deploy lock is released at once. */
  signal?: AbortSignal;
}

export interface DeployPorts {
  renderer: RendererPort;
  validator: ValidatorPort;
  cluster: ClusterPort;
  deployments?: DeploymentsPort;
  promotion?: PromotionPort;
  /** Orders commits, so an older one is never deployed over a newer one; absent: no check, nothing recorded. */
  history?: CommitHistoryPort;
  log: Log;
  now?: () => number;
}

export async function runDeploy(request: DeployRequest, ports: DeployPorts): Promise<DeployResult> {
  const now = ports.now ?? Date.now;
  const { config } = request;
  // Validation covers every environment so CRDs defined anywhere are known; only the deployed ones gate.
  const validations = await ports.log.group('Validating', () => runValidate(config.environments, undefined, ports));
  const deploying = new Set(request.environments.map((e) => e.name));
  const blockingFindings = validations
    .filter((v) => deploying.has(v.environment.name))
    .flatMap((v) => v.findings)
    .filter((f) => f.severity === 'error');
  const findingsOf = (name: string) => validations.find((v) => v.environment.name === name)?.findings ?? [];
  /** Renders already made for validation; a promotion into an environment makes its render stale. */
  const renders = new Map(validations.map((v) => [v.environment.name, v.render]));

  if (hasErrors(blockingFindings)) {
    return {
      environments: request.environments.map((e) => ({
        name: e.name,
        status: 'skipped',
        findings: findingsOf(e.name),
        durationMs: 0,
        reason: 'validation failed: nothing was deployed',
      })),
      promotions: [],
      blockingFindings,
      ok: false,
    };
  }

  const results: DeployedEnvironment[] = [];
  const promotions: PromotionOutcome[] = [];
  let chain = startChain(config.environments, request.environments);

  for (let next = nextStep(chain); next; next = nextStep(chain)) {
    chain = next.plan;
    const { environment: env, promotedCommit } = next.step;

    if (request.signal?.aborted) {
      chain = afterDeploy(chain, env.name, 'failure', false).plan;
      results.push({ name: env.name, status: 'failure', findings: findingsOf(env.name), durationMs: 0, error: problemOf(request.signal.reason, 'not deployed') });
      continue;
    }
    if (next.blockedBy) {
      results.push({ name: env.name, status: 'skipped', findings: findingsOf(env.name), durationMs: 0, reason: `skipped: ${next.blockedBy} failed` });
      continue;
    }

    // A promotion commit made in this run changed the target's files: its validated render is stale.
    const outcome = await ports.log.group(`Deploying ${env.name}`, () =>
      deployOne(env, promotedCommit ? undefined : renders.get(env.name), promotedCommit ? { ...request, ref: promotedCommit, refPushed: true } : request, ports, findingsOf(env.name), now),
    );
    results.push(outcome);
    const settled = afterDeploy(chain, env.name, outcome.status, request.promote && ports.promotion !== undefined);
    chain = settled.plan;

    for (const target of settled.targets) {
      let promotion: PromotionOutcome | undefined;
      try {
        promotion = await ports.log.group(`Promoting ${env.name} -> ${target.name}`, () =>
          (ports.promotion as PromotionPort).promote({ from: env.name, to: target.name, images: [], mode: target.promotion, dryRun: request.dryRun }),
        );
        promotions.push(promotion);
      } catch (error) {
        ports.log.error(`promotion ${env.name} -> ${target.name} failed: ${errorMessage(error)}`);
        results.push({ name: target.name, status: 'failure', findings: [], durationMs: 0, error: problemOf(error, `promotion from ${env.name} failed`) });
      }
      chain = afterPromotion(chain, target, promotion, request.dryRun);
    }
  }

  return { environments: results, promotions, blockingFindings: [], ok: results.every((r) => r.status !== 'failure') };
}

async function deployOne(
  env: EnvironmentConfig,
  /** The environment as validated, unless its files changed since. */
  validatedRender: RenderOutcome | undefined,
  request: DeployRequest,
  ports: DeployPorts,
  findings: Finding[],
  now: () => number,
): Promise<DeployedEnvironment> {
  const started = now();
  const render = validatedRender ?? (await ports.renderer.render(env, undefined));
  const renderErrors = render.findings.filter((f) => f.severity === 'error');
  if (renderErrors.length > 0) {
    return { name: env.name, status: 'failure', findings: [...findings, ...renderErrors], durationMs: now() - started, error: { message: 'the environment did not render' } };
  }
  const handle = request.dryRun ? undefined : await ports.deployments?.start(env.name, request.ref).catch((error) => {
    ports.log.warning(`${env.name}: could not record a GitHub deployment: ${errorMessage(error)}`);
    return undefined;
  });
  let result: DeployedEnvironment;
  try {
    const session = await ports.cluster.connect(env);
    try {
      const changeSet = await session.changeSet(env, render.objects, { prune: env.prune.enabled });
      const counts = countChanges(changeSet.entries);
      ports.log.info(`${env.name}: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.unchanged} unchanged`);
      if (counts.error > 0) {
        const messages = changeSet.entries.filter((e) => e.action === 'error').map((e) => `${describeRef(e.ref)}: ${e.message}`);
        result = { name: env.name, status: 'failure', findings, changeSet, durationMs: 0, error: { message: `the cluster rejected ${counts.error} object(s): ${messages.join('; ')}` } };
      } else if (request.dryRun) {
        result = { name: env.name, status: 'planned', findings, changeSet, durationMs: 0 };
      } else {
        const revision = await deployRevision(request.ref, ports.history, { environment: env.name, fetchFirst: request.refPushed ?? false }, ports.log);
        const { apply, health, changeSet: applied, newerCommit, applySetParent } = await session.deploy(env, changeSet, {
          timeoutMs: request.timeoutMs ?? env.wait.timeoutMs,
          holder: request.holder,
          forcePrune: request.forcePrune,
          revision,
          signal: request.signal,
        });
        if (newerCommit) {
          const reason = `a newer commit (${newerCommit}) is already deployed`;
          ports.log.info(`${env.name}: ${reason}; ${revision?.commit ?? request.ref} was not applied`);
          return await finish({ name: env.name, status: 'skipped', findings, changeSet, apply, durationMs: 0, reason });
        }
        const healthy = !health || health.healthy;
        const ok = apply.failed.length === 0 && healthy;
        result = {
          name: env.name,
          status: ok ? 'success' : 'failure',
          findings,
          changeSet: applied ?? changeSet,
          apply,
          health,
          ...(applySetParent ? { applySetParent } : {}),
          durationMs: 0,
          error: ok ? undefined : { message: describeFailure(apply, health) },
        };
        if (!hasChanges(changeSet)) ports.log.info(`${env.name}: nothing to change`);
        if (wantsRollback(env, apply, health)) result.rollback = await rollBack(env, session, { holder: request.holder, timeoutMs: request.timeoutMs ?? env.wait.timeoutMs, signal: request.signal }, ports);
      }
    } finally {
      session.close();
    }
  } catch (error) {
    result = { name: env.name, status: 'failure', findings, durationMs: 0, error: problemOf(error) };
  }
  return finish(result);

  async function finish(done: DeployedEnvironment): Promise<DeployedEnvironment> {
    done.durationMs = now() - started;
    if (handle) {
      const state = done.status === 'success' ? 'success' : done.status === 'skipped' ? 'inactive' : 'failure';
      await ports.deployments
        ?.finish(handle, state, describeWithRollback(done.error && problemText(done.error), done.rollback) ?? done.reason ?? 'deployed and healthy')
        .catch((error) => ports.log.warning(`${env.name}: could not update the GitHub deployment: ${errorMessage(error)}`));
    }
    return done;
  }
}
