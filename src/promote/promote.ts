/**
 * Entry point of a promotion: resolve the images (from the source environment's render or from
 * pins), edit the target directory byte-minimally, verify by rendering it again, and then leave
 * the edits in the working tree, commit and push them, or open/update a promotion pull request.
 * A dry run does all the work, returns the diff and writes nothing.
 */
import { promotionLinks, upstreamOf } from '../config/promotion-chain.js';
import type { EnvironmentConfig, PipelineConfig, PromotionMode } from '../config/types.js';
import type { Git, Person } from '../exec/git.js';
import { UserError } from '../model/errors.js';
import { ACTION_SETTING_NAMES, type SettingNames } from '../model/setting-names.js';
import { applyPromotion } from './apply-promotion.js';
import { collectImages, noImagesError } from './collect-images.js';
import { commitPromotion } from './commit.js';
import type { RepositoryLink } from './message.js';
import { pullRequestPromotion, type PromotionPullRequest, type PullRequestApi } from './pull-request.js';
import { selectImages, type DesiredImage, type ImageRequest } from './select-images.js';
import type { PromotionChange, PromotionPlan, RenderEnvironment } from './types.js';
import { unifiedDiff } from './unified-diff.js';
import { restorePlannedFiles } from './write-files.js';

/** How a promotion's edits leave the machine: the environment's promotion mode, or left in the working tree (the command line). */
export type PromotionDelivery = PromotionMode | 'working-tree';

export interface PromoteOptions {
  /** Absolute path of the repository root (a Git checkout for commit and pull-request modes). */
  root: string;
  config: PipelineConfig;
  /** Source environment; default the target's promoteFrom, or none when every image is pinned. */
  from?: string;
  to: string;
  /** Filter (`name`) and pins (`name=tag`, `name:tag`, `name@sha256:…`), parsed by parseImageRequests. */
  images?: readonly ImageRequest[];
  /** How hints name from, images, ...: action inputs (default) or CLI flags. */
  names?: SettingNames;
  mode: PromotionDelivery;
  dryRun: boolean;
  /** Commit to render the source at; default the working tree (its commit is HEAD). */
  sourceRef?: string;
  /** The run's renderer, refusing renders with errors (refuseRenderErrors). */
  render: RenderEnvironment;
  /** The repository at `root`. */
  git: Git;
  /** Commit mode: push the commit (default true); false commits locally only. */
  push?: boolean;
  /** Remote to push to (default `origin`), branch (default the checked-out one), token for HTTPS. */
  remote?: string;
  branch?: string;
  token?: string;
  author?: Person;
  /** Required in pull-request mode. */
  pullRequests?: PullRequestApi;
  repository?: RepositoryLink;
  maxPushAttempts?: number;
  /** Back-off between push attempts (default a timer); tests pass one that does not wait on the clock. */
  pushSleep?: (ms: number) => Promise<void>;
  /** Accumulates time spent rendering (for benchmarks). */
  renderTime?: { ms: number };
}

export interface PromotionResult {
  source?: string;
  target: string;
  mode: PromotionDelivery;
  sourceCommit?: string;
  /** The images and versions promoted (whether or not the target needed a change). */
  images: DesiredImage[];
  changes: PromotionChange[];
  /** Unified diff of the edited files (empty when nothing changes). */
  diff: string;
  commit?: string;
  /** Commit mode: the commit is on the remote branch (so that branch's deploy should run). */
  pushed?: boolean;
  pullRequest?: PromotionPullRequest;
}

