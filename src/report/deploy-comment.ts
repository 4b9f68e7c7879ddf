/**
 * The comment a deploy leaves on the merged pull request: per environment what changed, whether it
 * became healthy, how long it took, and for failures which objects failed and why. Same size
 * discipline as the preview comment; its own marker, so it never replaces the preview.
 */

import type { SecretMask } from '../exec/secrets.js';
import type { Problem } from '../model/errors.js';
import type { ChangeSet } from '../model/changeset.js';
import { resultCounts } from '../model/changeset.js';
import type { Finding } from '../model/findings.js';
import type { FailingObject, HealthResult } from '../model/health.js';
import { describeRef, type ObjectRef } from '../model/objects.js';
import { changeSummaryMarkdown, summarizeChangeSet } from './change-summary.js';
import { boundedList, fitDocument, type BudgetDocument, type BudgetItem, type BudgetSection, type Omissions } from './budget.js';
import { COMMENT_BUDGET } from './preview-comment.js';
import { rollbackLabel, rollbackMarkdown, type RollbackReport } from './rollback.js';
import {
  bySeverity,
  escapeCell,
  escapeHtml,
  escapeMarkdownInline,
  fenced,
  problemMarkdown,
  validationBlock,
  formatDuration,
  inlineCode,
  shortSha,
} from './markdown.js';

export const DEPLOY_MARKER = '<!-- slipway:deploy -->';

/** Events shown per failing object; the newest ones, which say most about why. */
const EVENTS_SHOWN = 10;
/** Diagnosis lines per failing object (causes, 20 log lines each, Events). */
const CAUSE_LINES_SHOWN = 80;

export interface DeployCommentEnvironment {
  name: string;
  status: 'success' | 'failure' | 'skipped' | 'planned';
  changeSet?: ChangeSet;
  apply?: { applied: number; created: number; updated: number; unchanged: number; deleted: number; failed: Array<{ ref: ObjectRef; message: string }> };
  health?: HealthResult;
  durationMs: number;
  findings?: Finding[];
  error?: Problem;
  /** Why the environment was skipped. */
  reason?: string;
  /** What `onFailure: rollback` did after the failure. */
  rollback?: RollbackReport;
}

/** After an image line whose version goes back: a backwards promotion is allowed, never quiet. */
export const BACKWARDS_NOTE = ' ⚠️ **backwards**: an older version than the target ran';

export interface DeployCommentPromotion {
  source?: string;
  target: string;
  mode: string;
  changes: Array<{ image: string; from?: string; to: string; backwards?: true }>;
  commit?: string;
  pullRequestUrl?: string;
  error?: string;
}

export interface DeployCommentInput {
  environments: DeployCommentEnvironment[];
  sha: string;
  runUrl?: string;
  summaryUrl?: string;
  dryRun?: boolean;
  promotions?: DeployCommentPromotion[];
  /** Characters; default COMMENT_BUDGET. */
  budget?: number;
}

/** `secrets`: masked in the input before anything is escaped or cut, so no secret shows, whole or in part. */
export function renderDeployComment(raw: DeployCommentInput, secrets: SecretMask): string {
  const input = secrets.maskAll(raw);
  const link = input.summaryUrl ?? input.runUrl;
  const failed = input.environments.some((e) => e.status === 'failure');
  const verdict = failed
    ? `❌ **Deploy of ${inlineCode(shortSha(input.sha))} failed**`
    : `✅ **Deployed ${inlineCode(shortSha(input.sha))}**`;
  const head = `${DEPLOY_MARKER}\n## Slipway deploy${input.dryRun ? ' (dry run: nothing was written)' : ''}\n\n${verdict}${input.runUrl ? ` · [workflow run](${input.runUrl})` : ''}\n\n`;

  const sections = input.environments.map(section).filter((s): s is BudgetSection => s !== undefined);
  const promotions = promotionSection(input.promotions ?? []);
  if (promotions) sections.push(promotions);

  const doc: BudgetDocument = {
    head,
    tableHead: '| Environment | Result | Created | Updated | Unchanged | Deleted | Health | Duration |\n|:--|:--|--:|--:|--:|--:|:--|--:|\n',
    rows: input.environments.map((env) => tableRow(env)),
    moreRows: (hidden) => `\n… and ${hidden} more environments, listed in the job summary.\n`,
    afterTable: changesBlock(input.environments),
    sections,
    moreItems: (hidden) => `- … and ${hidden} more, listed in the job summary.\n\n`,
    note: (omissions) => omissionNote(omissions, link),
    foot: `\n<sub>Slipway · ${inlineCode(shortSha(input.sha))}${link ? ` · [job summary](${link})` : ''}</sub>\n`,
    minimal: `${head}Details are too large for a comment; see ${link ? `the [job summary](${link})` : 'the job summary of this run'}.\n`,
  };
  return fitDocument(doc, input.budget ?? COMMENT_BUDGET);
}

