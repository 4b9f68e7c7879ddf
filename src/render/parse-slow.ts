/**
 * The `yaml` package path of manifest parsing: full positions, every problem a finding with
 * file, line and column, alias expansion capped. It handles every input; the fast path in
 * parse-fast.ts hands it whatever it cannot guarantee to read identically.
 */
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode, YAMLError } from 'yaml';
import type { Finding } from '../model/findings.js';
import { isPlainObject } from '../model/objects.js';
import type { KubeObject, RenderedObject } from '../model/objects.js';
import { yamlKeyLocator } from '../model/key-locations.js';
import { manifestYamlOptions } from './yaml-schema.js';

export interface SlowParseResult {
  objects: RenderedObject[];
  findings: Finding[];
}

type Position = Pick<Finding, 'file' | 'line' | 'column'>;
type Locate = (offset: number) => Position;

/** What an object needs to get its position and key locator from a node of the parsed text. */
interface Placement {
  at: Locate;
  lineCounter: LineCounter;
  file: string | undefined;
  lineOffset: number;
}

/**
 * Parses `text`, which is a whole file or a slice of one starting at a line start; `lineOffset`
 * is the number of lines of the file before the slice, so positions are the file's.
 */
export function parseManifestsSlow(text: string, file: string | undefined, maxAliasCount: number, lineOffset = 0): SlowParseResult {
  const lineCounter = new LineCounter();
  const objects: RenderedObject[] = [];
  const findings: Finding[] = [];
  const at: Locate = (offset) => {
    if (file === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: line + lineOffset, column: col };
  };
  const placement: Placement = { at, lineCounter, file, lineOffset };

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
    addObject(value, contents, placement, objects, findings);
  }
  return { objects, findings };
}

/** Adds one object, or the items of a `kind: List` each with its own position. */
function addObject(value: unknown, node: YamlNode, placement: Placement, objects: RenderedObject[], findings: Finding[]): void {
  if (!isPlainObject(value)) return; // the node is a map, so this does not happen; kept for the types
  if (value.kind === 'List' && Array.isArray(value.items) && isMap(node)) {
    const itemsNode = node.get('items', true);
    const itemNodes = isSeq(itemsNode) ? itemsNode.items : [];
    value.items.forEach((item: unknown, index) => {
      const itemNode = itemNodes[index] as YamlNode | undefined;
      const itemAt = placement.at(itemNode?.range?.[0] ?? node.range?.[0] ?? 0);
      if (!isPlainObject(item)) {
        findings.push({
          severity: 'error',
          rule: 'yaml-not-object',
          message: `item ${index} of this List is not a Kubernetes object; every entry under items must be a mapping with apiVersion, kind and metadata`,
          ...itemAt,
        });
        return;
      }
      pushIfKubeObject(item, itemAt, itemNode ?? node, placement, objects, findings);
    });
    return;
  }
  pushIfKubeObject(value, placement.at(node.range?.[0] ?? 0), node, placement, objects, findings);
}

function pushIfKubeObject(
  value: Record<string, unknown>,
  position: Position,
  node: YamlNode,
  placement: Placement,
  objects: RenderedObject[],
  findings: Finding[],
): void {
  const missing = missingKindFinding(value, position);
  if (missing) {
    findings.push(missing);
    return;
  }
  const object = value as KubeObject;
  const { file, line, column } = position;
  if (placement.file === undefined) {
    objects.push({ object });
    return;
  }
  // The document is parsed already, so a locator over its nodes costs one closure.
  objects.push({
    object,
    source: { file: file ?? placement.file, line: line ?? 1, column: column ?? 1 },
    keys: yamlKeyLocator(node, placement.lineCounter, placement.file, placement.lineOffset),
  });
}

/** The finding for a mapping that is not a Kubernetes object (no apiVersion or kind), if it is not: an error, or a notice for a document that never meant to be one. */
export function missingKindFinding(value: Record<string, unknown>, position: Position): Finding | undefined {
  const missing = ['apiVersion', 'kind'].filter((key) => typeof value[key] !== 'string' || value[key] === '');
  if (missing.length === 0) return undefined;
  if (missing.length === 2 && !('apiVersion' in value) && !('kind' in value) && !('metadata' in value)) {
    // Not meant as a Kubernetes object at all (an application's config file kept next to the
    // manifests): Flux and Argo CD skip these, so Slipway says so and goes on.
    return {
      severity: 'notice',
      rule: 'not-kubernetes-object',
      message:
        "skipped: this document has neither apiVersion nor kind, so it is no Kubernetes object (an application's own config file, say); exclude the file in slipway.yaml to silence this",
      ...position,
    };
  }
  const name = isPlainObject(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : undefined;
  return {
    severity: 'error',
    rule: 'yaml-missing-kind',
    message: `object${name ? ` "${name}"` : ''} has no ${missing.join(' and no ')}; every Kubernetes object needs both (for example apiVersion: v1, kind: ConfigMap)`,
    ...position,
  };
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

function aliasOrConversionFinding(error: unknown, maxAliasCount: number, where: Position): Finding {
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
