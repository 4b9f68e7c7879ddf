/**
 * How a rollback reads in every report (deploy comment, job summary, JSON report, terminal):
 * what it did in one sentence, which objects it deleted and which it left, and when it failed
 * too, its own failing objects with the first line of why.
 */

import type { ObjectRef } from '../model/objects.js';
import { describeRef } from '../model/objects.js';
import type { HealthResult } from '../model/health.js';
import { escapeMarkdownInline, inlineCode } from './markdown.js';

export interface RollbackReport {
  /** `nothing`: no healthy deploy was recorded; `superseded`: a newer healthy deploy was recorded meanwhile. */
  status: 'rolled-back' | 'failed' | 'nothing' | 'superseded';
  commit?: string;
  /** One sentence, e.g. `rolled back to 1a2b3c4d5e6f and healthy (2 applied, 1 pruned)`. */
  summary: string;
  pruned: ObjectRef[];
  kept: ObjectRef[];
  health?: HealthResult;
  apply?: { failed: Array<{ ref: ObjectRef; message: string }> };
}

const ICON: Record<RollbackReport['status'], string> = { 'rolled-back': '↩️', failed: '❌', nothing: '⚠️', superseded: '⏭️' };
/** Objects named per list; the JSON report has them all. */
const LISTED = 20;

/** Short words for a table cell. */
export function rollbackLabel(rollback: RollbackReport): string {
  switch (rollback.status) {
    case 'rolled-back':
      return `↩️ rolled back${rollback.commit ? ` to ${rollback.commit.slice(0, 7)}` : ''}`;
    case 'failed':
      return '❌ rollback failed';
    case 'nothing':
      return '⚠️ nothing to roll back to';
    case 'superseded':
      return '⏭️ not rolled back';
  }
}

function failures(rollback: RollbackReport): Array<{ ref: ObjectRef; status?: string; message: string; cause?: string }> {
  return [
    ...(rollback.apply?.failed ?? []).map((f) => ({ ref: f.ref, status: 'apply failed', message: f.message })),
    ...(rollback.health?.failing ?? []).map((f) => ({ ref: f.ref, status: f.status, message: f.message, cause: f.causes?.[0] })),
  ];
}

function names(refs: readonly ObjectRef[]): string[] {
  const shown = refs.slice(0, LISTED).map(describeRef);
  return refs.length > LISTED ? [...shown, `… and ${refs.length - LISTED} more`] : shown;
}

export function rollbackMarkdown(rollback: RollbackReport): string {
  let text = `${ICON[rollback.status]} **Rollback**: ${escapeMarkdownInline(rollback.summary)}\n\n`;
  if (rollback.pruned.length) text += `- deleted (created by the failed deploy): ${names(rollback.pruned).map(inlineCode).join(', ')}\n`;
  if (rollback.kept.length) text += `- kept (existed before the failed deploy): ${names(rollback.kept).map(inlineCode).join(', ')}\n`;
  for (const f of failures(rollback).slice(0, LISTED)) {
    text += `- ❌ ${inlineCode(describeRef(f.ref))}${f.status ? ` (${escapeMarkdownInline(f.status)})` : ''}: ${escapeMarkdownInline(f.message)}${f.cause ? ` - ${escapeMarkdownInline(f.cause)}` : ''}\n`;
  }
  return rollback.pruned.length || rollback.kept.length || failures(rollback).length ? `${text}\n` : text;
}

/** Plain lines for a terminal, unindented. */
export function rollbackText(rollback: RollbackReport): string[] {
  const lines = [`rollback: ${rollback.summary}`];
  if (rollback.pruned.length) lines.push(`  deleted (created by the failed deploy): ${names(rollback.pruned).join(', ')}`);
  if (rollback.kept.length) lines.push(`  kept (existed before the failed deploy): ${names(rollback.kept).join(', ')}`);
  for (const f of failures(rollback)) lines.push(`  ${describeRef(f.ref)}: ${f.status ? `${f.status}: ` : ''}${f.message}${f.cause ? `\n    ${f.cause}` : ''}`);
  return lines;
}

/** The JSON report's form: objects named as everywhere else in it. */
export function rollbackJson(rollback: RollbackReport): { status: string; commit?: string; summary: string; pruned: string[]; kept: string[]; healthy?: boolean; failing: Array<{ object: string; status?: string; message: string; causes: string[] }> } {
  return {
    status: rollback.status,
    commit: rollback.commit,
    summary: rollback.summary,
    pruned: rollback.pruned.map(describeRef),
    kept: rollback.kept.map(describeRef),
    healthy: rollback.health?.healthy,
    failing: [
      ...(rollback.apply?.failed ?? []).map((f) => ({ object: describeRef(f.ref), status: 'apply failed', message: f.message, causes: [] })),
      ...(rollback.health?.failing ?? []).map((f) => ({ object: describeRef(f.ref), status: f.status, message: f.message, causes: f.causes ?? [] })),
    ],
  };
}
