/**
 * Findings for people: the CLI's text listing, GitHub annotations, and the job summary table.
 * Findings never carry secret values (validation makes sure of that), so nothing is redacted here.
 */
import { formatLocation, type Finding, type Severity } from '../model/findings.js';
import { SEVERITY_ICON } from './markdown.js';

export interface TextOptions {
  color: boolean;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, notice: 2 };
const COLORS: Record<Severity, string> = { error: '\u001b[31m', warning: '\u001b[33m', notice: '\u001b[36m' };
const DIM = '\u001b[2m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** Stable order for every report: by file, then line and column, then severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.file ?? '\uffff').localeCompare(b.file ?? '\uffff') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
}

export interface FindingCounts {
  error: number;
  warning: number;
  notice: number;
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts: FindingCounts = { error: 0, warning: 0, notice: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

/** `3 errors, 1 warning, 0 notices`. */
export function formatTotals(findings: readonly Finding[]): string {
  const c = countFindings(findings);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.notice, 'notice')}`;
}

/**
 * Text for a terminal, grouped by file:
 *
 *   envs/dev/app.yaml
 *     envs/dev/app.yaml:12:7  error  schema  spec.replicas: expected integer, got string  (Deployment/web)
 *
 * and a totals line at the end.
 */
export function formatFindingsText(findings: readonly Finding[], options: TextOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  if (findings.length === 0) return 'No problems found.\n';
  const lines: string[] = [];
  let currentFile: string | undefined | null = null;
  const sorted = sortFindings(findings);
  const severityWidth = Math.max(...sorted.map((f) => f.severity.length));
  for (const f of sorted) {
    if (f.file !== currentFile) {
      if (currentFile !== null) lines.push('');
      lines.push(paint(BOLD, f.file ?? '(no file)'));
      currentFile = f.file;
    }
    const where = formatLocation(f) || '-';
    const severity = paint(COLORS[f.severity], f.severity.padEnd(severityWidth));
    const subject = [f.object, f.environment ? `env ${f.environment}` : undefined].filter(Boolean).join(', ');
    const tail = subject ? `  ${paint(DIM, `(${subject})`)}` : '';
    lines.push(`  ${where}  ${severity}  ${paint(DIM, f.rule)}  ${oneLine(f.message)}${tail}`);
  }
  lines.push('', paint(BOLD, formatTotals(findings)));
  return lines.join('\n') + '\n';
}

/** Arguments for @actions/core's error()/warning()/notice() with AnnotationProperties. */
export interface Annotation {
  level: Severity;
  message: string;
  title: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

export function findingsToAnnotations(findings: readonly Finding[]): Annotation[] {
  return sortFindings(findings).map((f) => {
    const annotation: Annotation = {
      level: f.severity,
      message: f.object ? `${f.message} (${f.object})` : f.message,
      title: f.environment ? `Slipway ${f.rule} (${f.environment})` : `Slipway ${f.rule}`,
    };
    if (f.file) annotation.file = f.file;
    if (f.file && f.line) annotation.startLine = f.line;
    // GitHub ignores a column without a line.
    if (f.file && f.line && f.column) annotation.startColumn = f.column;
    return annotation;
  });
}

/**
 * A Markdown table for the job summary (or a PR comment), at most `limit` rows; a final line
 * counts the rows left out.
 */
export function findingsMarkdownTable(findings: readonly Finding[], limit = 100): string {
  if (findings.length === 0) return '_No validation findings._\n';
  const sorted = sortFindings(findings);
  const shown = sorted.slice(0, Math.max(0, limit));
  const rows = shown.map((f) =>
    [
      SEVERITY_ICON[f.severity] + ' ' + f.severity,
      f.environment ?? '',
      formatLocation(f) ? code(formatLocation(f)) : '',
      code(f.rule),
      cell(f.object ?? ''),
      cell(f.message),
    ].join(' | '),
  );
  const out = ['| severity | environment | location | rule | object | message |', '|---|---|---|---|---|---|', ...rows.map((r) => `| ${r} |`)];
  const hidden = sorted.length - shown.length;
  if (hidden > 0) out.push('', `…and ${hidden} more finding${hidden === 1 ? '' : 's'} not shown (${formatTotals(findings)} in all).`);
  return out.join('\n') + '\n';
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Table cell text: one line, pipes and backticks escaped so the row stays a row. */
export function cell(text: string): string {
  return oneLine(text)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Inline code in a cell; backticks inside cannot be escaped in code spans, so they are replaced. */
function code(text: string): string {
  return '`' + oneLine(text).replace(/`/g, "'").replace(/\|/g, '\\|') + '`';
}
