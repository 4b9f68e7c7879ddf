/**
 * The job summary: everything a run did, in full (every diff, every finding, durations), for the page
 * GitHub shows under the run. GitHub takes at most 1 MiB per step, counted in UTF-8 bytes; past
 * that, the largest diffs are left out first and named.
 */

import type { SecretMask } from '../exec/secrets.js';
import type { Problem } from '../model/errors.js';
import { appendFile } from 'node:fs/promises';
import type { ChangeEntry, ChangeSet } from '../model/changeset.js';
import { resultCounts, type AppliedCounts } from '../model/changeset.js';
import type { Finding } from '../model/findings.js';
import { describeRef } from '../model/objects.js';
import { ignoredFieldsNote } from './ignored-fields.js';
import { changeSummaryMarkdown } from './change-summary.js';
import { boundedList, fitDocument, type BudgetDocument, type BudgetItem, type BudgetSection, type Omissions } from './budget.js';
import type { HealthResult } from '../model/health.js';
import { BACKWARDS_NOTE, type DeployCommentPromotion } from './deploy-comment.js';
import { findingsMarkdownTable } from './findings.js';
import { rollbackLabel, rollbackMarkdown, type RollbackReport } from './rollback.js';
import { ACTION_LABEL, details, escapeCell, escapeHtml, escapeMarkdownInline, fenced, formatDuration, inlineCode, problemMarkdown, shortSha, validationBadge } from './markdown.js';

/** GitHub's limit per step is 1 MiB; the margin leaves room for anything else the step writes. */
export const SUMMARY_BUDGET_BYTES = 1024 * 1024 - 8 * 1024;

const FINDINGS_ROWS = 1000;
const FAILING_SHOWN = 200;

export interface SummaryEnvironment {
  name: string;
  /** What happened, e.g. `success`, `failure`, `skipped`, `previewed`, `drifted`, `in sync`. */
  status?: string;
  mode?: 'cluster' | 'render';
  changeSet?: ChangeSet;
  /** What a deploy did; its counts are shown instead of the plan's. */
  apply?: AppliedCounts;
  findings?: Finding[];
  health?: HealthResult;
  durationMs?: number;
  error?: Problem;
  note?: string;
  /** What `onFailure: rollback` did after a failed deploy. */
  rollback?: RollbackReport;
}

export interface JobSummaryInput {
  /** `preview`, `deploy`, `promote`, `drift`, `validate`, `plan`. */
  command: string;
  sha?: string;
  runUrl?: string;
  dryRun?: boolean;
  totalMs?: number;
  environments: SummaryEnvironment[];
  promotions?: DeployCommentPromotion[];
  /** UTF-8 bytes; default SUMMARY_BUDGET_BYTES. */
  budgetBytes?: number;
}

/** `secrets`: masked in the input before anything is escaped or cut, so no secret shows, whole or in part. */
export function renderJobSummary(raw: JobSummaryInput, secrets: SecretMask): string {
  const input = secrets.maskAll(raw);
  const budget = input.budgetBytes ?? SUMMARY_BUDGET_BYTES;
  const facts = [
    input.sha ? `commit ${inlineCode(shortSha(input.sha))}` : '',
    input.totalMs !== undefined ? `took ${formatDuration(input.totalMs)}` : '',
    input.dryRun ? '**dry run**: nothing was written' : '',
  ].filter(Boolean);
  const head = `## Slipway ${escapeMarkdownInline(input.command)}\n\n${facts.length ? `${facts.join(' · ')}\n\n` : ''}`;
  const withDiffs = input.environments.filter((env) => env.changeSet?.entries.some((e) => e.action !== 'unchanged'));

  const doc: BudgetDocument = {
    head,
    tableHead: '| Environment | Status | Create | Update | Delete | Unchanged | Validation | Duration |\n|:--|:--|--:|--:|--:|--:|:--|--:|\n',
    rows: input.environments.map((env) => tableRow(env)),
    moreRows: (hidden) => `\n… and ${hidden} more environments (see the JSON report).\n`,
    afterTable: (
      [findingsBlock(input.environments), failuresBlock(input.environments), promotionsBlock(input.promotions ?? [])]
        .filter(Boolean)
        .join('') + (withDiffs.length ? '### Changes\n\n' : '')
    ),
    sections: withDiffs.map(diffSection),
    moreItems: (hidden) => `- … and ${hidden} more changed resources (see the JSON report)\n\n`,
    note: omissionNote,
    foot: input.runUrl ? `\n<sub>Slipway · [workflow run](${input.runUrl})</sub>\n` : '',
    minimal: `${head}The summary of this run is larger than GitHub allows; see the JSON report.\n`,
  };
  return fitDocument(doc, budget, (text) => Buffer.byteLength(text, 'utf8'));
}

/** Appends to the step's summary file (`GITHUB_STEP_SUMMARY`); false when there is none (outside Actions). */
export async function writeJobSummary(markdown: string, file: string | undefined, secrets: SecretMask): Promise<boolean> {
  if (!file) return false;
  await appendFile(file, secrets.mask(markdown), 'utf8');
  return true;
}

