/**
 * The pull request comment of a preview: a summary table first, then per environment its findings and
 * one collapsible diff per changed resource. It always fits GitHub's comment limit: what does not fit
 * is named at the end, with a link to the job summary that holds everything.
 */

import type { SecretMask } from '../exec/secrets.js';
import type { Problem } from '../model/errors.js';
import type { ChangeEntry, ChangeSet } from '../model/changeset.js';
import { countChanges } from '../model/changeset.js';
import type { Finding } from '../model/findings.js';
import { describeRef } from '../model/objects.js';
import { changeSummaryMarkdown, summarizeChangeSet } from './change-summary.js';
import { ignoredFieldsNote } from './ignored-fields.js';
import { boundedList, fitDocument, type BudgetDocument, type BudgetItem, type BudgetSection, type Omissions } from './budget.js';
import {
  ACTION_LABEL,
  bySeverity,
  details,
  escapeCell,
  escapeHtml,
  escapeMarkdownInline,
  fenced,
  problemMarkdown,
  validationBlock,
  inlineCode,
  shortSha,
  validationBadge,
} from './markdown.js';

export const PREVIEW_MARKER = '<!-- slipway:preview -->';

/** GitHub allows 65,536 characters; the margin absorbs any difference in how characters are counted. */
export const COMMENT_BUDGET = 65000;

export interface PreviewCommentEnvironment {
  name: string;
  changeSet?: ChangeSet;
  findings: Finding[];
  /** `cluster`: diffed against the live cluster; `render`: against the base branch's render. */
  mode: 'cluster' | 'render';
  /** The environment could not be previewed. */
  error?: Problem;
  /** Why the environment was not previewed at all. */
  skippedReason?: string;
  /** Shown under the environment, e.g. why the cluster was not asked. */
  note?: string;
}

export interface PreviewCommentInput {
  environments: PreviewCommentEnvironment[];
  headSha: string;
  runUrl?: string;
  summaryUrl?: string;
  /** Characters; default COMMENT_BUDGET. */
  budget?: number;
}

/** `secrets`: masked in the input before anything is escaped or cut, so no secret shows, whole or in part. */
export function renderPreviewComment(raw: PreviewCommentInput, secrets: SecretMask): string {
  const input = secrets.maskAll(raw);
  const budget = input.budget ?? COMMENT_BUDGET;
  const environments = input.environments;
  const summaryLink = input.summaryUrl ?? input.runUrl;
  const head = `${PREVIEW_MARKER}\n## Slipway preview\n\n`;
  const foot = footer(input);

  if (environments.every(isQuiet)) {
    const checked = environments.length ? ` (checked: ${environments.map((e) => inlineCode(e.name) + quietIgnored(e)).join(', ')})` : '';
    return (
      `${head}**No environment changes** at ${inlineCode(shortSha(input.headSha))}: this pull request does not change what any environment renders${checked}.\n${foot}`
    );
  }

  const doc: BudgetDocument = {
    head: `${head}Changes at ${inlineCode(shortSha(input.headSha))}:\n\n`,
    tableHead:
      '| Environment | Create | Update | Delete | Unchanged | Validation | Diff against |\n|:--|--:|--:|--:|--:|:--|:--|\n',
    rows: environments.map((env) => tableRow(env)),
    moreRows: (hidden) => `\n… and ${hidden} more environments, listed in the job summary.\n`,
    sections: environments.filter(hasDetails).map(section),
    moreItems: (hidden) => `- … and ${hidden} more, listed in the job summary.\n\n`,
    note: (omissions) => omissionNote(omissions, summaryLink),
    foot,
    minimal: (
      `${head}This preview is too large for a comment. ` +
        (summaryLink ? `See the [job summary](${summaryLink}).\n` : 'See the job summary of this run.\n')
    ),
  };
  return fitDocument(doc, budget);
}

/** Nothing to say about an environment: no change, no finding, no error, not skipped. */
function isQuiet(env: PreviewCommentEnvironment): boolean {
  return !env.skippedReason && !hasDetails(env);
}

/** Whether the environment gets a collapsible section below the table. */
function hasDetails(env: PreviewCommentEnvironment): boolean {
  return Boolean(env.error || env.findings.length || env.changeSet?.entries.some((e) => e.action !== 'unchanged'));
}

function tableRow(env: PreviewCommentEnvironment): string {
  const name = `**${escapeCell(env.name)}**`;
  if (env.skippedReason && !env.changeSet) {
    return `| ${name} | – | – | – | – | ${validationBadge(env.findings)} | skipped: ${escapeCell(env.skippedReason)} |\n`;
  }
  const against = env.mode === 'cluster' ? 'cluster' : 'base render';
  if (!env.changeSet) return `| ${name} | – | – | – | – | ${validationBadge(env.findings)} | ❌ could not diff |\n`;
  const c = countChanges(env.changeSet.entries);
  const failed = c.error ? ` (❌ ${c.error} failed)` : '';
  const ignored = ignoredFieldsNote(env.changeSet);
  return `| ${name} | ${c.create} | ${c.update} | ${c.delete} | ${c.unchanged} | ${validationBadge(env.findings)} | ${against}${failed}${ignored ? ` · ${ignored}` : ''} |\n`;
}