export async function promote(options: PromoteOptions): Promise<PromotionResult> {
  const { config, root } = options;
  const target = environment(config, options.to, 'to');
  const names = options.names ?? ACTION_SETTING_NAMES;
  const requests = options.images ?? [];
  const allPinned = requests.length > 0 && requests.every((r) => r.pin);
  const sourceName = options.from ?? (allPinned ? undefined : target.promoteFrom);
  if (!sourceName && !allPinned) {
    throw new UserError(`Environment ${target.name} has no promoteFrom and no source was given.`, `Set ${names.from}, or pin every image (${names.imageEntry('NAME=TAG')}).`);
  }
  const source = sourceName ? environment(config, sourceName, 'from') : undefined;
  if (source) checkDirection(config, source, target);

  const { render, git } = options;
  const needsGit = !options.dryRun && options.mode !== 'working-tree';
  const sourceCommit = source ? await git.revParse(options.sourceRef ?? 'HEAD').catch((error: unknown) => {
    if (needsGit || options.sourceRef) throw error;
    return undefined; // a working-tree promotion outside Git has no source commit to name
  }) : undefined;

  const sourceObjects = source ? (await timed(options.renderTime, () => render(source, options.sourceRef))).objects : undefined;
  const sourceImages = source && sourceObjects ? collectImages(sourceObjects, source.name) : undefined;
  if (source && sourceObjects && sourceImages?.size === 0) throw noImagesError(sourceObjects, source, 'source');
  const desired = selectImages(requests, sourceImages, source?.name, names);
  const applyInput = { root, target, desired, render, environments: config.environments, ...(options.renderTime ? { renderTime: options.renderTime } : {}) };
  const summary = { ...(source ? { from: source.name } : {}), to: target.name, ...(sourceCommit ? { sourceCommit } : {}) };
  const result = (plan: PromotionPlan): PromotionResult => ({
    ...(source ? { source: source.name } : {}),
    target: target.name,
    mode: options.mode,
    ...(sourceCommit ? { sourceCommit } : {}),
    images: desired,
    changes: plan.changes,
    diff: unifiedDiff(plan.files),
  });

  if (options.dryRun || options.mode === 'working-tree') {
    const plan = await applyPromotion(applyInput);
    if (options.dryRun) await restorePlannedFiles(plan.files);
    return result(plan);
  }

  const remote = options.remote ?? 'origin';
  if (options.mode === 'commit') {
    const outcome = await commitPromotion({
      ...applyInput, git, remote, summary,
      ...(options.branch ? { branch: options.branch } : {}),
      ...(options.token ? { token: options.token } : {}),
      ...(options.author ? { author: options.author } : {}),
      ...(options.maxPushAttempts ? { maxAttempts: options.maxPushAttempts } : {}),
      ...(options.pushSleep ? { sleep: options.pushSleep } : {}),
      ...(options.push === false ? { push: false } : {}),
    });
    return { ...result(outcome.plan), ...(outcome.commit ? { commit: outcome.commit, pushed: options.push !== false } : {}) };
  }

  if (!options.pullRequests) throw new UserError(`Environment ${target.name} promotes by pull request, but no GitHub API is available.`, 'Provide github-token (pull-requests: write).');
  const outcome = await pullRequestPromotion({
    ...applyInput, git, remote, summary,
    api: options.pullRequests,
    labels: target.promotionLabels,
    ...(options.branch ? { baseBranch: options.branch } : {}),
    ...(options.token ? { token: options.token } : {}),
    ...(options.author ? { author: options.author } : {}),
    ...(options.repository ? { repository: options.repository } : {}),
  });
  return {
    ...result(outcome.plan),
    ...(outcome.commit ? { commit: outcome.commit } : {}),
    ...(outcome.pullRequest ? { pullRequest: outcome.pullRequest } : {}),
  };
}

function environment(config: PipelineConfig, name: string, role: string): EnvironmentConfig {
  const found = config.environments.find((e) => e.name === name);
  if (!found) {
    throw new UserError(`${role}: environment "${name}" is not defined in ${config.file}.`, `Environments: ${config.environments.map((e) => e.name).join(', ')}.`);
  }
  return found;
}

/** Promotion flows one way: the source must not itself be fed, directly or not, by the target. */
function checkDirection(config: PipelineConfig, source: EnvironmentConfig, target: EnvironmentConfig): void {
  if (source.name === target.name) throw new UserError(`Cannot promote ${target.name} into itself.`, 'Choose a different from or to.');
  if (upstreamOf(promotionLinks(config.environments), source.name).includes(target.name)) {
    throw new UserError(
      `Promoting ${source.name} -> ${target.name} would make a promotion cycle: ${source.name} already receives promotions from ${target.name} (promoteFrom in ${config.file}).`,
      'Promotion flows one way; swap from and to.',
    );
  }
}

async function timed<T>(into: { ms: number } | undefined, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    if (into) into.ms += performance.now() - started;
  }
}
