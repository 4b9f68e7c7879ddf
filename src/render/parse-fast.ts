/**
 * The fast path of manifest parsing: documents are split here and read by js-yaml (about ten
 * times quicker than the `yaml` package), with a schema that resolves scalars exactly as the
 * `yaml` path does. The result must be indistinguishable from the slow path's, so anything the
 * fast path cannot vouch for goes back to it:
 *
 * - stream-level oddities, or a document js-yaml rejects: the whole text takes the slow path,
 *   so findings about broken YAML are the slow path's own;
 * - documents with suspect constructs (parse-fast-suspects.ts), documents that are not a
 *   Kubernetes object (lists, scalars, no kind) and `kind: List`: that document alone is parsed
 *   by the slow path; if that turns up a syntax problem, the whole text takes the slow path.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { Finding } from '../model/findings.js';
import { isPlainObject } from '../model/objects.js';
import type { KubeObject, RenderedObject } from '../model/objects.js';
import { yamlKeyLocator } from '../model/key-locations.js';
import type { KeyLocator } from '../model/key-locations.js';
import { loadDocument } from './parse-fast-schema.js';
import { splitDocuments } from './parse-fast-split.js';
import type { DocumentSlice } from './parse-fast-split.js';
import { markSuspects } from './parse-fast-suspects.js';
import { parseManifestsSlow } from './parse-slow.js';
import { manifestYamlOptions } from './yaml-schema.js';

export interface FastParseResult {
  objects: RenderedObject[];
  findings: Finding[];
}

/** Findings that mean the text is not well-formed YAML, as opposed to well-formed YAML that is no object. */
const SYNTAX_RULES = new Set(['yaml-syntax', 'yaml-tab', 'yaml-duplicate-key']);

/** Parses `text`, or returns `undefined` when the whole text must take the slow path. */
export function parseManifestsFast(text: string, file: string | undefined, maxAliasCount: number): FastParseResult | undefined {
  const slices = splitDocuments(text);
  if (slices === undefined) return undefined;
  markSuspects(text, slices);

  const objects: RenderedObject[] = [];
  const findings: Finding[] = [];
  for (const slice of slices) {
    if (slice.contentStart === -1) continue; // blank or comments only: nothing to render
    const object = slice.slow ? undefined : loadObject(text, slice);
    if (object === null) return undefined;
    if (object !== undefined) {
      if (file === undefined) {
        objects.push({ object });
      } else {
        objects.push({ object, source: { file, line: slice.contentLine, column: slice.contentColumn }, keys: lazySliceLocator(text, slice, file) });
      }
      continue;
    }
    const slow = parseManifestsSlow(text.slice(slice.start, slice.end), file, maxAliasCount, slice.lineOffset);
    if (slow.findings.some((finding) => SYNTAX_RULES.has(finding.rule))) return undefined;
    for (const o of slow.objects) objects.push(o);
    for (const f of slow.findings) findings.push(f);
  }
  return { objects, findings };
}

/**
 * The document as a Kubernetes object; `undefined` when it is well-formed but belongs to the
 * slow path (not a mapping, no apiVersion or kind, a List); `null` when js-yaml rejects it.
 */
function loadObject(text: string, slice: DocumentSlice): KubeObject | undefined | null {
  const loaded = loadDocument(text.slice(slice.start, slice.end));
  if (loaded === undefined) return null;
  const value = loaded.value;
  if (!isPlainObject(value)) return undefined;
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '' || kind === 'List') return undefined;
  if (!plainKeysOnly(value, 0)) return undefined;
  return value as KubeObject;
}

const MAX_CHECKED_DEPTH = 200;

/**
 * A collection used as a mapping key becomes a different string in each library (js-yaml
 * joins an array with commas, or writes "[object Object]"; `yaml` writes it as flow YAML).
 * Keys that could come from one (empty, or holding a comma or "[object Object]") send the
 * document to the slow path.
 */
function plainKeysOnly(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth > MAX_CHECKED_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!plainKeysOnly(item, depth + 1)) return false;
    return true;
  }
  for (const key in value) {
    if (key === '' || key.includes(',') || key === '[object Object]') return false;
    if (!plainKeysOnly((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * Key locations for a fast-path object. They are needed only when a finding is reported, so the
 * document is parsed with the `yaml` package on the first lookup, once.
 */
function lazySliceLocator(text: string, slice: DocumentSlice, file: string): KeyLocator {
  let locator: KeyLocator | undefined;
  return (path) => {
    if (locator === undefined) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(text.slice(slice.start, slice.end), { ...manifestYamlOptions, lineCounter });
      locator = yamlKeyLocator(doc.contents, lineCounter, file, slice.lineOffset);
    }
    return locator(path);
  };
}
