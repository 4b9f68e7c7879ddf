/** Issue comments: list (paginated), create, get, update, delete. Pull requests are issues here too. */

import type { FakeRepoState, FakeComment } from './state.js';
import { bodyObject, notFound, paginate, validationFailed, type FakeRequest, type Route } from './http.js';

/** GitHub refuses longer comment bodies. */
export const MAX_COMMENT_LENGTH = 65536;

export function commentRoutes(state: FakeRepoState, repoPath: string): Route[] {
  const issueComments = new RegExp(`^${repoPath}/issues/(\\d+)/comments$`);
  const oneComment = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`);
  const find = (id: number): FakeComment | undefined => {
    for (const list of state.comments.values()) {
      const found = list.find((c) => c.id === id);
      if (found) return found;
    }
    return undefined;
  };
  const checkBody = (body: unknown) => {
    if (typeof body !== 'string' || body.length === 0) return validationFailed('IssueComment', 'body', 'missing_field');
    if (body.length > MAX_COMMENT_LENGTH) {
      return validationFailed('IssueComment', 'data', 'unprocessable', `Body is too long (maximum is ${MAX_COMMENT_LENGTH} characters)`);
    }
    return undefined;
  };

  return [
    {
      method: 'GET',
      pattern: issueComments,
      handle: (request, [issue]) => paginate(request, state.comments.get(Number(issue)) ?? []),
    },
    {
      method: 'POST',
      pattern: issueComments,
      handle: (request: FakeRequest, [issue]) => {
        const { body } = bodyObject(request);
        const invalid = checkBody(body);
        if (invalid) return invalid;
        const comment = addComment(state, Number(issue), String(body));
        return { status: 201, body: comment };
      },
    },
    {
      method: 'GET',
      pattern: oneComment,
      handle: (_request, [id]) => {
        const comment = find(Number(id));
        return comment ? { status: 200, body: comment } : notFound();
      },
    },
    {
      method: 'PATCH',
      pattern: oneComment,
      handle: (request, [id]) => {
        const comment = find(Number(id));
        if (!comment) return notFound();
        const { body } = bodyObject(request);
        const invalid = checkBody(body);
        if (invalid) return invalid;
        comment.body = String(body);
        comment.updated_at = state.now();
        return { status: 200, body: comment };
      },
    },
    {
      method: 'DELETE',
      pattern: oneComment,
      handle: (_request, [id]) => {
        for (const list of state.comments.values()) {
          const index = list.findIndex((c) => c.id === Number(id));
          if (index >= 0) {
            list.splice(index, 1);
            return { status: 204 };
          }
        }
        return notFound();
      },
    },
  ];
}

/** Adds a comment as `user` (default: the Actions bot), for routes and for tests seeding long threads. */
export function addComment(state: FakeRepoState, issue: number, body: string, user = state.botUser): FakeComment {
  const id = state.id();
  const at = state.now();
  const comment: FakeComment = {
    id,
    node_id: state.nodeId('IssueComment', id),
    url: `${state.repoApiUrl}/issues/comments/${id}`,
    html_url: `${state.repoHtmlUrl}/pull/${issue}#issuecomment-${id}`,
    issue_url: `${state.repoApiUrl}/issues/${issue}`,
    body,
    user,
    author_association: user.type === 'Bot' ? 'NONE' : 'OWNER',
    created_at: at,
    updated_at: at,
  };
  const list = state.comments.get(issue) ?? [];
  list.push(comment);
  state.comments.set(issue, list);
  state.reserveIssueNumbers(issue);
  return comment;
}
