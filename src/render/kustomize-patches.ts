/**
 * The patches of a kustomization (`patchesStrategicMerge`, `patches`, `patchesJson6902`), read
 * with positions, so a finding about a field a patch set points at the patch, not at the file
 * the object came from. A patch is a strategic-merge document (a partial object) or a list of
 * JSON 6902 operations, in its own file or written inline in the kustomization.
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import type { KubeObject, PathSegment, RenderedObject, SourceLocation } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { locateKey, yamlKeyLocator } from '../model/key-locations.js';
import type { KeyLocator } from '../model/key-locations.js';
import { isInside, MAX_MANIFEST_BYTES } from './files.js';
import { parseManifests } from './parse.js';

interface PatchTarget {
  kind?: string;
  name?: string;
  namespace?: string;
}

interface StrategicMergePatch {
  type: 'strategic-merge';
  target?: PatchTarget;
  documents: { rendered: RenderedObject; shift: (at: SourceLocation) => SourceLocation }[];
}

interface JsonPatchOperation {
  path: string[];
  value: unknown;
  /** Locator over the operation's `value` node, or undefined for `remove`. */
  locateValue?: KeyLocator;
  at: SourceLocation;
}

interface JsonPatch {
  type: 'json6902';
  target?: PatchTarget;
  operations: JsonPatchOperation[];
}

export type Patch = StrategicMergePatch | JsonPatch;

/** The names a rendered object may have been declared with: its own, and without any namePrefix/nameSuffix seen. */
export type DeclaredNames = (renderedName: string) => string[];

/** Keys Kubernetes merges lists of maps by, most common first (containers by name, ports by containerPort, ...). */
const MERGE_KEYS = ['name', 'mountPath', 'containerPort', 'devicePath', 'port', 'key', 'type', 'ip', 'topologyKey'];

export class KustomizationPatches {
  private readonly loaded = new Map<string, Patch[]>();

  constructor(
    private readonly rootReal: string,
    private readonly repoPath: (file: string) => string,
  ) {}

  /** Reads the patches of these kustomizations (absolute paths), once each. */
  async load(kustomizations: readonly string[]): Promise<void> {
    for (const kustomization of kustomizations) {
      if (!this.loaded.has(kustomization)) this.loaded.set(kustomization, await this.read(kustomization));
    }
  }

  /** Where the last patch (in `kustomizations` order, loaded before) that sets `path` of `object` sets it. */
  locate(kustomizations: readonly string[], object: KubeObject, path: readonly PathSegment[], names: DeclaredNames): SourceLocation | undefined {
    let found: SourceLocation | undefined;
    for (const kustomization of kustomizations) {
      for (const patch of this.loaded.get(kustomization) ?? []) {
        const at = patch.type === 'strategic-merge' ? locateInStrategicMerge(patch, object, path, names) : locateInJsonPatch(patch, object, path, names);
        if (at) found = at;
      }
    }
    return found;
  }

  private async read(kustomization: string): Promise<Patch[]> {
    if (!isInside(this.rootReal, kustomization)) return [];
    const text = await readFile(kustomization, 'utf8').catch(() => undefined);
    if (text === undefined) return [];
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, maxAliasCount: 100 } as never);
    const spec: unknown = doc.toJS({ maxAliasCount: 100 });
    if (!isPlainObject(spec) || !isMap(doc.contents)) return [];
    const dir = dirname(kustomization);
    const file = this.repoPath(kustomization);
    const inline = (node: unknown): InlineText | undefined => inlineText(node, text, lineCounter, file);
    const patches: Patch[] = [];
    const entriesOf = (key: string) => {
      const node = doc.contents && isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
      return isSeq(node) ? node.items : [];
    };

    for (const entry of entriesOf('patchesStrategicMerge')) {
      const value = isScalar(entry) ? entry.value : undefined;
      if (typeof value !== 'string') continue;
      const patch = value.includes('\n') || value.includes(':') ? this.fromText(value, undefined, inline(entry)) : await this.fromFile(resolve(dir, value), undefined);
      if (patch) patches.push(patch);
    }
    for (const key of ['patches', 'patchesJson6902']) {
      for (const entry of entriesOf(key)) {
        if (!isMap(entry)) continue;
        const target = readTarget(entry.toJSON());
        const path = entry.get('path');
        const body = entry.get('patch', true);
        const patch =
          typeof path === 'string' ? await this.fromFile(resolve(dir, path), target) : isScalar(body) && typeof body.value === 'string' ? this.fromText(body.value, target, inline(body)) : undefined;
        if (patch) patches.push(patch);
      }
    }
    return patches;
  }

  private async fromFile(file: string, target: PatchTarget | undefined): Promise<Patch | undefined> {
    if (!isInside(this.rootReal, file)) return undefined;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || info.size > MAX_MANIFEST_BYTES) return undefined;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    return this.fromText(text, target, { file: this.repoPath(file), lineOffset: 0, columnOffset: 0 });
  }

  private fromText(text: string, target: PatchTarget | undefined, place: InlineText | undefined): Patch | undefined {
    if (!place) return undefined;
    const shift = (at: SourceLocation): SourceLocation => ({ file: place.file, line: at.line + place.lineOffset, column: at.column + place.columnOffset });
    const lineCounter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter });
    const first = Array.isArray(docs) ? docs[0] : undefined;
    if (first && isSeq(first.contents)) {
      const operations: JsonPatchOperation[] = [];
      for (const item of first.contents.items) {
        if (!isMap(item)) continue;
        const op: unknown = item.toJSON();
        if (!isPlainObject(op) || typeof op.path !== 'string') continue;
        const valueNode = item.get('value', true) as YamlNode | undefined;
        const at = yamlKeyLocator(item, lineCounter, place.file)([]);
        if (!at) continue;
        operations.push({
          path: pointerSegments(op.path),
          value: op.value,
          locateValue: valueNode && op.op !== 'remove' ? shiftLocator(yamlKeyLocator(valueNode, lineCounter, place.file), shift) : undefined,
          at: shift(at),
        });
      }
      return { type: 'json6902', target, operations };
    }
    const documents = parseManifests(text, place.file).objects.map((rendered) => ({ rendered, shift }));
    return { type: 'strategic-merge', target, documents };
  }
}