function counts(env: DeployCommentEnvironment): [string, string, string, string] {
  const c = resultCounts(env.changeSet, env.apply);
  return c ? [String(c.create), String(c.update), String(c.unchanged), String(c.delete)] : ['–', '–', '–', '–'];
}

export function healthLabel(env: Pick<DeployCommentEnvironment, 'status' | 'health' | 'error'>): string {
  if (env.status === 'skipped') return '⏭️ skipped';
  if (env.status === 'planned') return '📝 planned';
  if (env.health?.healthy) return '✅ healthy';
  if (env.health?.timedOut) return '⏱️ timed out';
  if (env.health) return '❌ failed';
  return env.status === 'failure' ? '❌ failed' : '✅ applied';
}

const RESULT: Record<DeployCommentEnvironment['status'], string> = {
  success: '✅ deployed',
  failure: '❌ failed',
  skipped: '⏭️ skipped',
  planned: '📝 planned',
};

/** What each deployed environment changed, in the change summary's words. */
function changesBlock(environments: DeployCommentEnvironment[]): string {
  const lines = environments.flatMap((env) => {
    if (!env.changeSet || env.status === 'skipped') return [];
    const summary = summarizeChangeSet(env.changeSet);
    if (summary.length === 0) return [];
    const name = `**${escapeMarkdownInline(env.name)}**`;
    if (summary.length === 1) return [`- ${name}: ${escapeMarkdownInline(summary[0])}\n`];
    return [`- ${name}:\n${changeSummaryMarkdown(env.changeSet, escapeMarkdownInline, 10).replace(/^(?=.)/gm, '  ').trimEnd()}\n`];
  });
  return lines.length ? `\n**What changed**\n\n${lines.join('')}\n` : '';
}

function tableRow(env: DeployCommentEnvironment): string {
  const [created, updated, unchanged, deleted] = counts(env);
  const duration = env.status === 'skipped' ? '–' : formatDuration(env.durationMs);
  const result = env.rollback ? `${RESULT[env.status]}, ${rollbackLabel(env.rollback)}` : RESULT[env.status];
  return `| **${escapeCell(env.name)}** | ${result} | ${created} | ${updated} | ${unchanged} | ${deleted} | ${healthLabel(env)} | ${duration} |\n`;
}

/** A section for environments with something to explain; none for a plain success. */
function section(env: DeployCommentEnvironment): BudgetSection | undefined {
  const failing = env.health?.failing ?? [];
  const applyFailures = env.apply?.failed ?? [];
  const findings = [...(env.findings ?? [])].filter((f) => f.severity !== 'notice').sort(bySeverity);
  if (!env.error && !env.reason && !failing.length && !applyFailures.length && !findings.length && !env.rollback) return undefined;

  let intro = '';
  if (env.error) intro += `❌ ${problemMarkdown(env.error)}\n\n`;
  if (env.rollback) intro += rollbackMarkdown(env.rollback);
  if (env.reason) intro += `⏭️ Skipped: ${escapeMarkdownInline(env.reason)}\n\n`;
  intro += validationBlock(findings);
  if (failing.length || applyFailures.length) intro += '**Failing objects**\n\n';

  const items = [
    ...applyFailures.map((f) => failingItem({ ref: f.ref, status: 'apply failed', message: f.message })),
    ...failing.map(failingItem),
  ];
  return {
    name: env.name,
    open: `<details open><summary><b>${escapeHtml(env.name)}</b>: ${healthLabel(env)}</summary>\n\n${intro}`,
    items,
    close: '</details>\n\n',
  };
}

