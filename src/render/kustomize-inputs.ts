/**
 * What a kustomize build of an environment may read, found before kustomize runs: the
 * kustomization directories reachable through `resources`, `bases`, `components`, `generators`,
 * `transformers` and `validators`, each checked as a whole (kustomize's root-only load
 * restrictor keeps every other file a kustomization names inside its own directory). An entry
 * leading out of the repository is an error; kustomize would otherwise build any directory
 * holding a kustomization (`resources: [../../../../outside]`). Remote entries (URLs, and
 * `helmCharts` with a repository) are listed, so a caller can refuse them.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import type { Finding } from '../model/findings.js';
import { isPlainObject } from '../model/objects.js';
import { isInside } from './files.js';
import { findKustomization } from './kustomize-origins.js';
import type { TreeCheck } from './tree-check.js';

const DIRECTORY_FIELDS = ['resources', 'bases', 'components', 'generators', 'transformers', 'validators'];
/** kustomize's own nesting is bounded by cycles; this bounds a maliciously deep chain. */
const MAX_DEPTH = 50;
/** `https://`, `ssh://`, `git::`, `git@host:`, `github.com/org/repo`: kustomize fetches these. */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git::|[\w.-]+@[\w.-]+:|(?:github\.com|gitlab\.com|bitbucket\.org)\/)/i;

export interface KustomizeInputs {
  /** Remote entries, as `<kustomization file>: <entry>`. */
  remote: string[];
}

export async function checkKustomizeInputs(envDir: string, check: TreeCheck, rootReal: string): Promise<KustomizeInputs> {
  const remote: string[] = [];
  const seen = new Set<string>();
  const visit = async (dir: string, depth: number): Promise<void> => {
    const real = await check.resolveInside(dir, 'kustomization directory');
    if (real === undefined || seen.has(real) || depth > MAX_DEPTH) return;
    seen.add(real);
    await check.directory(dir);
    const file = await findKustomization(dir);
    if (!file) return;
    const text = await readFile(file, 'utf8');
    const spec = parseYaml(text);
    if (!isPlainObject(spec)) return; // kustomize reports a broken kustomization itself
    const where = check.repoPath(file);
    for (const field of DIRECTORY_FIELDS) {
      const entries = spec[field];
      if (!Array.isArray(entries)) continue;
      for (const entry of entries) {
        if (typeof entry !== 'string') continue;
        if (REMOTE.test(entry)) {
          remote.push(`${where}: ${entry}`);
          continue;
        }
        const target = resolve(dir, entry);
        if (!isInside(rootReal, target)) {
          check.findings.push(outside(where, lineOf(text, entry), field, entry, target));
          continue;
        }
        const info = await stat(target).catch(() => undefined);
        if (info?.isDirectory()) await visit(target, depth + 1);
        else await check.resolveInside(target, `${field} entry`);
      }
    }
    for (const chart of Array.isArray(spec.helmCharts) ? spec.helmCharts : []) {
      if (isPlainObject(chart) && typeof chart.repo === 'string' && chart.repo) remote.push(`${where}: helm chart ${String(chart.name ?? '')} from ${chart.repo}`);
    }
  };
  await visit(envDir, 0);
  return { remote };
}

function outside(file: string, line: number, field: string, entry: string, target: string): Finding {
  return {
    line,
    severity: 'error',
    rule: 'kustomize-outside-repository',
    message: `${file}: ${field} entry "${entry}" leads to ${target}, outside the repository; the environment was not rendered. Keep every base and component inside the repository`,
    file,
  };
}

function parseYaml(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** 1-based line of the first line mentioning `entry`, else 1. */
function lineOf(text: string, entry: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(entry));
  return index < 0 ? 1 : index + 1;
}
