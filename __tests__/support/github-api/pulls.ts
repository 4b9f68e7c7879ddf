/** Pull requests (list with head/base/state filters, create, get, update) and issue labels. */

import type { FakeLabel, FakePull, FakeRepoState } from './state.js';
import { bodyObject, notFound, paginate, validationFailed, type Route } from './http.js';

export function pullRoutes(state: FakeRepoState, repoPath: string): Route[] {
  const pulls = new RegExp(`^${repoPath}/pulls$`);
  const onePull = new RegExp(`^${repoPath}/pulls/(\\d+)$`);
  const labels = new RegExp(`^${repoPath}/issues/(\\d+)/labels$`);
  const commitPulls = new RegExp(`^${repoPath}/commits/([0-9a-f]{7,40})/pulls$`);
  const byNumber = (n: string) => state.pulls.find((p) => p.number === Number(n));

  return [
    {
      // Pull requests a commit belongs to: merged ones by merge commit, open ones by head.
      method: 'GET',
      pattern: commitPulls,
      handle: (request, [sha]) => paginate(request, state.pulls.filter((p) => p.merge_commit_sha === sha || p.head.sha === sha)),
    },
    {
      method: 'GET',
      pattern: pulls,
      handle: (request) => {
        const wanted = request.query.get('state') ?? 'open';
        const head = request.query.get('head');
        const base = request.query.get('base');
        const matches = state.pulls
          .filter((p) => wanted === 'all' || p.state === wanted)
          // GitHub matches `head` as `user:ref`; a bare ref without the user filters nothing out.
          .filter((p) => !head || !head.includes(':') || p.head.label === head)
          .filter((p) => !base || p.base.ref === base)
          .sort((a, b) => b.number - a.number);
        return paginate(request, matches);
      },
    },
    {
      method: 'POST',
      pattern: pulls,
      handle: (request) => {
        const input = bodyObject(request);
        for (const field of ['title', 'head', 'base'] as const) {
          if (typeof input[field] !== 'string' || !input[field]) return validationFailed('PullRequest', field, 'missing_field');
        }
        const headInput = String(input.head);
        const [headOwner, headBranch] = headInput.includes(':') ? headInput.split(':', 2) : [state.owner, headInput];
        const base = String(input.base);
        if (headBranch === base && headOwner === state.owner) {
          return validationFailed('PullRequest', 'base', 'invalid', `No commits between ${base} and ${headBranch}`);
        }
        const existing = state.pulls.find((p) => p.state === 'open' && p.head.label === `${headOwner}:${headBranch}` && p.base.ref === base);
        if (existing) {
          return validationFailed('PullRequest', 'base', 'custom', `A pull request already exists for ${headOwner}:${headBranch}.`);
        }
        const pull = newPull(state, {
          title: String(input.title),
          body: typeof input.body === 'string' ? input.body : null,
          draft: input.draft === true,
          head: state.branchRef(headBranch, headOwner),
          base: state.branchRef(base),
        });
        return { status: 201, body: pull };
      },
    },
    {
      method: 'GET',
      pattern: onePull,
      handle: (_request, [n]) => {
        const pull = byNumber(n);
        return pull ? { status: 200, body: pull } : notFound();
      },
    },
    {
      method: 'PATCH',
      pattern: onePull,
      handle: (request, [n]) => {
        const pull = byNumber(n);
        if (!pull) return notFound();
        const input = bodyObject(request);
        if (typeof input.title === 'string') pull.title = input.title;
        if (typeof input.body === 'string') pull.body = input.body;
        if (input.state === 'open' || input.state === 'closed') pull.state = input.state;
        if (typeof input.base === 'string') pull.base = state.branchRef(input.base);
        pull.updated_at = state.now();
        return { status: 200, body: pull };
      },
    },
    {
      method: 'GET',
      pattern: labels,
      handle: (request, [n]) => {
        const pull = byNumber(n);
        return pull ? paginate(request, pull.labels) : notFound();
      },
    },
    {
      method: 'POST',
      pattern: labels,
      handle: (request, [n]) => {
        const pull = byNumber(n);
        if (!pull) return notFound();
        const raw = Array.isArray(request.body) ? request.body : bodyObject(request).labels;
        if (!Array.isArray(raw)) return validationFailed('Label', 'labels', 'missing_field');
        for (const entry of raw) {
          const name = typeof entry === 'string' ? entry : String((entry as { name?: unknown }).name ?? '');
          if (name && !pull.labels.some((l) => l.name === name)) pull.labels.push(newLabel(state, name));
        }
        return { status: 200, body: pull.labels };
      },
    },
  ];
}

export function newPull(
  state: FakeRepoState,
  fields: Pick<FakePull, 'title' | 'body' | 'draft' | 'head' | 'base'>,
): FakePull {
  const id = state.id();
  const number = state.issueNumber();
  const at = state.now();
  const pull: FakePull = {
    id,
    node_id: state.nodeId('PullRequest', id),
    number,
    url: `${state.repoApiUrl}/pulls/${number}`,
    html_url: `${state.repoHtmlUrl}/pull/${number}`,
    issue_url: `${state.repoApiUrl}/issues/${number}`,
    state: 'open',
    merged: false,
    merged_at: null,
    merge_commit_sha: null,
    user: state.botUser,
    labels: [],
    created_at: at,
    updated_at: at,
    ...fields,
  };
  state.pulls.push(pull);
  return pull;
}

function newLabel(state: FakeRepoState, name: string): FakeLabel {
  const id = state.id();
  return {
    id,
    node_id: state.nodeId('Label', id),
    url: `${state.repoApiUrl}/labels/${encodeURIComponent(name)}`,
    name,
    color: 'ededed',
    default: false,
    description: null,
  };
}