/** A failing object, or an object whose apply failed (no health, no Events). */
function failingItem(object: Pick<FailingObject, 'ref' | 'message'> & { status: string; events?: string[]; causes?: string[] }): BudgetItem {
  const name = describeRef(object.ref);
  const status = object.status ? ` (${escapeMarkdownInline(object.status)})` : '';
  const message = escapeMarkdownInline(object.message);
  const oneLine = `- ❌ ${inlineCode(name)}${status}: ${message.length > 300 ? `${message.slice(0, 300)}…` : message}\n`;
  const events = (object.events ?? []).slice(-EVENTS_SHOWN);
  const causes = (object.causes ?? []).slice(0, CAUSE_LINES_SHOWN);
  // The first cause is the answer to "why"; it stays even in the compact form.
  const compact = causes.length ? `${oneLine}  - ${escapeMarkdownInline(truncate(causes[0] ?? '', 300))}\n` : oneLine;
  let full = causes.length ? `${oneLine}\n  <details open><summary>Why</summary>\n\n${indent(fenced(causes.join('\n')))}\n  </details>\n` : oneLine;
  if (events.length) full += `${causes.length ? '' : '\n'}  <details><summary>Recent events</summary>\n\n${indent(fenced(events.join('\n')))}\n  </details>\n\n`;
  else if (causes.length) full += '\n';
  return { full, compact, label: name };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function promotionSection(promotions: DeployCommentPromotion[]): BudgetSection | undefined {
  if (!promotions.length) return undefined;
  const items = promotions.map((p): BudgetItem => {
    const route = `${p.source ? `${escapeMarkdownInline(p.source)} → ` : ''}${escapeMarkdownInline(p.target)}`;
    const outcome = p.error
      ? `❌ ${escapeMarkdownInline(p.error)}`
      : p.pullRequestUrl
        ? `pull request ${p.pullRequestUrl}`
        : p.commit
          ? `commit ${inlineCode(shortSha(p.commit))}`
          : p.changes.length
            ? escapeMarkdownInline(p.mode)
            : 'already up to date';
    const line = `- **${route}**: ${outcome}${p.changes.length ? ` (${p.changes.length} image${p.changes.length === 1 ? '' : 's'})` : ''}\n`;
    const images = p.changes.map((c) => `  - ${inlineCode(c.image)}: ${c.from ? `${inlineCode(c.from)} → ` : ''}${inlineCode(c.to)}${c.backwards ? BACKWARDS_NOTE : ''}\n`).join('');
    return { full: line + images, compact: line, label: `${p.source ?? ''}→${p.target}` };
  });
  return { name: 'promotions', open: '**Promotions**\n\n', items, close: '\n' };
}

function omissionNote(omissions: Omissions, link: string | undefined): string {
  const lines: string[] = [];
  if (omissions.collapsed.length) {
    lines.push(`**Details of ${omissions.collapsed.length} objects shortened** to fit the comment (${escapeMarkdownInline(boundedList(omissions.collapsed.map((c) => `${c.section}: ${c.label}`), 800))}).`);
  }
  const unlisted = omissions.unlisted.reduce((sum, u) => sum + u.count, 0);
  if (unlisted) lines.push(`**${unlisted} more entries not listed** (${escapeMarkdownInline(boundedList(omissions.unlisted.map((u) => `${u.section}: ${u.count}`), 500))}).`);
  if (omissions.sectionsHidden) lines.push('**Per-environment details left out**: too many to fit one comment.');
  if (omissions.hiddenRows) lines.push(`**${omissions.hiddenRows} environments not shown in the table.**`);
  if (!lines.length) return '';
  return `---\n${lines.join('\n')}\nSee ${link ? `the [job summary](${link})` : 'the job summary of this run'} for everything.\n\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}
