/**
 * Maps objects printed by `kustomize build` back to the repository file that declares them.
 * kustomize's output carries no positions, so this indexes the files listed under `resources:`
 * (and `bases:`, `components:`) of the kustomization and everything it includes, by kind and name.
 *
 * Limits (best effort, documented in the README):
 * - names changed by namePrefix/nameSuffix are matched by stripping any prefix/suffix seen on the way;
 *   other renames (replacements, patches changing names) are not followed;
 * - generated objects (configMapGenerator, secretGenerator, helmCharts) point at the kustomization file;
 * - remote resources (URLs) are not indexed.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import type { KubeObject, SourceLocation } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { isInside, MAX_MANIFEST_BYTES } from './files.js';
import { parseManifests } from './parse.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MAX_DEPTH = 20;

export class KustomizeOrigins {
  private readonly byKindName = new Map<string, SourceLocation>();
  private readonly prefixes = new Set<string>();
  private readonly suffixes = new Set<string>();

  private constructor(
    private readonly rootReal: string,
    /** Where objects with no other origin point: the environment's kustomization file. */
    private readonly fallback: SourceLocation | undefined,
  ) {}

  static async build(rootReal: string, envDir: string): Promise<KustomizeOrigins> {
    const kustomization = await findKustomization(envDir);
    const fallback = kustomization ? { file: toRepoPath(rootReal, kustomization), line: 1, column: 1 } : undefined;
    const origins = new KustomizeOrigins(rootReal, fallback);
    await origins.visit(envDir, new Set(), 0);
    return origins;
  }

  locate(object: KubeObject): SourceLocation | undefined {
    const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
    const exact = this.byKindName.get(`${object.kind}/${name}`);
    if (exact) return exact;
    for (const prefix of ['', ...this.prefixes]) {
      for (const suffix of ['', ...this.suffixes]) {
        if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length <= prefix.length + suffix.length) continue;
        const found = this.byKindName.get(`${object.kind}/${name.slice(prefix.length, name.length - suffix.length)}`);
        if (found) return found;
      }
    }
    return this.fallback;
  }

  private async visit(dir: string, seen: Set<string>, depth: number): Promise<void> {
    if (seen.has(dir) || depth > MAX_DEPTH || !isInside(this.rootReal, dir)) return;
    seen.add(dir);
    const file = await findKustomization(dir);
    if (!file) return;
    const spec = await readYaml(file);
    if (!isPlainObject(spec)) return;
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

  private async indexFile(file: string): Promise<void> {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined || text.includes('\0')) return;
    for (const { object, source } of parseManifests(text, toRepoPath(this.rootReal, file)).objects) {
      const key = `${object.kind}/${typeof object.metadata?.name === 'string' ? object.metadata.name : ''}`;
      if (source && !this.byKindName.has(key)) this.byKindName.set(key, source);
    }
  }
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
