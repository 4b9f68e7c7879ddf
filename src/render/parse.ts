/**
 * Multi-document manifest parsing with source positions. Every problem becomes a finding with
 * file, line and column; nothing here throws on bad input or runs unbounded (alias expansion is
 * capped). JSON is YAML, so JSON files take the same path.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode, YAMLError } from 'yaml';
import type { Finding } from '../model/findings.js';
import { describeRef, isPlainObject, refOf } from '../model/objects.js';
import type { KubeObject, RenderedObject } from '../model/objects.js';
import { manifestYamlOptions } from './yaml-schema.js';

export interface ParseOptions {
  /**
   * Most alias expansions allowed per document before it is refused as an alias bomb
   * (the `yaml` package weighs each alias by the size of what it repeats). Default 100.
   */
  maxAliasCount?: number;
}

export interface ParseResult {
  objects: RenderedObject[];
  findings: Finding[];
}

const DEFAULT_MAX_ALIAS_COUNT = 100;

export function parseManifests(text: string, file: string | undefined, options: ParseOptions = {}): ParseResult {
  const lineCounter = new LineCounter();
  const maxAliasCount = options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  const objects: RenderedObject[] = [];
  const findings: Finding[] = [];
  const at = (offset: number): Pick<Finding, 'file' | 'line' | 'column'> => {
    if (file === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };

  let documents: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, { ...manifestYamlOptions, lineCounter });
    documents = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    // The parser reports problems as document errors; this is a last guard so bad input stays a finding.
    findings.push({ severity: 'error', rule: 'yaml-syntax', message: `could not parse YAML: ${String(error)}`, ...at(0) });
    return { objects, findings };
  }

  for (const doc of documents) {
    const fatal = reportErrors(doc.errors, text, at, findings);
    if (fatal) continue;
    const contents = doc.contents as YamlNode | null;
    if (contents === null || isEmptyScalar(contents)) continue;
    if (!isMap(contents)) {
      findings.push({
        severity: 'error',
        rule: 'yaml-not-object',
        message: `this document is a ${isSeq(contents) ? 'list' : 'scalar value'}, not a Kubernetes object; each YAML document must be a mapping with apiVersion, kind and metadata`,
        ...at(contents.range?.[0] ?? 0),
      });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount });
    } catch (error) {
      findings.push(aliasOrConversionFinding(error, maxAliasCount, at(contents.range?.[0] ?? 0)));
      continue;
    }
    addObject(value, contents, at, objects, findings);
  }
  return { objects, findings };
}

type Locate = (offset: number) => Pick<Finding, 'file' | 'line' | 'column'>;

/** Adds one object, or the items of a `kind: List` each with its own position. */
function addObject(value: unknown, node: YamlNode, at: Locate, objects: RenderedObject[], findings: Finding[]): void {
  const position = at(node.range?.[0] ?? 0);
  if (!isPlainObject(value)) return; // the node is a map, so this does not happen; kept for the types
  if (value.kind === 'List' && Array.isArray(value.items) && isMap(node)) {
    const itemsNode = node.get('items', true);
    const itemNodes = isSeq(itemsNode) ? itemsNode.items : [];
    value.items.forEach((item: unknown, index) => {
      const itemNode = itemNodes[index] as YamlNode | undefined;
      const itemAt = at(itemNode?.range?.[0] ?? node.range?.[0] ?? 0);
      if (!isPlainObject(item)) {
        findings.push({
          severity: 'error',
          rule: 'yaml-not-object',
          message: `item ${index} of this List is not a Kubernetes object; every entry under items must be a mapping with apiVersion, kind and metadata`,
          ...itemAt,
        });
        return;
      }
      pushIfKubeObject(item, itemAt, objects, findings);
    });
    return;
  }
  pushIfKubeObject(value, position, objects, findings);
}

function pushIfKubeObject(
  value: Record<string, unknown>,
  position: Pick<Finding, 'file' | 'line' | 'column'>,
  objects: RenderedObject[],
  findings: Finding[],
): void {
  const missing = ['apiVersion', 'kind'].filter((key) => typeof value[key] !== 'string' || value[key] === '');
  if (missing.length > 0) {
    const name = isPlainObject(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : undefined;
    findings.push({
      severity: 'error',
      rule: 'yaml-missing-kind',
      message: `object${name ? ` "${name}"` : ''} has no ${missing.join(' and no ')}; every Kubernetes object needs both (for example apiVersion: v1, kind: ConfigMap)`,
      ...position,
    });
    return;
  }
  const object = value as KubeObject;
  const { file, line, column } = position;
  objects.push(file !== undefined ? { object, source: { file, line: line ?? 1, column: column ?? 1 } } : { object });
}

/** A document holding only `---` or comments parses as a null scalar: nothing to render. */
function isEmptyScalar(node: YamlNode): boolean {
  return !isMap(node) && !isSeq(node) && 'value' in node && (node as { value: unknown }).value === null && !(node as { source?: string }).source;
}

/** Turns parser errors into findings; returns whether the document is too broken to use. */
function reportErrors(errors: readonly YAMLError[], text: string, at: Locate, findings: Finding[]): boolean {
  let fatal = false;
  for (const error of errors) {
    const where = at(error.pos[0]);
    switch (error.code) {
      case 'DUPLICATE_KEY': {
        const key = keyAt(text, error.pos[0]);
        findings.push({
          severity: 'error',
          rule: 'yaml-duplicate-key',
          message: `duplicate key${key ? ` "${key}"` : ''}: a mapping may hold each key once (Kubernetes would silently keep only one value); remove or merge the repeated key`,
          ...where,
        });
        break; // the rest of the document is sound: keep it so other checks still run
      }
      case 'TAB_AS_INDENT':
        fatal = true;
        findings.push({
          severity: 'error',
          rule: 'yaml-tab',
          message: 'tab character used for indentation; YAML allows only spaces there: replace the tab with spaces',
          ...where,
        });
        break;
      default:
        fatal = true;
        findings.push({ severity: 'error', rule: 'yaml-syntax', message: `YAML syntax error: ${error.message}`, ...where });
    }
  }
  return fatal;
}

/** The key text at an offset, for naming a duplicate key; short and single-line only. */
function keyAt(text: string, offset: number): string | undefined {
  const match = /^["']?([^\n:"']{1,80})/.exec(text.slice(offset, offset + 100));
  return match?.[1]?.trim() || undefined;
}

function aliasOrConversionFinding(error: unknown, maxAliasCount: number, where: Pick<Finding, 'file' | 'line' | 'column'>): Finding {
  const message = error instanceof Error ? error.message : String(error);
  if (/alias/i.test(message)) {
    return {
      severity: 'error',
      rule: 'yaml-alias-limit',
      message: `YAML aliases in this document expand past the limit of ${maxAliasCount} (a possible "billion laughs" alias bomb); write the repeated values out or use fewer aliases`,
      ...where,
    };
  }
  return { severity: 'error', rule: 'yaml-syntax', message: `YAML could not be converted to data: ${message}`, ...where };
}

/** `Kind/namespace/name` for findings about a parsed object. */
export function objectLabel(object: KubeObject): string {
  return describeRef(refOf(object));
}
