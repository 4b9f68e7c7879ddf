/**
 * Where a key of a rendered object was written. Parsing records only where each document starts;
 * findings point at the exact key when the parser (or anyone holding the YAML document) attaches
 * a locator to the object. Lookups happen only when a finding is produced, so attaching one costs
 * a closure per document and nothing more.
 */
import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { KubeObject, PathSegment, SourceLocation } from './objects.js';

/** Returns the location of the key at `path`, or of its nearest existing ancestor. */
export type KeyLocator = (path: readonly PathSegment[]) => SourceLocation | undefined;

const locators = new WeakMap<KubeObject, KeyLocator>();

export function attachKeyLocator(object: KubeObject, locator: KeyLocator): void {
  locators.set(object, locator);
}

export function locateKey(object: KubeObject, path: readonly PathSegment[]): SourceLocation | undefined {
  return locators.get(object)?.(path);
}

/**
 * A locator over a parsed `yaml` document node (e.g. `document.contents`) whose ranges are
 * offsets counted by `lineCounter` in `file`. `lineOffset` shifts lines when the text handed to
 * the parser was a slice of the file.
 */
export function yamlKeyLocator(root: unknown, lineCounter: LineCounter, file: string, lineOffset = 0): KeyLocator {
  return (path) => {
    let node = root as Node | null | undefined;
    let offset = (node as Node | undefined)?.range?.[0];
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        node = pair.value as Node | null;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    if (offset === undefined) return undefined;
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: line + lineOffset, column: col };
  };
}
