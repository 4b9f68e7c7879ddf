/** Small Markdown/HTML building blocks for comments and summaries, safe for any text put in them. */

import type { ChangeAction } from '../model/changeset.js';
import type { Finding, Severity } from '../model/findings.js';
import { formatLocation } from '../model/findings.js';
import type { Problem } from '../model/errors.js';

/** For text inside HTML elements such as `<summary>`. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** For one Markdown table cell: no line breaks, no column separators. */
export function escapeCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Inline code that survives backticks in the text (CommonMark: a longer backtick string delimits). */
export function inlineCode(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${oneLine}${pad}${ticks}`;
}

/**
 * A fenced code block whose fence is longer than any backtick run inside, so a line of ``` in a
 * diff (a Markdown file, a ConfigMap holding one) cannot close it early.
 */
export function fenced(content: string, language = ''): string {
  const longest = Math.max(0, ...(content.match(/`{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${fence}${language}\n${body}${fence}\n`;
}

/** A collapsible section; the blank line after `<summary>` lets GitHub render Markdown inside. */
export function details(summaryHtml: string, content: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summaryHtml}</summary>\n\n${content}${content.endsWith('\n') ? '' : '\n'}</details>\n`;
}

export const SEVERITY_ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', notice: 'ℹ️' };

export const ACTION_LABEL: Record<ChangeAction, string> = {
  create: '🟢 create',
  update: '🟡 update',
  delete: '🔴 delete',
  unchanged: '⚪ unchanged',
  error: '❌ error',
};

/** `✅`, or `❌ 2 ⚠️ 1` style counts of errors and warnings. */
export function validationBadge(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const parts: string[] = [];
  if (errors) parts.push(`❌ ${errors}`);
  if (warnings) parts.push(`⚠️ ${warnings}`);
  return parts.length ? parts.join(' ') : '✅';
}

/** One Markdown list item: icon, `file:line`, rule and message. */
export function findingListItem(finding: Finding): string {
  const where = formatLocation(finding);
  const subject = finding.object ? ` (${escapeMarkdownInline(finding.object)})` : '';
  return `- ${SEVERITY_ICON[finding.severity]} ${where ? `${inlineCode(where)} ` : ''}**${escapeMarkdownInline(finding.rule)}**: ${escapeMarkdownInline(finding.message)}${subject}\n`;
}

/** Findings of one rule with the same message (only their objects and places differ). */
export interface FindingGroup {
  first: Finding;
  findings: Finding[];
}

/** Repeated findings (14 "no schema for Application" warnings) become one group, in first-seen order. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const finding of findings) {
    const key = `${finding.severity}\u0000${finding.rule}\u0000${finding.message}`;
    const group = groups.get(key);
    if (group) group.findings.push(finding);
    else groups.set(key, { first: finding, findings: [finding] });
  }
  return [...groups.values()];
}

/** Objects named in a grouped line before "and N more": the job summary lists every one. */
const GROUPED_OBJECTS_SHOWN = 3;

/** One list item for a group: a lone finding as before, a repeated one once with its count and objects. */
/** Finding groups listed in a comment; the rest are counted and left to the job summary. */
const FINDING_GROUPS_SHOWN = 25;

/** A comment's "Validation" block: the first finding groups, then how many more the job summary lists; empty without findings. */
export function validationBlock(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const groups = groupFindings(findings);
  let block = `**Validation**\n\n${groups.slice(0, FINDING_GROUPS_SHOWN).map(findingGroupListItem).join('')}`;
  if (groups.length > FINDING_GROUPS_SHOWN) {
    const hidden = groups.slice(FINDING_GROUPS_SHOWN).reduce((sum, group) => sum + group.findings.length, 0);
    block += `- … and ${hidden} more findings in the job summary\n`;
  }
  return `${block}\n`;
}

export function findingGroupListItem(group: FindingGroup): string {
  if (group.findings.length === 1) return findingListItem(group.first);
  const { first, findings } = group;
  const subjects = findings.map((f) => f.object ?? formatLocation(f)).filter(Boolean);
  const shown = subjects.slice(0, GROUPED_OBJECTS_SHOWN).map(escapeMarkdownInline).join(', ');
  const more = subjects.length > GROUPED_OBJECTS_SHOWN ? `, … and ${subjects.length - GROUPED_OBJECTS_SHOWN} more in the job summary` : '';
  return `- ${SEVERITY_ICON[first.severity]} **${escapeMarkdownInline(first.rule)}** ×${findings.length}: ${escapeMarkdownInline(first.message)} (${shown}${more})\n`;
}

/**
 * Keeps free text on one line and stops it from opening HTML or being read as Markdown syntax.
 * The renderers mask secrets in their input first, so the mask itself is escaped too (a bare `***` is Markdown).
 */
export function escapeMarkdownInline(text: string): string {
  return escapeHtml(text.replace(/\r?\n+/g, ' ')).replace(/([\\`*_[\]|])/g, '\\$1');
}

/** A failure's message and, on a line of its own, its hint (one inline cell or paragraph). */
export function problemMarkdown(problem: Problem): string {
  return problem.hint ? `${escapeMarkdownInline(problem.message)}<br>${escapeMarkdownInline(problem.hint)}` : escapeMarkdownInline(problem.message);
}

/** Severity order for listings: errors first. */
export function bySeverity(a: Finding, b: Finding): number {
  const rank: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };
  return rank[a.severity] - rank[b.severity];
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}

export function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}
