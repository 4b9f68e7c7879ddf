/** The commit-history port over the repository's Git (src/exec/git.ts). */
import type { Git } from '../exec/git.js';
import type { CommitHistoryPort } from './ports.js';

export interface GitHistoryOptions {
  /** Remote that newer commits are fetched from. */
  remote?: string;
  /** Token for an HTTPS remote (the action's); the command line uses the user's own Git credentials. */
  token?: string;
}

export function gitHistory(git: Git, options: GitHistoryOptions = {}): CommitHistoryPort {
  return {
    resolve: (ref) => git.revParse(ref),
    has: (sha) => git.revParse(sha).then(
      () => true,
      () => false,
    ),
    isAncestor: (ancestor, descendant) => git.isAncestor(ancestor, descendant),
    fetch: (sha) => git.fetch(options.remote ?? 'origin', sha, { token: options.token }),
  };
}
