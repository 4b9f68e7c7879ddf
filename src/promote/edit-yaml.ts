/**
 * Byte-minimal YAML edits. An edit replaces the source range of one scalar (quotes included)
 * with the new value written in the same quoting style, or inserts/removes whole lines next
 * to existing ones with the indentation and line ending the file already uses. Nothing is
 * re-serialised, so comments, blank lines, key order, anchors, `---` separators, CRLF and a
 * BOM survive untouched (re-serialising is how image updaters usually wreck files).
 */
import { isMap, isScalar, parseDocument, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { UserError } from '../model/errors.js';
import { lineOf, type YamlFile } from './yaml-file.js';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (any order) to `text`. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.end > limit) throw new Error(`overlapping edits at offset ${edit.start}`);
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    limit = edit.start;
  }
  return result;
}

export type QuoteStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';

/** Rewrites one scalar in place; a plain scalar becomes double-quoted only when the new value would not read back as the same string. */
export function replaceScalar(file: YamlFile, node: Scalar, value: string): TextEdit {
  const [start, end] = rangeOf(file, node);
  const style = node.type;
  if (style !== 'PLAIN' && style !== 'QUOTE_SINGLE' && style !== 'QUOTE_DOUBLE') {
    throw new UserError(
      `${file.path}:${lineOf(file, start)}: the value is a block scalar (| or >); Slipway edits only plain or quoted scalars.`,
      'Write the value on one line (plain or quoted) and promote again.',
    );
  }
  return { start, end, text: formatScalar(value, style, inFlow(file, start)) };
}

export function formatScalar(value: string, style: QuoteStyle, flow = false): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE' || !isPlainSafe(value, flow)) return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return value;
}

/**
 * A plain scalar is safe when it reads back as the same string under YAML 1.2 and 1.1 (kyaml
 * and Helm still treat `yes`, `1.10`-as-float and octal `010` differently), so `1.10` is quoted
 * instead of turning into the number 1.1.
 */
export function isPlainSafe(value: string, flow = false): boolean {
  if (value === '' || (flow && /[,[\]{}]/.test(value))) return false;
  for (const version of ['1.2', '1.1'] as const) {
    const doc = parseDocument(value, { version });
    if (doc.errors.length > 0 || !isScalar(doc.contents)) return false;
    if (doc.contents.type !== 'PLAIN' || doc.contents.value !== value) return false;
  }
  return true;
}

function rangeOf(file: YamlFile, node: { range?: [number, number, number] | null }): [number, number] {
  if (!node.range) throw new Error(`${file.path}: a YAML node has no source range`);
  return [node.range[0], node.range[1]];
}

/** Whether an offset sits inside a flow collection, where `,` and brackets end a plain scalar. */
function inFlow(file: YamlFile, offset: number): boolean {
  const lineStart = file.text.lastIndexOf('\n', offset - 1) + 1;
  const before = file.text.slice(lineStart, offset);
  return /[[{]/.test(before.replace(/"[^"]*"|'[^']*'/g, ''));
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just after the line ending of the line holding `offset` (or the end of the text). */
function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/**
 * Adds `key: value` to a map: in block style as a new line after the map's last pair, with the
 * map's own key indentation; in flow style as `, key: value` before the closing brace.
 */
export function insertPair(file: YamlFile, map: YAMLMap, key: string, value: string, style: QuoteStyle): TextEdit {
  const pairs = map.items as Pair[];
  const last = pairs.at(-1);
  if (!map.range || !last || !isScalar(last.key)) {
    throw new Error(`${file.path}: cannot add ${key} to an empty or complex map`);
  }
  if (map.flow) {
    const close = file.text.lastIndexOf('}', map.range[1]);
    let at = close;
    while (at > 0 && /\s/.test(file.text[at - 1])) at -= 1;
    return { start: at, end: at, text: `, ${key}: ${formatScalar(value, style, true)}` };
  }
  const firstKey = pairs[0].key as Scalar;
  const indent = ' '.repeat(firstKey.range![0] - lineStartOf(file.text, firstKey.range![0]));
  const lastEnd = (last.value as { range?: [number, number, number] } | null)?.range?.[1] ?? last.key.range![1];
  const at = nextLineStart(file.text, lastEnd);
  const needsBreak = at === file.text.length && !file.text.endsWith('\n');
  return { start: at, end: at, text: `${needsBreak ? file.eol : ''}${indent}${key}: ${formatScalar(value, style)}${file.eol}` };
}

/** Removes one `key: value` line of a block map; refused when the pair shares its line with `- ` or other content. */
export function removePair(file: YamlFile, map: YAMLMap, pair: Pair): TextEdit {
  const key = pair.key as Scalar;
  const start = lineStartOf(file.text, key.range![0]);
  const valueEnd = (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ?? key.range![1];
  const line = lineOf(file, key.range![0]);
  if (map.flow || file.text.slice(start, key.range![0]).trim() !== '' || lineOf(file, valueEnd) !== line) {
    throw new UserError(
      `${file.path}:${line}: ${String(key.value)} must be removed for this promotion, but it shares its line with other content.`,
      `Put ${String(key.value)} on a line of its own (not directly after '- ') and promote again.`,
    );
  }
  return { start, end: nextLineStart(file.text, valueEnd), text: '' };
}

/** The quoting style most values of a map use, so inserted values look like their neighbours. */
export function dominantStyle(map: YAMLMap): QuoteStyle {
  for (const pair of map.items as Pair[]) {
    if (isScalar(pair.value) && (pair.value.type === 'QUOTE_DOUBLE' || pair.value.type === 'QUOTE_SINGLE')) return pair.value.type;
  }
  return 'PLAIN';
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === key);
}

export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value;
  // A number or boolean written plain (`tag: 1.4`) is still the text the user wrote.
  return node.source ?? (node.value === null || node.value === undefined ? undefined : String(node.value));
}

export { isMap };
