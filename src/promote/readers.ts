/**
 * Which files each environment reads, so that a promotion never edits a file another
 * environment also reads (it would change that environment too, silently):
 *   - a Helm chart directory: its values.yaml, then the environment's valuesFiles, in Helm's
 *     precedence order (the last one wins);
 *   - a kustomize directory: every file its kustomization reaches (resources, components,
 *     patches ...), across directories, within the repository;
 *   - a plain directory: its YAML files.
 * Read statically from the working tree: a file no environment can reach counts as unread.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import type { EnvironmentConfig } from '../config/types.js';
import { findKustomization } from '../render/kustomize-origins.js';
import { listYamlFiles } from './yaml-file.js';

export interface EnvironmentFiles {
  environment: EnvironmentConfig;
  engine: 'helm' | 'kustomize' | 'plain';
  /** Absolute paths; for Helm in precedence order (values.yaml first). */
  files: string[];
}

export async function filesRead(root: string, environment: EnvironmentConfig): Promise<EnvironmentFiles> {
  const dir = join(root, environment.path);
  const kustomization = await findKustomization(dir);
  if (kustomization) return { environment, engine: 'kustomize', files: [...(await reachableFromKustomization(root, dir))] };
  if (await isFile(join(dir, 'Chart.yaml'))) {
    const files = [join(dir, 'values.yaml'), ...environment.helm.valuesFiles.map((file) => resolve(dir, file))];
    const present: string[] = [];
    for (const file of files) if (!present.includes(file) && (await isFile(file))) present.push(file);
    return { environment, engine: 'helm', files: present };
  }
  return { environment, engine: 'plain', files: await listYamlFiles(dir).catch(() => []) };
}

/** Every environment's files, computed once per promotion. */
export class FileReaders {
  private constructor(private readonly all: readonly EnvironmentFiles[]) {}

  static async of(root: string, environments: readonly EnvironmentConfig[]): Promise<FileReaders> {
    return new FileReaders(await Promise.all(environments.map((env) => filesRead(root, env))));
  }

  /** Names of the environments other than `target` that read `absolutePath`. */
  othersReading(absolutePath: string, target: string): string[] {
    return this.all.filter((e) => e.environment.name !== target && e.files.includes(absolutePath)).map((e) => e.environment.name);
  }

  filesOf(name: string): EnvironmentFiles | undefined {
    return this.all.find((e) => e.environment.name === name);
  }
}

/** Fields of a kustomization that name files or directories it reads. */
const PATH_LISTS = ['resources', 'bases', 'components', 'crds', 'patchesStrategicMerge', 'configurations', 'transformers', 'generators', 'validators'];
const PATH_OBJECT_LISTS = ['patches', 'patchesJson6902', 'replacements'];

async function reachableFromKustomization(root: string, start: string): Promise<Set<string>> {
  const files = new Set<string>();
  const seenDirs = new Set<string>();
  const rootAbs = resolve(root);
  const inside = (path: string) => {
    const rel = relative(rootAbs, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
  };
  const visitDir = async (dir: string): Promise<void> => {
    if (seenDirs.has(dir) || !inside(dir)) return;
    seenDirs.add(dir);
    const kustomization = await findKustomization(dir);
    if (!kustomization) {
      for (const file of await listYamlFiles(dir).catch(() => [])) files.add(file);
      return;
    }
    files.add(kustomization);
    let document: unknown;
    try {
      document = parse(await readFile(kustomization, 'utf8'), { maxAliasCount: 100 });
    } catch {
      return; // kustomize reports a broken kustomization itself when the environment renders
    }
    if (typeof document !== 'object' || document === null) return;
    const record = document as Record<string, unknown>;
    const entries: string[] = [];
    for (const key of PATH_LISTS) {
      const list = record[key];
      if (Array.isArray(list)) entries.push(...list.filter((item): item is string => typeof item === 'string'));
    }
    for (const key of PATH_OBJECT_LISTS) {
      const list = record[key];
      if (!Array.isArray(list)) continue;
      for (const item of list) {
        const path = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).path : undefined;
        if (typeof path === 'string') entries.push(path);
      }
    }
    for (const entry of entries) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('github.com/')) continue; // remote: not in this repository
      const target = resolve(dir, entry);
      if (!inside(target)) continue;
      const info = await stat(target).catch(() => undefined);
      if (info?.isDirectory()) await visitDir(target);
      else if (info?.isFile()) files.add(target);
    }
  };
  await visitDir(start);
  return files;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
