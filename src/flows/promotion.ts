/** The promotion port over src/promote: the action and the CLI choose how results leave the machine. */
import type { PipelineConfig } from '../config/types.js';
import { promote, type PromotionResult } from '../promote/promote.js';
import type { PullRequestApi } from '../promote/pull-request.js';
import type { RepositoryLink } from '../promote/message.js';
import type { SettingNames } from '../model/setting-names.js';
import type { CommandRunner } from '../exec/run.js';
import type { Log } from './log.js';
import type { PromotionOutcome, PromotionPort } from './ports.js';

export interface PromotionAccess {
  root: string;
  runner: CommandRunner;
  config: PipelineConfig;
  log: Log;
  /** Force a mode (the CLI edits the working tree unless --commit); default: the target's `promotion`. */
  mode?: 'commit' | 'pull-request' | 'working-tree';
  /** Commit mode: push (default true). The CLI commits locally only and leaves pushing to its user. */
  push?: boolean;
  token?: string;
  /** Branch that promotion commits go to (and promotion PRs merge into); default the checked-out one. */
  branch?: string;
  pullRequests?: PullRequestApi;
  repository?: RepositoryLink;
  /** How hints name settings (default: action inputs). */
  names?: SettingNames;
  /** Called after a promotion pull request is created or updated (to post its preview). */
  onPullRequest?: (result: PromotionResult) => Promise<void>;
}

export function createPromotionPort(access: PromotionAccess): PromotionPort {
  return {
    async promote(request) {
      const result = await promote({
        root: access.root,
        runner: access.runner,
        config: access.config,
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
      if (result.pullRequest && access.onPullRequest) await access.onPullRequest(result);
      return toOutcome(result);
    },
  };
}

function toOutcome(result: PromotionResult): PromotionOutcome {
  return {
    source: result.source,
    target: result.target,
    mode: result.mode,
    changes: result.changes.map((c) => ({ image: c.image, from: c.from, to: c.to, file: c.file, line: c.line, ...(c.backwards ? { backwards: c.backwards } : {}) })),
    diff: result.diff,
    commit: result.commit,
    pushed: result.pushed ?? false,
    pullRequestUrl: result.pullRequest?.url,
  };
}
