/** The promotion port over src/promote, with the run's Git and renderer: the action and the CLI choose how results leave the machine. */
import type { PipelineConfig } from '../config/types.js';
import type { Git } from '../exec/git.js';
import type { SettingNames } from '../model/setting-names.js';
import type { RepositoryLink } from '../promote/message.js';
import { promote, type PromotionDelivery, type PromotionResult } from '../promote/promote.js';
import type { PullRequestApi } from '../promote/pull-request.js';
import { refuseRenderErrors } from '../promote/render-adapter.js';
import type { Log } from './log.js';
import type { PromotionOutcome, PromotionPort, RendererPort } from './ports.js';

export interface PromotionAccess {
  root: string;
  config: PipelineConfig;
  /** The repository at `root`, and the run's renderer (the commits it wrote out are shared). */
  git: Git;
  renderer: RendererPort;
  log: Log;
  /** Force a mode (the CLI edits the working tree unless --commit); default: the target's `promotion`. */
  mode?: PromotionDelivery;
  /** Commit mode: push (default true). The CLI commits locally only and leaves pushing to its user. */
  push?: boolean;
  token?: string;
  /** Branch that promotion commits go to (and promotion PRs merge into); default the checked-out one. */
  branch?: string;
  pullRequests?: PullRequestApi;
  repository?: RepositoryLink;
  /** How hints name settings (default: action inputs). */
  names?: SettingNames;
}

export function createPromotionPort(access: PromotionAccess): PromotionPort {
  const render = refuseRenderErrors((env, ref) => access.renderer.render(env, ref));
  return {
    async promote(request) {
      const result = await promote({
        root: access.root,
        config: access.config,
        git: access.git,
        render,
        from: request.from,
        to: request.to,
        images: request.images,
        mode: access.mode ?? request.mode,
        dryRun: request.dryRun,
        token: access.token,
        branch: access.branch,
        push: access.push,
        pullRequests: access.pullRequests,
        repository: access.repository,
        names: access.names,
      });
      if (result.changes.length === 0) access.log.info(`${request.to}: already at the promoted images; nothing to change`);
      return toOutcome(result);
    },
  };
}

function toOutcome(result: PromotionResult): PromotionOutcome {
  return {
    source: result.source,
    target: result.target,
    mode: result.mode,
    changes: result.changes,
    diff: result.diff,
    commit: result.commit,
    pushed: result.pushed ?? false,
    ...(result.pullRequest ? { pullRequest: result.pullRequest } : {}),
  };
}
