/**
 * Sticky comments: one comment per pull request, found again by a hidden marker and edited in place,
 * so a busy pull request does not collect a new Slipway comment on every push.
 */

import type { GitHubClient } from './client.js';

/** GitHub refuses comment bodies longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65536;

export type CommentMode = 'update' | 'new' | 'off';

export interface StickyCommentRequest {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden HTML comment that identifies the comment, e.g. `<!-- slipway:preview -->`. */
  marker: string;
  body: string;
  /** `update` edits the marked comment (or creates one), `new` always adds one, `off` does nothing. */
  mode: CommentMode;
  /** With `update`: when no marked comment exists yet, create none (e.g. nothing worth saying). Default true. */
  createIfMissing?: boolean;
}

export interface StickyCommentResult {
  id?: number;
  url?: string;
  /** `unchanged`: the marked comment already said exactly this, so nothing was written. */
  action: 'created' | 'updated' | 'unchanged' | 'skipped';
}

interface ListedComment {
  id: number;
  html_url: string;
  body?: string | null;
}

export async function upsertStickyComment(gh: GitHubClient, request: StickyCommentRequest): Promise<StickyCommentResult> {
  if (request.mode === 'off') return { action: 'skipped' };
  const { owner, repo, issueNumber } = request;
  const body = fitCommentBody(withMarker(gh.secrets.mask(request.body), request.marker));

  if (request.mode === 'update') {
    const existing = await findMarkedComment(gh, owner, repo, issueNumber, request.marker);
    if (existing) {
      if (existing.body === body) return { id: existing.id, url: existing.html_url, action: 'unchanged' };
      const { data } = await gh.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
      return { id: data.id, url: data.html_url, action: 'updated' };
    }
    if (request.createIfMissing === false) return { action: 'skipped' };
  }
  const { data } = await gh.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
  return { id: data.id, url: data.html_url, action: 'created' };
}

/**
 * The newest comment carrying the marker, reading every page (100 a page) since the newest is last.
 * A comment that starts with the marker wins over one that merely quotes it somewhere.
 */
export async function findMarkedComment(
  gh: GitHubClient,
  owner: string,
  repo: string,
  issueNumber: number,
  marker: string,
): Promise<ListedComment | undefined> {
  let leading: ListedComment | undefined;
  let anywhere: ListedComment | undefined;
  const pages = gh.paginate.iterator(gh.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 });
  for await (const page of pages) {
    for (const comment of page.data) {
      const text = comment.body ?? '';
      if (!text.includes(marker)) continue;
      const listed = { id: comment.id, html_url: comment.html_url, body: text };
      if (text.trimStart().startsWith(marker)) leading = listed;
      else anywhere = listed;
    }
  }
  return leading ?? anywhere;
}

function withMarker(body: string, marker: string): string {
  return body.includes(marker) ? body : `${marker}\n${body}`;
}

/**
 * Last line of defence for bodies built elsewhere: the renderers keep within budget, but a body
 * over GitHub's limit would be refused outright (422), so cut it and say so rather than post nothing.
 */
export function fitCommentBody(body: string, limit = MAX_COMMENT_LENGTH): string {
  if (body.length <= limit) return body;
  const note = '\n\n… (comment cut at GitHub\'s size limit; see the job summary)\n';
  // An open code fence would swallow the note; close one if the cut leaves it open.
  let cut = body.slice(0, limit - note.length - 8);
  const fences = cut.match(/^(`{3,}|~{3,})/gm) ?? [];
  if (fences.length % 2 === 1) cut += `\n${fences.at(-1)}`;
  return cut + note;
}
