/** PullRequestApi over the GitHub module, for one repository: ensurePullRequest tolerates a racing run's "already exists". */
import type { GitHubClient } from '../github/client.js';
import { ensurePullRequest } from '../github/pulls.js';
import type { PullRequestApi } from './pull-request.js';

export function githubPullRequestApi(gh: GitHubClient, owner: string, repo: string): PullRequestApi {
  return {
    async ensure({ head, base, title, body, labels }) {
      const { pullRequest, action } = await ensurePullRequest(gh, { owner, repo, head, base, title, body, labels: [...labels] });
      return { number: pullRequest.number, url: pullRequest.url, action };
    },
  };
}
