/**
 * Where a key of a rendered object was written. Parsing records only where each document starts;
 * findings point at the exact key when the parser (or anyone holding the YAML document) sets a
 * locator on the rendered object (`RenderedObject.keys`). It is a field of the wrapper, never of
 * the Kubernetes body, so it is not sent to a server and a copy of the wrapper keeps it. Lookups
 * happen only when a finding is produced, so a locator costs a closure per document and nothing more.
 */
import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { KeyLocator, PathSegment, RenderedObject, SourceLocation } from './objects.js';

export type { KeyLocator } from './objects.js';

export function locateKey(rendered: RenderedObject, path: readonly PathSegment[]): SourceLocation | undefined {
  return rendered.keys?.(path);
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
