/**
 * `promote` behind the flows' PromotionPort, with the repository-wide settings bound once
 * (root, config, token, author, GitHub API) so the deploy flow's promotion chain can call it.
 */
import type { PromotionOutcome, PromotionPort } from '../flows/ports.js';
import { promote, type PromoteOptions } from './promote.js';

export type PromotionPortDeps = Omit<PromoteOptions, 'from' | 'to' | 'images' | 'mode' | 'dryRun'>;

export function promotionPort(deps: PromotionPortDeps): PromotionPort {
  return {
    async promote(request): Promise<PromotionOutcome> {
      const result = await promote({ ...deps, ...request });
      return {
        ...(result.source ? { source: result.source } : {}),
        target: result.target,
        mode: result.mode,
        changes: result.changes,
        diff: result.diff,
        ...(result.commit ? { commit: result.commit } : {}),
        ...(result.pullRequest ? { pullRequestUrl: result.pullRequest.url } : {}),
      };
    },
  };
}
