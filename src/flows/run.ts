/**
 * One run of the pipeline, whatever started it: the action and the CLI both call `runIntent`
 * with an intent (from the event, or from arguments) and ports, and report what comes back.
 */
import { deployAfterPromotion } from '../config/promotion-chain.js';
import type { PipelineConfig } from '../config/types.js';
import type { Intent } from '../plan/intent.js';
import { renderAndCompare } from '../plan/affected.js';
import { runDeploy, type DeployResult } from './deploy.js';
import { runDrift, type DriftEnvironment } from './drift.js';
import type { Log } from './log.js';
import type {
  ClusterPort,
  CommitHistoryPort,
  DeploymentsPort,
  PromotionOutcome,
  PromotionPort,
  RenderDiffPort,
  RendererPort,
  ValidatorPort,
} from './ports.js';
import { runPreview, type PreviewResult } from './preview.js';
import { selectEnvironments } from './select.js';
import { runValidate, type EnvironmentValidation } from './validate.js';
import { hasErrors } from '../model/findings.js';
import { UserError } from '../model/errors.js';
import { ACTION_SETTING_NAMES, type SettingNames } from '../model/setting-names.js';
import type { PromotionPullRequest } from '../promote/pull-request.js';
import type { ImageRequest } from '../promote/select-images.js';

export type RunOutcome =
  | { command: 'skip'; reason: string }
  | { command: 'validate'; validations: EnvironmentValidation[]; ok: boolean }
  | { command: 'plan'; affected: string[]; ok: boolean }
  | { command: 'preview'; preview: PreviewResult; ok: boolean }
  | { command: 'deploy'; deploy: DeployResult; affected: string[]; ok: boolean }
  | { command: 'drift'; drift: DriftEnvironment[]; ok: boolean }
  | { command: 'promote'; promotion: PromotionOutcome; deploy?: DeployResult; ok: boolean };

/** The promotion pull requests this run created or updated (each with its target), in the order made. */
export function promotionPullRequests(outcome: RunOutcome): Array<PromotionPullRequest & { target: string }> {
  const promotions =
    outcome.command === 'deploy' ? outcome.deploy.promotions
    : outcome.command === 'promote' ? [outcome.promotion, ...(outcome.deploy?.promotions ?? [])]
    : [];
  return promotions.flatMap((p) => (p.pullRequest ? [{ ...p.pullRequest, target: p.target }] : []));
}

export interface RunPorts {
  renderer: RendererPort;
  validator: ValidatorPort;
  cluster: ClusterPort;
  renderDiff: RenderDiffPort;
  deployments?: DeploymentsPort;
  promotion?: PromotionPort;
  /** Orders commits for deploys (never an older one over a newer one). */
  history?: CommitHistoryPort;
  /** Resolves `<ref>^1` (for merge commits) and other refs. */
  resolveRef(ref: string): Promise<string>;
  /** Common ancestor of two commits: a pull request is previewed against it, as GitHub diffs it. */
  mergeBase(a: string, b: string): Promise<string>;
  log: Log;
}

export interface IntentOptions {
  dryRun: boolean;
  timeoutMs?: number;
  /** Who holds environment locks and is named in errors: the run URL, or user@host for the CLI. */
  holder: string;
  forcePrune?: boolean;
  from?: string;
  to?: string;
  /** The `images` input / `--image` flags, parsed at the edge. */
  images?: readonly ImageRequest[];
  /** How hints name settings: action inputs (default) or CLI flags. */
  names?: SettingNames;
  /** Run the promotion chain after deploys (the action does; `slipway apply` does not). */
  promoteAfterDeploy: boolean;
  heal?: boolean;
  /** Cancels the run (the entries abort it on SIGTERM/SIGINT): held deploy locks are released. */
  signal?: AbortSignal;
  /** Where a preview cannot ask the cluster, fail instead of comparing renders (CLI `diff --require-cluster`). */
  requireCluster?: boolean;
  /** Never ask a cluster in previews, and say why (CLI `diff --render-only`). */
  clusterDeniedReason?: string;
}