/** ` (2 fields ignored)` after an environment's name in the no-changes comment. */
function quietIgnored(env: PreviewCommentEnvironment): string {
  const ignored = ignoredFieldsNote(env.changeSet);
  return ignored ? ` (${ignored})` : '';
}

function section(env: PreviewCommentEnvironment): BudgetSection {
  const changed = (env.changeSet?.entries ?? []).filter((e) => e.action !== 'unchanged');
  const counts = countChanges(changed);
  const parts = [
    counts.create && `${counts.create} to create`,
    counts.update && `${counts.update} to update`,
    counts.delete && `${counts.delete} to delete`,
    counts.error && `${counts.error} failed`,
  ].filter(Boolean);
  // One change (an image bump, say) is named right in the line a reviewer sees collapsed.
  const lines = env.changeSet ? summarizeChangeSet(env.changeSet) : [];
  const only = lines.length === 1 ? ` · ${escapeHtml(lines[0])}` : '';
  const summary = `<b>${escapeHtml(env.name)}</b>: ${parts.join(', ') || 'no changes'}${only}`;

  let intro = '';
  if (env.error) intro += `❌ **Could not preview**: ${problemMarkdown(env.error)}\n\n`;
  if (env.note) intro += `> ${escapeMarkdownInline(env.note)}\n\n`;
  if (env.mode === 'render' && env.changeSet) intro += `_Diffed against the base branch's render, not the cluster._\n\n`;
  if (env.changeSet && lines.length > 1) intro += `**What changes**\n\n${changeSummaryMarkdown(env.changeSet, escapeMarkdownInline)}`;
  const findings = [...env.findings].sort(bySeverity);
  intro += validationBlock(findings);

  // Largest-first dropping happens in fitDocument; here every changed resource gets both forms.
  const items = [...changed].sort(byActionThenName).map((entry) => resourceItem(entry));
  return {
    name: env.name,
    open: `<details><summary>${summary}</summary>\n\n${intro}`,
    items,
    close: '</details>\n\n',
  };
}

function resourceItem(entry: ChangeEntry): BudgetItem {
  const name = describeRef(entry.ref);
  const label = `${ACTION_LABEL[entry.action]} <code>${escapeHtml(name)}</code>`;
  const extra = [
    entry.pruneProtected ? ' (pruning disabled: kept)' : '',
    entry.source ? ` · <code>${escapeHtml(`${entry.source.file}:${entry.source.line}`)}</code>` : '',
  ].join('');
  const message = entry.message ? `${escapeMarkdownInline(entry.message)}\n\n` : '';
  const diff = entry.diff ? fenced(entry.diff, 'diff') : '';
  const full = details(`${label}${extra}`, `${message}${diff}`);
  const compact = entry.diff
    ? `- ${label}${extra}: diff not shown here (${lineCount(entry.diff)} lines)\n\n`
    : full;
  return { full, compact, label: name };
}

function omissionNote(omissions: Omissions, link: string | undefined): string {
  const where = link ? `the [job summary](${link})` : 'the job summary of this run';
  const lines: string[] = [];
  if (omissions.collapsed.length) {
    const names = omissions.collapsed.map((c) => `${c.section}: ${c.label}`);
    lines.push(
      `**${omissions.collapsed.length} diff${omissions.collapsed.length === 1 ? '' : 's'} not shown** to stay within GitHub's comment size limit (largest first: ${escapeMarkdownInline(boundedList(names, 800))}).`,
    );
  }
  const unlisted = omissions.unlisted.reduce((sum, u) => sum + u.count, 0);
  if (unlisted) lines.push(`**${unlisted} changed resources not listed** (${escapeMarkdownInline(boundedList(omissions.unlisted.map((u) => `${u.section}: ${u.count}`), 500))}).`);
  if (omissions.sectionsHidden) lines.push('**Per-environment details left out**: too many changes for one comment.');
  if (omissions.hiddenRows) lines.push(`**${omissions.hiddenRows} environments not shown in the table.**`);
  if (!lines.length) return '';
  return `---\n${lines.join('\n')}\nSee ${where} for everything.\n\n`;
}

function footer(input: PreviewCommentInput): string {
  const parts = [`head ${inlineCode(shortSha(input.headSha))}`];
  if (input.runUrl) parts.push(`[workflow run](${input.runUrl})`);
  if (input.summaryUrl && input.summaryUrl !== input.runUrl) parts.push(`[job summary](${input.summaryUrl})`);
  return `\n<sub>Slipway · ${parts.join(' · ')}</sub>\n`;
}

const ACTION_ORDER = { error: 0, delete: 1, create: 2, update: 3, unchanged: 4 } as const;

function byActionThenName(a: ChangeEntry, b: ChangeEntry): number {
  return ACTION_ORDER[a.action] - ACTION_ORDER[b.action] || describeRef(a.ref).localeCompare(describeRef(b.ref));
}

function lineCount(text: string): number {
  return text.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1).length;
}
