/**
 * Overrides a setting of a shared Helm values file in the environment's own, later values file
 * (Helm merges maps key by key, and the last values file wins): set the keys where the own
 * file already has the map, or add the missing maps and keys as new lines, indented like the
 * file's own maps. Byte-minimal like every other promotion edit.
 */
import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import { UserError } from '../model/errors.js';
import { dominantStyle, findPair, formatScalar, insertPair, replaceScalar, type TextEdit } from './edit-yaml.js';
import { contentEnd } from './kustomization.js';
import { lineOf, type YamlFile } from './yaml-file.js';

export interface OverrideEdit {
  edits: TextEdit[];
  /** 1-based line (in the edited file) of the first value set. */
  line: number;
}

export function overrideEdit(file: YamlFile, path: readonly string[], values: ReadonlyArray<[string, string]>): OverrideEdit {
  const where = `${file.path}: cannot add ${[...path, values[0]?.[0] ?? ''].join('.')} to this values file`;
  const documents = file.documents.filter((d) => d.contents !== null);
  if (documents.length > 1) throw new UserError(`${where}: it holds several YAML documents.`, 'Keep one document in the values file and promote again.');
  const root = documents[0]?.contents;
  if (root === undefined || root === null) return appendBlock(file, file.text.length, 0, path, values);
  if (!isMap(root)) throw new UserError(`${where}: its top level is not a map.`, 'Make the values file a map of values and promote again.');

  let current: YAMLMap = root;
  let depth = 0;
  while (depth < path.length) {
    const pair = findPair(current, path[depth]);
    if (!pair) break;
    if (!isMap(pair.value) || (pair.value.items.length === 0 && !pair.value.flow)) {
      throw new UserError(
        `${where}: ${path.slice(0, depth + 1).join('.')} at line ${lineOf(file, (pair.key as { range: [number, number, number] }).range[0])} is not a map.`,
        `Write ${path.slice(0, depth + 1).join('.')} as a map (or remove it) and promote again.`,
      );
    }
    current = pair.value;
    depth += 1;
  }

  if (depth === path.length) {
    const edits: TextEdit[] = [];
    const lines: number[] = [];
    for (const [key, value] of values) {
      const pair = findPair(current, key);
      if (pair && isScalar(pair.value)) {
        edits.push(replaceScalar(file, pair.value, value));
        lines.push(lineOf(file, pair.value.range![0]));
      } else if (pair) {
        throw new UserError(`${where}: ${[...path, key].join('.')} is not a single value.`, `Make ${[...path, key].join('.')} a plain value and promote again.`);
      } else {
        const edit = insertPair(file, current, key, value, dominantStyle(current));
        edits.push(edit);
        lines.push(lineAtInsert(file, edit));
      }
    }
    return { edits, line: Math.min(...lines) };
  }
  if (current.flow) throw new UserError(`${where}: ${path.slice(0, depth).join('.')} is a flow map ({...}).`, 'Write it as a block map and promote again.');
  const firstKey = (current.items as Pair[])[0].key as { range: [number, number, number] };
  const indent = firstKey.range[0] - (file.text.lastIndexOf('\n', firstKey.range[0] - 1) + 1);
  const newline = file.text.indexOf('\n', contentEnd(current));
  return appendBlock(file, newline < 0 ? file.text.length : newline + 1, indent, path.slice(depth), values);
}

/** Nested block lines for `path` and `values` at `at` (a line start or the end of the text). */
function appendBlock(file: YamlFile, at: number, indent: number, path: readonly string[], values: ReadonlyArray<[string, string]>): OverrideEdit {
  const eol = file.eol;
  const needsBreak = at === file.text.length && file.text.length > 0 && !file.text.endsWith('\n');
  let text = needsBreak ? eol : '';
  path.forEach((key, index) => {
    text += `${' '.repeat(indent + 2 * index)}${formatScalar(key, 'PLAIN')}:${eol}`;
  });
  for (const [key, value] of values) text += `${' '.repeat(indent + 2 * path.length)}${key}: ${formatScalar(value, 'PLAIN')}${eol}`;
  const line = countLines(file.text.slice(0, at)) + (needsBreak ? 1 : 0) + path.length + 1;
  return { edits: [{ start: at, end: at, text }], line };
}

function lineAtInsert(file: YamlFile, edit: TextEdit): number {
  return countLines(file.text.slice(0, edit.start)) + (edit.text.startsWith(file.eol) ? 1 : 0) + 1;
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}
