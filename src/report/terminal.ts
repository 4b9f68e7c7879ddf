/**
 * Change sets for a terminal (`slipway diff`): one header per environment, one line per changed
 * object, then its diff; coloured (green +, red -, cyan @@) only when the output is a TTY.
 */

import type { ChangeAction, ChangeSet } from '../model/changeset.js';
import { countChanges } from '../model/changeset.js';
import { summarizeChangeSet } from './change-summary.js';
import { describeRef } from '../model/objects.js';
import { ignoredFieldsNote } from './ignored-fields.js';

export interface TerminalOptions {
  color: boolean;
  /** Also list unchanged objects. Default false. */
  showUnchanged?: boolean;
}

const RESET = '\u001b[0m';
const BOLD = '\u001b[1m';
const RED = '\u001b[31m';
const GREEN = '\u001b[32m';
const YELLOW = '\u001b[33m';
const CYAN = '\u001b[36m';
const DIM = '\u001b[2m';

const ACTION_COLOR: Record<ChangeAction, string> = { create: GREEN, update: YELLOW, delete: RED, unchanged: DIM, error: RED };
const ACTION_SIGN: Record<ChangeAction, string> = { create: '+', update: '~', delete: '-', unchanged: '=', error: '!' };

export function formatChangeSet(changeSet: ChangeSet, options: TerminalOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const c = countChanges(changeSet.entries);
  const against = changeSet.mode === 'cluster' ? 'against the cluster' : 'against the base render';
  const ignored = ignoredFieldsNote(changeSet);
  const lines = [
    paint(BOLD, `${changeSet.environment} (${against}): ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.unchanged} unchanged${c.error ? `, ${c.error} failed` : ''}${ignored ? `, ${ignored}` : ''}`),
  ];
  const summary = summarizeChangeSet(changeSet);
  if (summary.length) lines.push(...summary.map((line) => `  ${line}`), '');
  for (const entry of changeSet.entries) {
    if (entry.action === 'unchanged' && !options.showUnchanged) continue;
    const notes = [entry.pruneProtected ? 'pruning disabled: kept' : '', entry.message ?? ''].filter(Boolean).join('; ');
    lines.push(paint(ACTION_COLOR[entry.action], `${ACTION_SIGN[entry.action]} ${entry.action} ${describeRef(entry.ref)}`) + (notes ? ` ${paint(DIM, `(${notes})`)}` : ''));
    if (entry.diff) lines.push(...entry.diff.replace(/\n$/, '').split('\n').map((line) => `    ${colourDiffLine(line, options.color)}`));
  }
  if (changeSet.entries.every((e) => e.action === 'unchanged')) lines.push('  no changes');
  return `${lines.join('\n')}\n`;
}

function colourDiffLine(line: string, color: boolean): string {
  if (!color) return line;
  if (line.startsWith('+++') || line.startsWith('---')) return `${BOLD}${line}${RESET}`;
  if (line.startsWith('+')) return `${GREEN}${line}${RESET}`;
  if (line.startsWith('-')) return `${RED}${line}${RESET}`;
  if (line.startsWith('@@')) return `${CYAN}${line}${RESET}`;
  return line;
}

