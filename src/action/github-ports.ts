/** Flow ports over the GitHub API: deployments for environments, pull requests for promotions. */
import type { GitHubClient } from '../github/client.js';
import type { RunContext } from '../github/context.js';
import { finishDeployment, startDeployment, type DeploymentHandle } from '../github/deployments.js';
import { findOpenPullRequest } from '../github/pulls.js';
import type { DeploymentsPort } from '../flows/ports.js';
import type { PullRequestApi } from '../promote/pull-request.js';

export function deploymentsPort(gh: GitHubClient, context: RunContext): DeploymentsPort {
  const handles = new Map<number, DeploymentHandle>();
  return {
    async start(environment, ref) {
      const handle = await startDeployment(gh, {
        owner: context.owner,
        repo: context.repo,
        ref,
        environment,
        logUrl: context.runUrl,
        description: `slipway deploy of ${ref.slice(0, 7)}`,
        attemptKey: context.runId ? `${context.runId}-${context.runAttempt ?? '1'}-${environment}` : undefined,
      });
      handles.set(handle.id, handle);
      return { id: handle.id };
    },
    async finish(handle, state, description) {
      const full = handles.get(handle.id);
      if (!full) return;
      await finishDeployment(gh, full, { state, description, logUrl: context.runUrl });
    },
  };
}

export function pullRequestApi(gh: GitHubClient, context: RunContext): PullRequestApi {
  const { owner, repo } = context;
  return {
    async findOpenByHead(branch) {
      const found = await findOpenPullRequest(gh, owner, repo, branch);
      return found ? { number: found.number, url: found.url } : undefined;
    },
    async create(request) {
      const { data } = await gh.rest.pulls.create({ owner, repo, ...request });
      return { number: data.number, url: data.html_url };
    },
    async update(number, request) {
      const { data } = await gh.rest.pulls.update({ owner, repo, pull_number: number, ...request });
      return { number: data.number, url: data.html_url };
    },
    async addLabels(number, labels) {
      if (labels.length) await gh.rest.issues.addLabels({ owner, repo, issue_number: number, labels: [...labels] });
    },
  };
}