interface InlineText {
  file: string;
  /** Lines of the file before the text's first line. */
  lineOffset: number;
  /** Indentation of a block scalar's lines. */
  columnOffset: number;
}

/** Where a patch written as a block scalar (`patch: |-`) sits in its kustomization. */
function inlineText(node: unknown, text: string, lineCounter: LineCounter, file: string): InlineText | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const start = lineCounter.linePos(node.range[0]);
  const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  if (!block) return { file, lineOffset: start.line - 1, columnOffset: start.col - 1 };
  const lines = text.split('\n');
  const firstContent = lines.slice(start.line).find((line) => line.trim() !== '') ?? '';
  return { file, lineOffset: start.line, columnOffset: firstContent.length - firstContent.trimStart().length };
}

function shiftLocator(locator: KeyLocator, shift: (at: SourceLocation) => SourceLocation): KeyLocator {
  return (path) => {
    const at = locator(path);
    return at && shift(at);
  };
}

function readTarget(entry: unknown): PatchTarget | undefined {
  if (!isPlainObject(entry) || !isPlainObject(entry.target)) return undefined;
  const { kind, name, namespace } = entry.target;
  return {
    kind: typeof kind === 'string' ? kind : undefined,
    name: typeof name === 'string' ? name : undefined,
    namespace: typeof namespace === 'string' ? namespace : undefined,
  };
}

function targets(target: PatchTarget, object: KubeObject, names: DeclaredNames): boolean {
  if (target.kind && target.kind !== object.kind) return false;
  if (target.name) {
    const declared = names(String(object.metadata?.name ?? ''));
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(`^(?:${target.name})$`); // kustomize reads target names as regular expressions
    } catch {
      pattern = undefined;
    }
    if (!declared.some((name) => (pattern ? pattern.test(name) : name === target.name))) return false;
  }
  return true;
}

function locateInStrategicMerge(patch: StrategicMergePatch, object: KubeObject, path: readonly PathSegment[], names: DeclaredNames): SourceLocation | undefined {
  for (const { rendered, shift } of patch.documents) {
    const document = rendered.object;
    const matches = patch.target
      ? targets(patch.target, object, names)
      : document.kind === object.kind && names(String(object.metadata?.name ?? '')).includes(String(document.metadata?.name ?? ''));
    if (!matches) continue;
    const translated = translatePath(object, document, path);
    if (!translated) continue;
    const at = locateKey(rendered, translated);
    if (at) return shift(at);
  }
  return undefined;
}

/**
 * The same field's path in a strategic-merge patch: list items are matched by merge key
 * (containers by name, ...), as kustomize merges them. Undefined when the patch does not set it.
 */
function translatePath(rendered: unknown, patch: unknown, path: readonly PathSegment[]): PathSegment[] | undefined {
  const out: PathSegment[] = [];
  let left = rendered;
  let right = patch;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(right)) return undefined;
      const item = Array.isArray(left) ? left[segment] : undefined;
      const key = isPlainObject(item) ? MERGE_KEYS.find((k) => item[k] !== undefined) : undefined;
      const index = key && isPlainObject(item) ? right.findIndex((candidate) => isPlainObject(candidate) && candidate[key] === item[key]) : segment;
      if (index < 0 || index >= right.length) return undefined;
      out.push(index);
      left = item;
      right = right[index];
    } else {
      if (!isPlainObject(right) || !(segment in right)) return undefined;
      out.push(segment);
      left = isPlainObject(left) ? left[segment] : undefined;
      right = right[segment];
    }
  }
  // A patch holding only some keys of a map (a container, say) did not set the map itself.
  if (isPlainObject(left) && isPlainObject(right) && Object.keys(left).length > Object.keys(right).length) return undefined;
  return out;
}

function locateInJsonPatch(patch: JsonPatch, object: KubeObject, path: readonly PathSegment[], names: DeclaredNames): SourceLocation | undefined {
  if (patch.target && !targets(patch.target, object, names)) return undefined;
  if (!patch.target) return undefined; // kustomize requires a target for JSON 6902 patches
  let found: SourceLocation | undefined;
  for (const operation of patch.operations) {
    if (operation.path.length > path.length) continue;
    if (!operation.path.every((segment, i) => segment === '-' || segment === String(path[i]))) continue;
    const rest = path.slice(operation.path.length);
    if (rest.length && !hasPath(operation.value, rest)) continue;
    found = operation.locateValue?.(rest) ?? operation.at;
  }
  return found;
}

function hasPath(value: unknown, path: readonly PathSegment[]): boolean {
  let node = value;
  for (const segment of path) {
    if (typeof segment === 'number' ? !Array.isArray(node) || segment >= node.length : !isPlainObject(node) || !(segment in node)) return false;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return true;
}

/** `/spec/template/0/a~1b` -> `['spec', 'template', '0', 'a/b']`. */
function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}
