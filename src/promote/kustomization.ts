/**
 * kustomize `images:` entries of a kustomization: read them, and add new ones. An entry
 * matches a rendered image by its output name (`newName` when set, else `name`), because
 * that is the name the rendered manifests carry.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { UserError } from '../model/errors.js';
import { findPair, formatScalar, scalarString, type TextEdit } from './edit-yaml.js';
import type { ImageRef } from './image-ref.js';
import { lineOf, type YamlFile } from './yaml-file.js';

import { KUSTOMIZATION_FILES } from '../render/kustomize-origins.js';

export function isKustomizationPath(path: string): boolean {
  return KUSTOMIZATION_FILES.includes(path.split('/').at(-1) ?? '');
}

export interface KustomizeImageEntry {
  file: YamlFile;
  map: YAMLMap;
  name: string;
  /** The name kustomize writes into the manifests. */
  outputName: string;
  newTag?: Pair<Scalar, Scalar>;
  digest?: Pair<Scalar, Scalar>;
  line: number;
}

export function kustomizeImageEntries(file: YamlFile): KustomizeImageEntry[] {
  const entries: KustomizeImageEntry[] = [];
  for (const document of file.documents) {
    const images = isMap(document.contents) ? findPair(document.contents, 'images') : undefined;
    if (!images || !isSeq(images.value)) continue;
    for (const item of images.value.items) {
      if (!isMap(item)) continue;
      const name = scalarString(findPair(item, 'name')?.value);
      if (!name) continue;
      const newName = scalarString(findPair(item, 'newName')?.value);
      const newTag = findPair(item, 'newTag');
      const digest = findPair(item, 'digest');
      entries.push({
        file,
        map: item,
        name,
        outputName: newName || name,
        ...(newTag && isScalar(newTag.value) ? { newTag: newTag as Pair<Scalar, Scalar> } : {}),
        ...(digest && isScalar(digest.value) ? { digest: digest as Pair<Scalar, Scalar> } : {}),
        line: lineOf(file, item.range![0]),
      });
    }
  }
  return entries;
}

/**
 * Appends `images:` entries for images that are set only in a shared base: to the existing
 * `images:` list (same dash and key indentation as its items), or as a new `images:` key at the
 * end of the kustomization (sequence indentation copied from its other lists).
 * Returns the edit and the 1-based line (in the edited file) of each entry's first value.
 */
export function addImageEntries(file: YamlFile, images: readonly ImageRef[]): { edit: TextEdit; lines: number[] } {
  const document = file.documents[0];
  const root = document?.contents;
  if (!document || !isMap(root)) {
    throw new UserError(`${file.path}: is not a kustomization map; cannot add an images: entry.`, 'Add the images: entry by hand or fix the file.');
  }
  const eol = file.eol;
  const images_ = findPair(root, 'images');
  if (images_ && isSeq(images_.value) && images_.value.flow) {
    return flowEntries(file, images_.value, images);
  }
  if (images_ && isSeq(images_.value) && images_.value.items.length > 0) {
    const seq = images_.value;
    const dashColumn = columnAt(file, seq.range![0]);
    const first = seq.items[0];
    const keyOffset = isMap(first) && first.range ? columnAt(file, first.range[0]) - dashColumn : 2;
    const at = nextLineStart(file.text, contentEnd(seq));
    return blockEntries(file, at, ' '.repeat(dashColumn), keyOffset, images, '');
  }
  if (images_) {
    throw new UserError(`${file.path}:${lineOf(file, images_.key ? (images_.key as Node).range![0] : 0)}: images: is not a list; cannot add an entry.`, 'Make images: a list (or remove the empty key) and promote again.');
  }
  // No images: key yet: add one after the last top-level entry.
  const at = nextLineStart(file.text, contentEnd(root));
  const seqIndent = sequenceIndent(file, root);
  return blockEntries(file, at, ' '.repeat(seqIndent), 2, images, `images:${eol}`);
}

/** New block entries inserted at `at` (a line start, or the end of a file that may lack its last line break). */
function blockEntries(file: YamlFile, at: number, dash: string, keyOffset: number, images: readonly ImageRef[], header: string) {
  const eol = file.eol;
  const pad = ' '.repeat(Math.max(keyOffset, 2));
  const lines: number[] = [];
  const needsBreak = at === file.text.length && file.text.length > 0 && !file.text.endsWith('\n');
  let text = (needsBreak ? eol : '') + header;
  let line = countLines(file.text.slice(0, at)) + (needsBreak ? 1 : 0) + (header ? 1 : 0);
  for (const image of images) {
    text += `${dash}-${pad.slice(1)}name: ${formatScalar(image.name, 'PLAIN')}${eol}`;
    line += 1;
    lines.push(line + 1);
    if (image.tag !== undefined) {
      text += `${dash}${pad}newTag: ${formatScalar(image.tag, 'PLAIN')}${eol}`;
      line += 1;
    }
    if (image.digest !== undefined) {
      text += `${dash}${pad}digest: ${formatScalar(image.digest, 'PLAIN')}${eol}`;
      line += 1;
    }
  }
  return { edit: { start: at, end: at, text }, lines };
}

function flowEntries(file: YamlFile, seq: YAMLSeq, images: readonly ImageRef[]) {
  const close = file.text.lastIndexOf(']', seq.range![1]);
  let at = close;
  while (at > 0 && /\s/.test(file.text[at - 1])) at -= 1;
  const items = images.map((image) => {
    const parts = [`name: ${formatScalar(image.name, 'PLAIN', true)}`];
    if (image.tag !== undefined) parts.push(`newTag: ${formatScalar(image.tag, 'PLAIN', true)}`);
    if (image.digest !== undefined) parts.push(`digest: ${formatScalar(image.digest, 'PLAIN', true)}`);
    return `{${parts.join(', ')}}`;
  });
  const text = `${seq.items.length > 0 ? ', ' : ''}${items.join(', ')}`;
  return { edit: { start: at, end: at, text }, lines: images.map(() => lineOf(file, at)) };
}

/** Indentation of `- ` relative to its key in the file's other top-level lists (`resources:` etc.), default 0. */
function sequenceIndent(file: YamlFile, root: YAMLMap): number {
  for (const pair of root.items as Pair[]) {
    if (isSeq(pair.value) && !pair.value.flow && pair.value.range && isScalar(pair.key)) {
      return columnAt(file, pair.value.range[0]) - columnAt(file, (pair.key as Scalar).range![0]);
    }
  }
  return 0;
}

/** End offset of the last value inside a node (block collections' ranges also cover trailing comments). */
export function contentEnd(node: unknown): number {
  if (isMap(node) && node.items.length > 0 && !node.flow) {
    const last = node.items.at(-1) as Pair;
    return contentEnd(last.value ?? last.key);
  }
  if (isSeq(node) && node.items.length > 0 && !node.flow) return contentEnd(node.items.at(-1));
  return (node as Node).range![1];
}

function columnAt(file: YamlFile, offset: number): number {
  return offset - (file.text.lastIndexOf('\n', offset - 1) + 1);
}

function nextLineStart(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline + 1;
}

/** Number of line breaks, i.e. the 0-based line of the text's end. */
function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count += 1;
  return count;
}