export async function runIntent(intent: Intent, config: PipelineConfig, options: IntentOptions, ports: RunPorts): Promise<RunOutcome> {
  ports.log.info(`slipway: ${intent.command} (${intent.reason})`);
  const base = intent.baseIsFirstParentOfHead && intent.head ? await ports.resolveRef(`${intent.head}^1`) : intent.base;

  switch (intent.command) {
    case 'skip':
      return { command: 'skip', reason: intent.reason };

    case 'validate': {
      const validations = await runValidate(selectEnvironments(config, intent.environments), undefined, ports);
      return { command: 'validate', validations, ok: !hasErrors(validations.flatMap((v) => v.findings)) };
    }

    case 'plan': {
      if (intent.environments) return { command: 'plan', affected: selectEnvironments(config, intent.environments).map((e) => e.name), ok: true };
      const renders = await renderAndCompare(config.environments, { base, head: intent.head }, (env, ref) => ports.renderer.render(env, ref));
      // An environment that could not be rendered counts as affected, and fails the plan; the others are planned.
      const failed = renders.filter((r) => r.head.skipped !== undefined || r.base?.skipped !== undefined);
      for (const r of failed) ports.log.error(`${r.environment.name}: ${r.head.skipped ?? r.base?.skipped}`);
      return { command: 'plan', affected: renders.filter((r) => r.affected).map((r) => r.environment.name), ok: failed.length === 0 };
    }

    case 'preview': {
      const fromFork = intent.pullRequest?.fromFork ?? false;
      // The base branch may have moved on since the branch was cut; its newer changes are not this PR's.
      const previewBase = base && intent.head ? await ports.mergeBase(base, intent.head) : base;
      const preview = await runPreview(
        {
          config,
          base: previewBase,
          head: intent.head,
          environments: intent.environments,
          clusterAllowed: !fromFork && !options.clusterDeniedReason,
          clusterDeniedReason: fromFork ? 'pull request from a fork: cluster credentials are never used for it' : options.clusterDeniedReason,
          requireCluster: options.requireCluster,
        },
        ports,
      );
      const ok = !hasErrors(preview.environments.flatMap((e) => e.findings)) && preview.environments.every((e) => !e.error);
      return { command: 'preview', preview, ok };
    }

    case 'deploy': {
      let environments;
      let affected: string[];
      if (intent.environments) {
        environments = selectEnvironments(config, intent.environments);
        affected = environments.map((e) => e.name);
      } else {
        const renders = await ports.log.group('Finding affected environments', () =>
          renderAndCompare(config.environments, { base, head: intent.head }, (env, ref) => ports.renderer.render(env, ref)),
        );
        environments = renders.filter((r) => r.affected).map((r) => r.environment);
        affected = environments.map((e) => e.name);
      }
      const deploy = await runDeploy(
        {
          config,
          environments,
          ref: intent.head ?? 'HEAD',
          dryRun: options.dryRun,
          timeoutMs: options.timeoutMs,
          holder: options.holder,
          forcePrune: options.forcePrune ?? false,
          promote: options.promoteAfterDeploy,
          signal: options.signal,
        },
        ports,
      );
      return { command: 'deploy', deploy, affected, ok: deploy.ok };
    }

    case 'drift': {
      const drift = await runDrift(
        { environments: selectEnvironments(config, intent.environments), dryRun: options.dryRun, holder: options.holder, timeoutMs: options.timeoutMs, heal: options.heal, signal: options.signal },
        ports,
      );
      return { command: 'drift', drift, ok: drift.every((d) => !d.error && (!d.drifted || d.healed !== undefined)) };
    }

    case 'promote': {
      if (!ports.promotion) throw new UserError('Promotion is not available in this run.', 'Promote from the action or with `slipway promote`.');
      const to = options.to ?? (intent.environments && intent.environments !== 'all' ? intent.environments[0] : undefined);
      const names = options.names ?? ACTION_SETTING_NAMES;
      if (!to) throw new UserError('Promotion needs a target environment.', `Set ${names.to}.`);
      const [target] = selectEnvironments(config, [to]);
      const from = options.from ?? target.promoteFrom;
      if (!from && !(options.images ?? []).some((request) => request.pin)) {
        throw new UserError(
          `Promotion to '${to}' has no source: '${to}' has no promoteFrom in ${config.file} and no ${names.from} was given.`,
          `Set ${names.from}, or pin images with ${names.imageEntry('NAME=TAG')}.`,
        );
      }
      // Only an explicit from: with every image pinned there is no source, and a pin need not match promoteFrom's version.
      const promotion = await ports.promotion.promote({ from: options.from, to, images: options.images ?? [], mode: target.promotion, dryRun: options.dryRun });
      let deploy: DeployResult | undefined;
      const promotedCommit = deployAfterPromotion(promotion, options.dryRun);
      if (promotedCommit !== undefined) {
        deploy = await runDeploy(
          { config, environments: [target], ref: promotedCommit, refPushed: true, dryRun: false, timeoutMs: options.timeoutMs, holder: options.holder, forcePrune: false, promote: options.promoteAfterDeploy, signal: options.signal },
          ports,
        );
      }
      return { command: 'promote', promotion, deploy, ok: deploy?.ok ?? true };
    }
  }
}
