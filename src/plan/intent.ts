/**
 * plan, first half: what this run should do, decided from the GitHub event and the inputs.
 * Pure: the event payload comes in as data, nothing is read or written here.
 */
import { UserError } from '../model/errors.js';

export type RunCommand = 'validate' | 'plan' | 'preview' | 'deploy' | 'promote' | 'drift' | 'skip';

/** What the run was asked to do (the action's inputs, as far as the decision reads them). */
export interface IntentRequest {
  /** `auto`: decided from the event. */
  command: Exclude<RunCommand, 'skip'> | 'auto';
  /** Undefined: the affected environments. */
  environments?: string[] | 'all';
  /** Promotion target. */
  to?: string;
}

/** The pull request as the event payload names it (not the REST API's view, github/pulls.ts). */
export interface EventPullRequest {
  number: number;
  baseSha: string;
  headSha: string;
  /** The head lives in another repository (a fork): never use cluster credentials for it. */
  fromFork: boolean;
  merged: boolean;
  mergeCommitSha?: string;
  url?: string;
}

export interface Intent {
  command: RunCommand;
  /** Commit to compare against; undefined means every environment counts as affected. */
  base?: string;
  /** Commit whose state is rendered; undefined means the working tree. */
  head?: string;
  /** When the base of a merge is its first parent, it is resolved from Git by the caller. */
  baseIsFirstParentOfHead?: boolean;
  pullRequest?: EventPullRequest;
  /** Environments named explicitly (inputs or dispatch); undefined = affected ones. */
  environments?: string[] | 'all';
  /** Why this command was chosen, for the log and the summary. */
  reason: string;
}

export interface GitHubEvent {
  name: string;
  payload: Record<string, unknown>;
  /** GITHUB_SHA: the commit the run is for. */
  sha?: string;
}

const ZERO_SHA = /^0+$/;

type Json = Record<string, unknown>;

function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[key];
  }
  return current;
}

function text(value: unknown, ...path: string[]): string | undefined {
  const found = field(value, ...path);
  return typeof found === 'string' && found.length > 0 ? found : undefined;
}

export function eventPullRequest(payload: Json): EventPullRequest | undefined {
  const pr = payload.pull_request;
  if (typeof pr !== 'object' || pr === null) return undefined;
  const headRepo = text(pr, 'head', 'repo', 'full_name');
  const baseRepo = text(pr, 'base', 'repo', 'full_name');
  return {
    number: Number(field(pr, 'number') ?? payload.number),
    baseSha: text(pr, 'base', 'sha') ?? '',
    headSha: text(pr, 'head', 'sha') ?? '',
    // A missing head repository means the fork was deleted: treat it as a fork.
    fromFork: headRepo === undefined || headRepo !== baseRepo || field(pr, 'head', 'repo', 'fork') === true,
    merged: field(pr, 'merged') === true,
    mergeCommitSha: text(pr, 'merge_commit_sha'),
    url: text(pr, 'html_url'),
  };
}

/** Decides the command and refs. `defaultBranch` is the repository's default branch name. */
export function decideIntent(event: GitHubEvent, inputs: IntentRequest, defaultBranch: string): Intent {
  const explicit = inputs.command === 'auto' ? undefined : inputs.command;
  const pr = eventPullRequest(event.payload);
  const isPullRequestEvent = event.name === 'pull_request' || event.name === 'pull_request_target';

  if (explicit === 'deploy' && isPullRequestEvent && !(pr?.merged && event.payload.action === 'closed')) {
    throw new UserError(
      `Command 'deploy' was asked for on a '${event.name}' event of an open pull request.`,
      'Deploy runs on merge (pull_request closed and merged, or push to the default branch) or from workflow_dispatch; use command: preview for open pull requests.',
    );
  }

  if (explicit === 'promote' || (!explicit && event.name === 'workflow_dispatch' && inputs.to)) {
    if (!inputs.to) throw new UserError("Command 'promote' needs the input 'to' (the target environment).", 'Set to: <environment> in the workflow step.');
    return { command: 'promote', reason: `promotion to ${inputs.to}`, environments: [inputs.to] };
  }

  if (explicit === 'drift' || (!explicit && event.name === 'schedule')) {
    return { command: 'drift', environments: inputs.environments ?? 'all', reason: 'drift detection' };
  }

  const refs = refsFromEvent(event, defaultBranch, pr);
  const environments = inputs.environments;

  if (explicit === 'validate' || explicit === 'plan') {
    return { ...refs, command: explicit, environments, reason: `command '${explicit}'` };
  }
  if (explicit === 'preview') {
    return { ...refs, command: 'preview', environments, reason: "command 'preview'" };
  }
  if (explicit === 'deploy') {
    return { ...refs, command: 'deploy', environments, reason: "command 'deploy'" };
  }

  // command: auto
  if (isPullRequestEvent) {
    if (event.payload.action === 'closed') {
      return pr?.merged
        ? { ...refs, command: 'deploy', environments, reason: `pull request #${pr.number} merged` }
        : { command: 'skip', reason: `pull request #${pr?.number} closed without merging` };
    }
    return { ...refs, command: 'preview', environments, reason: `pull request #${pr?.number} ${String(event.payload.action ?? 'updated')}` };
  }
  if (event.name === 'push') {
    const branch = text(event.payload, 'ref')?.replace(/^refs\/heads\//, '');
    if (branch === defaultBranch) {
      return { ...refs, command: 'deploy', environments, reason: `push to ${defaultBranch}` };
    }
    return { ...refs, command: 'validate', environments, reason: `push to ${branch ?? 'a ref'} (not the default branch)` };
  }
  if (event.name === 'workflow_dispatch') {
    if (!environments) {
      throw new UserError(
        'workflow_dispatch needs an input: `environments` (names, or `all`) to deploy, or `to` to promote.',
        'Add the input to the workflow_dispatch trigger and pass it to the step.',
      );
    }
    return { command: 'deploy', head: refs.head, environments, reason: 'manual dispatch' };
  }
  return { ...refs, command: 'validate', environments, reason: `event '${event.name}'` };
}

function refsFromEvent(event: GitHubEvent, _defaultBranch: string, pr: EventPullRequest | undefined): Pick<Intent, 'base' | 'head' | 'pullRequest' | 'baseIsFirstParentOfHead'> {
  const payload = event.payload;
  if (pr) {
    if (pr.merged && pr.mergeCommitSha && payload.action === 'closed') {
      // The merge commit against its first parent: exactly what the merge changed on the branch.
      return { base: undefined, head: pr.mergeCommitSha, baseIsFirstParentOfHead: true, pullRequest: pr };
    }
    return { base: pr.baseSha || undefined, head: pr.headSha || undefined, pullRequest: pr };
  }
  if (event.name === 'push') {
    const before = text(payload, 'before');
    const after = text(payload, 'after');
    const forced = payload.forced === true;
    // A new branch (before is all zeros) or a force push has no trustworthy base: everything counts.
    const base = before && !ZERO_SHA.test(before) && !forced ? before : undefined;
    return { base, head: after && !ZERO_SHA.test(after) ? after : undefined };
  }
  return { head: event.sha || undefined };
}
