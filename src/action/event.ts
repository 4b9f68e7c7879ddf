/** The event that started the workflow, read from the runner's environment. */
import { readFileSync } from 'node:fs';
import { UserError } from '../model/errors.js';
import type { GitHubEvent } from '../plan/intent.js';

export function readEvent(env: NodeJS.ProcessEnv): GitHubEvent {
  const name = env.GITHUB_EVENT_NAME ?? '';
  const path = env.GITHUB_EVENT_PATH;
  let payload: Record<string, unknown> = {};
  if (path) {
    try {
      payload = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new UserError(`the event payload ${path} could not be read: ${(error as Error).message}`);
    }
  }
  return { name, payload, sha: env.GITHUB_SHA || undefined };
}

export function defaultBranchOf(event: GitHubEvent): string {
  const repository = event.payload.repository as { default_branch?: unknown } | undefined;
  return typeof repository?.default_branch === 'string' ? repository.default_branch : 'main';
}

/**
 * The branch a run's promotion commits go to: a pull request's base branch, or the pushed
 * branch. actions/checkout leaves HEAD detached for pull_request events, so the checkout cannot
 * say. Undefined for other events: then the checked-out branch is used.
 */
export function promotionBaseBranchOf(event: GitHubEvent): string | undefined {
  const pr = event.payload.pull_request as { base?: { ref?: unknown } } | undefined;
  if (typeof pr?.base?.ref === 'string' && pr.base.ref) return pr.base.ref;
  const ref = event.payload.ref;
  return event.name === 'push' && typeof ref === 'string' && ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}
