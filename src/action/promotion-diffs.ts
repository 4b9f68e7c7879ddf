/**
 * The job summary's section with each promotion's edits as a unified diff. A dry run writes
 * nothing, so this diff is the only place its edits can be reviewed; for real promotions it
 * shows the commit's change without leaving the run page.
 */
import type { SecretMask } from '../exec/secrets.js';
import type { PromotionOutcome } from '../flows/ports.js';
import { details, escapeHtml, fenced } from '../report/markdown.js';

/** Per diff: promotions edit a line per image, so anything larger is cut rather than crowding out the rest. */
const MAX_DIFF_CHARS = 32 * 1024;

/** `secrets`: masked before a diff is cut. */
export function promotionDiffsMarkdown(all: readonly PromotionOutcome[], dryRun: boolean, secrets: SecretMask): string {
  const promotions = secrets.maskAll(all);
  const withDiff = promotions.filter((p) => p.diff.length > 0);
  if (withDiff.length === 0) return '';
  const sections = withDiff.map((p) => {
    const route = `${p.source ? `${p.source} → ` : ''}${p.target}`;
    const diff = p.diff.length > MAX_DIFF_CHARS ? `${p.diff.slice(0, MAX_DIFF_CHARS)}\n… (diff cut at ${MAX_DIFF_CHARS} characters)\n` : p.diff;
    return details(`<code>${escapeHtml(route)}</code>: ${p.changes.length} change(s)${dryRun ? ' (dry run: not written)' : ''}`, fenced(diff, 'diff'), dryRun);
  });
  return `### Promotion edits\n\n${sections.join('\n')}\n`;
}
