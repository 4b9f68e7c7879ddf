/**
 * Text patterns that send a document to the slow path. js-yaml is more lenient than the `yaml`
 * package in a few places, and reads a few constructs differently; a document showing any of
 * these is parsed by the `yaml` package instead, so its objects and findings stay exactly those
 * of the slow path. The patterns are deliberately broad: a false alarm costs only speed.
 */
import type { DocumentSlice } from './parse-fast-split.js';

// Each pattern starts at a rare character and looks behind only there, so a scan costs little.
const SUSPECTS: readonly RegExp[] = [
  // Tabs: `yaml` refuses some tab indentation (even inside block scalars) that js-yaml accepts.
  /\t/g,
  // Anchors, aliases and tags where a token starts: aliases must stay bounded by the slow path's
  // alias limit, and tags are resolved by the `yaml` schema only.
  /(?:[&*](?=[^\s[\]{},])|!)(?<=(?:^|[\s[{,:])[&*!])/gm,
  // Merge keys.
  /<</g,
  // An empty block sequence entry: js-yaml then accepts later entries at another indentation.
  /^ *-(?: +(?:#.*)?)?$/gm,
  // A comment right after an indicator or a closing quote: `yaml` wants a space first.
  /#(?<=(?:[:,[\]{}]|[^\s[{,:]["'])#)/g,
  // An explicit `?` key, and (next) a flow collection as a key: the libraries turn such keys
  // into different strings.
  /\?(?=[\s,\]}]|$)(?<=(?:^|[\s[{,])\?)/gm,
  // Also null or empty keys (`~:`, `null:`, `{: x}`): `yaml` writes them as "", js-yaml as "null".
  /:(?=[\s,\]}]|$)(?<=(?:[\]}]|(?:^|[\s[{,?-])(?:~|null|Null|NULL)?)[ \t]*:)/gm,
];

/** Marks every slice whose text matches a suspect pattern, or leaves a flow collection or quoted scalar open at a line end. */
export function markSuspects(text: string, slices: DocumentSlice[]): void {
  for (const pattern of SUSPECTS) markMatches(text, slices, pattern);
  markLinesLeftOpen(text, slices);
}

function markMatches(text: string, slices: DocumentSlice[], pattern: RegExp): void {
  pattern.lastIndex = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const slice = sliceAt(slices, match.index);
    if (slice === undefined) continue;
    slice.slow = true;
    // One match is enough for a document: continue after it.
    pattern.lastIndex = Math.max(slice.end, match.index + 1);
  }
}

/**
 * `yaml` wants the continuation lines of a flow collection or quoted scalar indented past the
 * enclosing block; js-yaml does not check. Rather than track indentation, a document with a
 * flow collection or quoted scalar left open at the end of a line is sent to the slow path.
 * Documents that are one flow collection (JSON) have no block content, so their flow
 * collections may span lines on the fast path; their quoted scalars may not.
 */
function markLinesLeftOpen(text: string, slices: DocumentSlice[]): void {
  const opener = /["'[{]/g;
  for (let match = opener.exec(text); match !== null; match = opener.exec(text)) {
    const slice = sliceAt(slices, match.index);
    if (slice === undefined) continue;
    if (slice.slow) {
      opener.lastIndex = Math.max(slice.end, match.index + 1);
      continue;
    }
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    const newline = text.indexOf('\n', match.index);
    const lineEnd = newline === -1 ? text.length : newline;
    if (!closesOnLine(text, lineStart, lineEnd, isFlowRoot(text, slice))) {
      slice.slow = true;
      opener.lastIndex = Math.max(slice.end, lineEnd);
    } else {
      opener.lastIndex = lineEnd;
    }
  }
}

function isFlowRoot(text: string, slice: DocumentSlice): boolean {
  const first = text.charCodeAt(slice.contentStart);
  return first === 0x5b || first === 0x7b;
}

/**
 * Whether a line closes every quoted scalar it opens and (unless `openFlowAllowed`) every
 * `[` and `{`, ignoring a trailing comment. Quotes inside plain scalars do not count.
 */
function closesOnLine(text: string, start: number, end: number, openFlowAllowed: boolean): boolean {
  let depth = 0;
  let previous = 0x20;
  for (let i = start; i < end; i++) {
    const char = text.charCodeAt(i);
    if ((char === 0x22 || char === 0x27) && startsToken(previous)) {
      const close = closingQuote(text, i, end, char);
      if (close === -1) return false;
      i = close;
    } else if (char === 0x23 && (previous === 0x20 || previous === 0x09)) {
      break;
    } else if (char === 0x5b || char === 0x7b) {
      depth++;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
    previous = text.charCodeAt(i);
  }
  return openFlowAllowed || depth === 0;
}

/** A quote opens a quoted scalar only where a token can start. */
function startsToken(previous: number): boolean {
  return previous === 0x20 || previous === 0x09 || previous === 0x5b || previous === 0x7b || previous === 0x2c || previous === 0x3a || previous === 0x2d;
}

function closingQuote(text: string, open: number, end: number, quote: number): number {
  for (let i = open + 1; i < end; i++) {
    const char = text.charCodeAt(i);
    if (quote === 0x22 && char === 0x5c) i++; // backslash escape
    else if (char === quote) {
      if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++; // '' inside single quotes
      else return i;
    }
  }
  return -1;
}

/** The slice holding an offset (slices are sorted and do not overlap). */
export function sliceAt(slices: readonly DocumentSlice[], offset: number): DocumentSlice | undefined {
  let low = 0;
  let high = slices.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const slice = slices[mid]!;
    if (offset < slice.start) high = mid - 1;
    else if (offset >= slice.end) low = mid + 1;
    else return slice;
  }
  return undefined;
}