function tableRow(env: SummaryEnvironment): string {
  const c = resultCounts(env.changeSet, env.apply);
  const n = (value: number | undefined) => (value === undefined ? '–' : String(value));
  const ignored = ignoredFieldsNote(env.changeSet);
  const plain = env.error ? `❌ ${escapeCell(env.status ?? 'error')}` : escapeCell(env.status ?? (c ? 'done' : '–'));
  const status = (env.rollback ? `${plain}, ${escapeCell(rollbackLabel(env.rollback))}` : plain) + (ignored ? ` · ${ignored}` : '');
  const duration = env.durationMs === undefined ? '–' : formatDuration(env.durationMs);
  return `| **${escapeCell(env.name)}** | ${status} | ${n(c?.create)} | ${n(c?.update)} | ${n(c?.delete)} | ${n(c?.unchanged)} | ${validationBadge(env.findings ?? [])} | ${duration} |\n`;
}

function findingsBlock(environments: SummaryEnvironment[]): string {
  const all = environments.flatMap((env) => (env.findings ?? []).map((f) => ({ ...f, environment: f.environment ?? env.name })));
  if (!all.length) return '';
  return `### Validation\n\n${findingsMarkdownTable(all, FINDINGS_ROWS)}\n`;
}

function failuresBlock(environments: SummaryEnvironment[]): string {
  const lines: string[] = [];
  for (const env of environments) {
    const failing = env.health?.failing ?? [];
    if (!env.error && !failing.length && !env.note && !env.rollback) continue;
    lines.push(`**${escapeMarkdownInline(env.name)}**\n\n`);
    if (env.error) lines.push(`- ❌ ${problemMarkdown(env.error)}\n`);
    if (env.note) lines.push(`- ${escapeMarkdownInline(env.note)}\n`);
    for (const object of failing.slice(0, FAILING_SHOWN)) {
      const status = object.status ? ` (${escapeMarkdownInline(object.status)})` : '';
      lines.push(`- ❌ ${inlineCode(describeRef(object.ref))}${status}: ${escapeMarkdownInline(object.message)}\n`);
      if (object.causes?.length) lines.push(`\n${fenced(object.causes.join('\n')).replace(/^/gm, '  ')}\n`);
      if (object.events?.length) lines.push(`\n${fenced(object.events.join('\n')).replace(/^/gm, '  ')}\n`);
    }
    if (failing.length > FAILING_SHOWN) lines.push(`- … and ${failing.length - FAILING_SHOWN} more failing objects (see the JSON report)\n`);
    if (env.rollback) lines.push(`\n${rollbackMarkdown(env.rollback)}`);
    lines.push('\n');
  }
  return lines.length ? `### Problems\n\n${lines.join('')}` : '';
}

function promotionsBlock(promotions: DeployCommentPromotion[]): string {
  if (!promotions.length) return '';
  const lines = promotions.map((p) => {
    const outcome = p.error ? `❌ ${escapeMarkdownInline(p.error)}` : p.pullRequestUrl ?? (p.commit ? `commit ${inlineCode(p.commit)}` : escapeMarkdownInline(p.mode));
    const images = p.changes.map((c) => `  - ${inlineCode(c.image)}: ${c.from ? `${inlineCode(c.from)} → ` : ''}${inlineCode(c.to)}${c.backwards ? BACKWARDS_NOTE : ''}\n`).join('');
    return `- **${escapeMarkdownInline(p.source ?? '(pins)')} → ${escapeMarkdownInline(p.target)}**: ${outcome}\n${images}`;
  });
  return `### Promotions\n\n${lines.join('')}\n`;
}

function diffSection(env: SummaryEnvironment): BudgetSection {
  const against = env.mode === 'render' ? 'against the base render' : env.mode === 'cluster' ? 'against the cluster' : '';
  const changed = (env.changeSet?.entries ?? []).filter((e) => e.action !== 'unchanged');
  return {
    name: env.name,
    open: `#### ${escapeMarkdownInline(env.name)}${against ? ` (${against})` : ''}\n\n${env.changeSet ? changeSummaryMarkdown(env.changeSet, escapeMarkdownInline) : ''}`,
    items: changed.map(diffItem),
    close: '\n',
  };
}

function diffItem(entry: ChangeEntry): BudgetItem {
  const name = describeRef(entry.ref);
  const source = entry.source ? ` · <code>${escapeHtml(`${entry.source.file}:${entry.source.line}`)}</code>` : '';
  const label = `${ACTION_LABEL[entry.action]} <code>${escapeHtml(name)}</code>${entry.pruneProtected ? ' (pruning disabled: kept)' : ''}${source}`;
  const message = entry.message ? `${escapeMarkdownInline(entry.message)}\n\n` : '';
  const full = entry.diff || message ? details(label, `${message}${entry.diff ? fenced(entry.diff, 'diff') : ''}`) : `- ${label}\n\n`;
  const compact = entry.diff ? `- ${label}: diff left out (summary size limit)\n\n` : full;
  return { full, compact, label: name };
}

function omissionNote(omissions: Omissions): string {
  const lines: string[] = [];
  if (omissions.collapsed.length) {
    const names = omissions.collapsed.map((c) => `${c.section}: ${c.label}`);
    lines.push(`**${omissions.collapsed.length} diffs left out** to stay within GitHub's 1 MiB summary limit (largest first: ${escapeMarkdownInline(boundedList(names, 4000))}).`);
  }
  const unlisted = omissions.unlisted.reduce((sum, u) => sum + u.count, 0);
  if (unlisted) lines.push(`**${unlisted} changed resources not listed.**`);
  if (omissions.sectionsHidden) lines.push('**Details left out**: the summary would exceed 1 MiB.');
  if (omissions.hiddenRows) lines.push(`**${omissions.hiddenRows} environments not shown.**`);
  return lines.length ? `\n---\n${lines.join('\n')}\nThe JSON report (the \`report\` output) lists every object and action.\n` : '';
}
