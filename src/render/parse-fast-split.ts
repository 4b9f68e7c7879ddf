/**
 * Splits a YAML stream into documents the way a YAML parser does: a line starting with `---`
 * followed by a space, tab or line end begins a document, one starting with `...` the same way
 * ends one. Each slice records where it starts (always at a line start, so columns inside it
 * are the file's) and where its content starts, which is the position the `yaml` package gives
 * the document's root node.
 *
 * Anything unusual at the stream level (directives, a stray CR line break, a byte order mark
 * past the start, content on a marker line) returns `undefined`: the whole text then takes the
 * slow path, which knows how to report it.
 */

export interface DocumentSlice {
  /** Offset of the slice's first character: a line start (the `---` line, if any). */
  start: number;
  /** Offset just past the slice: the next marker line, or the end of the text. */
  end: number;
  /** Lines of the file before `start`. */
  lineOffset: number;
  /** Offset of the first character that is not blank or a comment, or -1 for an empty document. */
  contentStart: number;
  /** 1-based line and column of `contentStart`. */
  contentLine: number;
  contentColumn: number;
  /** Set when the document must go to the slow path (see parse-fast-suspects.ts). */
  slow: boolean;
}

const DASH = 0x2d;
const DOT = 0x2e;
const PERCENT = 0x25;
const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
const HASH = 0x23;
const BOM = 0xfeff;
/** The `yaml` package refuses implicit keys longer than this; js-yaml does not, so long lines go the slow way. */
const MAX_FAST_LINE = 1024;

export function splitDocuments(text: string): DocumentSlice[] | undefined {
  if (text.indexOf('\uFEFF', 1) !== -1) return undefined;
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return undefined;

  const slices: DocumentSlice[] = [];
  const length = text.length;
  let current = newSlice(0, 0);
  let pos = 0;
  let lineNo = 0;
  while (pos < length) {
    const newline = text.indexOf('\n', pos);
    const lineEnd = newline === -1 ? length : newline;
    // A byte order mark opens the first line; markers and content are looked for after it.
    const from = pos === 0 && text.charCodeAt(0) === BOM ? 1 : pos;
    const first = text.charCodeAt(from);
    if ((first === DASH || first === DOT) && isMarker(text, from, first)) {
      if (!isBareMarker(text, from + 3, lineEnd)) return undefined;
      current.end = pos;
      slices.push(current);
      // `---` opens a document on its own line; after `...` the next one starts on the next line.
      current = first === DASH ? newSlice(pos, lineNo) : newSlice(lineEnd + 1, lineNo + 1);
    } else if (first === PERCENT) {
      return undefined; // a directive, or content at column 0 no parser accepts
    } else if (current.contentStart === -1) {
      const content = firstContent(text, from, lineEnd);
      if (content !== -1) {
        current.contentStart = content;
        current.contentLine = lineNo + 1;
        current.contentColumn = content - pos + 1;
      }
    }
    if (lineEnd - pos > MAX_FAST_LINE) current.slow = true;
    if (newline === -1) break;
    pos = newline + 1;
    lineNo++;
  }
  current.end = Math.max(current.start, length);
  slices.push(current);
  return slices;
}

function newSlice(start: number, lineOffset: number): DocumentSlice {
  return { start, end: start, lineOffset, contentStart: -1, contentLine: 0, contentColumn: 0, slow: false };
}

/** `---` or `...` followed by a space, tab, line break or the end of the text. */
function isMarker(text: string, at: number, char: number): boolean {
  if (text.charCodeAt(at + 1) !== char || text.charCodeAt(at + 2) !== char) return false;
  const next = text.charCodeAt(at + 3);
  return Number.isNaN(next) || next === SPACE || next === TAB || next === CR || next === LF;
}

/** The rest of a marker line is spaces, then optionally a comment (which needs a space before it). */
function isBareMarker(text: string, from: number, lineEnd: number): boolean {
  let i = from;
  while (i < lineEnd && text.charCodeAt(i) === SPACE) i++;
  if (i === lineEnd || (i === lineEnd - 1 && text.charCodeAt(i) === CR)) return true;
  return text.charCodeAt(i) === HASH && i > from;
}

/** Offset of the first character of a line that is neither a space nor a comment, or -1. */
function firstContent(text: string, from: number, lineEnd: number): number {
  let i = from;
  while (i < lineEnd && text.charCodeAt(i) === SPACE) i++;
  if (i === lineEnd) return -1;
  const char = text.charCodeAt(i);
  if (char === HASH) return -1;
  if (char === CR && i === lineEnd - 1) return -1;
  return i;
}
