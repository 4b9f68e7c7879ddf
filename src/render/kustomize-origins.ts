/**
 * Maps objects printed by `kustomize build` back to the repository: kustomize's origin
 * annotations (kustomize-build-metadata.ts) name the file each object was read from; the
 * document in it is found by kind and name, and findings about a field point at its key there,
 * or at the patch that set it. Objects with no origin fall back to an index of the files listed
 * under `resources:` (and `bases:`, `components:`) of every kustomization reached, by kind and name.
 *
 * Limits (best effort, documented in the README):
 * - names changed by namePrefix/nameSuffix are matched by stripping any prefix/suffix seen on the way;
 *   other renames (replacements, patches changing names) are not followed;
 * - generated objects (configMapGenerator, secretGenerator, helmCharts) point at the kustomization file;
 * - remote resources (URLs) point at the kustomization that lists them.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject, RenderedObject, SourceLocation } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { locateKey, type KeyLocator } from '../model/key-locations.js';
import { isInside, MAX_MANIFEST_BYTES } from './files.js';
import type { BuildOrigin } from './kustomize-build-metadata.js';
import { KustomizationPatches } from './kustomize-patches.js';
import { parseManifests } from './parse.js';
import type { TreeMemo } from './tree-memo.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MAX_DEPTH = 20;

export class KustomizeOrigins {
  private readonly byKindName = new Map<string, SourceLocation>();
  private readonly prefixes = new Set<string>();
  private readonly suffixes = new Set<string>();
  private readonly patches: KustomizationPatches;
  /** Every local kustomization file reached from the environment, absolute, in visiting order. */
  readonly kustomizations: string[] = [];
  /** Some kustomization reached inflates Helm charts (`helmCharts:`), so kustomize needs `--enable-helm`. */
  usesHelmCharts = false;
  /** The environment's own `sortOptions` (kustomize 5), which decide the output order. */
  sortOptions: unknown;

  private constructor(
    private readonly rootReal: string,
    /** Where objects with no other origin point: the environment's kustomization file. */
    private readonly fallback: SourceLocation | undefined,
    private readonly memo: TreeMemo,
  ) {
    this.patches = new KustomizationPatches(rootReal, (file) => toRepoPath(rootReal, file));
  }

  static async build(rootReal: string, envDir: string, memo: TreeMemo): Promise<KustomizeOrigins> {
    const kustomization = await findKustomization(envDir);
    const fallback = kustomization ? { file: toRepoPath(rootReal, kustomization), line: 1, column: 1 } : undefined;
    const origins = new KustomizeOrigins(rootReal, fallback, memo);
    await origins.visit(envDir, new Set(), 0);
    return origins;
  }

  /**
   * The object placed where it was written, from kustomize's origin when there is one, with a key
   * locator, so findings point at the field's line, in the patch that set it if one did.
   */
  async place(object: KubeObject, origin: BuildOrigin): Promise<RenderedObject> {
    const document = origin.file ? await this.documentFor(object, origin.file) : undefined;
    await this.patches.load(origin.patchedBy);
    const names = (name: string) => this.declaredNames(name);
    const keys: KeyLocator = (path) => {
      const patched = origin.patchedBy.length ? this.patches.locate(origin.patchedBy, object, path, names) : undefined;
      return patched ?? (document ? locateKey(document, path) : undefined);
    };
    const source = document?.source ?? (origin.generatedBy && isInside(this.rootReal, origin.generatedBy) ? { file: toRepoPath(this.rootReal, origin.generatedBy), line: 1, column: 1 } : this.locate(object));
    return source ? { object, source, keys } : { object, keys };
  }

  /** From the index of listed resources: for objects kustomize gave no origin. */
  locate(object: KubeObject): SourceLocation | undefined {
    for (const name of this.declaredNames(typeof object.metadata?.name === 'string' ? object.metadata.name : '')) {
      const found = this.byKindName.get(`${object.kind}/${name}`);
      if (found) return found;
    }
    return this.fallback;
  }

  /** The names an object may have been declared with: its own, then without each namePrefix/nameSuffix seen. */
  declaredNames(name: string): string[] {
    const names = [name];
    for (const prefix of ['', ...this.prefixes]) {
      for (const suffix of ['', ...this.suffixes]) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length <= prefix.length + suffix.length) continue;
        const declared = name.slice(prefix.length, name.length - suffix.length);
        if (!names.includes(declared)) names.push(declared);
      }
    }
    return names;
  }

  /** The document of `file` that declares the object: same kind and a declared name, else the only one of its kind. */
  private async documentFor(object: KubeObject, file: string): Promise<RenderedObject | undefined> {
    if (!isInside(this.rootReal, file)) return undefined;
    const parsed = this.documentsOf(file, () => isReadableManifest(file));
    const ofKind = (await parsed).filter((d) => d.object.kind === object.kind);
    const names = this.declaredNames(typeof object.metadata?.name === 'string' ? object.metadata.name : '');
    return ofKind.find((d) => names.includes(String(d.object.metadata?.name ?? ''))) ?? (ofKind.length === 1 ? ofKind[0] : undefined);
  }

  private async visit(dir: string, seen: Set<string>, depth: number): Promise<void> {
    if (seen.has(dir) || depth > MAX_DEPTH || !isInside(this.rootReal, dir)) return;
    seen.add(dir);
    const file = await findKustomization(dir);
    if (!file) return;
    this.kustomizations.push(file);
    const spec = await readYaml(file);
    if (!isPlainObject(spec)) return;
    if (Array.isArray(spec.helmCharts) && spec.helmCharts.length > 0) this.usesHelmCharts = true;
    if (depth === 0 && spec.sortOptions !== undefined) this.sortOptions = spec.sortOptions;
    if (typeof spec.namePrefix === 'string' && spec.namePrefix) this.prefixes.add(spec.namePrefix);
    if (typeof spec.nameSuffix === 'string' && spec.nameSuffix) this.suffixes.add(spec.nameSuffix);
    for (const field of ['resources', 'bases', 'components']) {
      const entries = spec[field];
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        if (typeof entry !== 'string' || /^[a-z]+:\/\/|^github\.com\//i.test(entry)) continue;
        const target = resolve(dir, entry);
        if (!isInside(this.rootReal, target)) continue;
        const info = await stat(target).catch(() => undefined);
        if (info?.isDirectory()) await this.visit(target, seen, depth + 1);
        else if (info?.isFile() && info.size <= MAX_MANIFEST_BYTES) await this.indexFile(target);
      }
    }
  }

  /** Indexes a listed resource file; its documents are kept for documentFor, which most objects' origins name. */
  private async indexFile(file: string): Promise<void> {
    for (const { object, source } of await this.documentsOf(file, async () => true)) {
      const key = `${object.kind}/${typeof object.metadata?.name === 'string' ? object.metadata.name : ''}`;
      if (source && !this.byKindName.has(key)) this.byKindName.set(key, source);
    }
  }

  /**
   * The documents of `file` (`readable`: it is a regular file within the size limit), read and
   * parsed once per tree: they are only read from, never changed.
   */
  private documentsOf(file: string, readable: () => Promise<boolean>): Promise<RenderedObject[]> {
    return this.memo.once('documents', file, () => readDocuments(file, toRepoPath(this.rootReal, file), readable));
  }
}

async function readDocuments(file: string, repoPath: string, readable: () => Promise<boolean>): Promise<RenderedObject[]> {
  if (!(await readable())) return [];
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined || text.includes('\0')) return [];
  return parseManifests(text, repoPath).objects;
}

async function isReadableManifest(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  return info?.isFile() === true && info.size <= MAX_MANIFEST_BYTES;
}

export async function findKustomization(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const file = join(dir, name);
    if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  }
  return undefined;
}

async function readYaml(file: string): Promise<unknown> {
  try {
    return parse(await readFile(file, 'utf8'), { maxAliasCount: 100 });
  } catch {
    return undefined; // kustomize itself reports a broken kustomization, with its own message
  }
}

function toRepoPath(rootReal: string, file: string): string {
  return relative(rootReal, file).split(sep).join('/');
}
