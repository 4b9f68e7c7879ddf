/** PullRequestApi over the GitHub module, for one repository. */
import type { Octokit } from '../github/client.js';
import { fitCommentBody } from '../github/comments.js';
import { findOpenPullRequest } from '../github/pulls.js';
import { maskSecrets } from '../exec/secrets.js';
import type { PullRequestApi } from './pull-request.js';

export function githubPullRequestApi(gh: Octokit, owner: string, repo: string): PullRequestApi {
  return {
    async findOpenByHead(branch) {
      const found = await findOpenPullRequest(gh, owner, repo, branch);
      return found ? { number: found.number, url: found.url } : undefined;
    },
    async create({ head, base, title, body }) {
      const { data } = await gh.rest.pulls.create({ owner, repo, head, base, title: maskSecrets(title), body: fitCommentBody(maskSecrets(body)) });
      return { number: data.number, url: data.html_url };
    },
    async update(number, { title, body }) {
      const { data } = await gh.rest.pulls.update({ owner, repo, pull_number: number, title: maskSecrets(title), body: fitCommentBody(maskSecrets(body)) });
      return { number: data.number, url: data.html_url };
    },
    async addLabels(number, labels) {
      await gh.rest.issues.addLabels({ owner, repo, issue_number: number, labels: [...labels] });
    },
  };
}
