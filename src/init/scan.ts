/**
 * Reads a repository's directories into the facts `slipway init` proposes environments from:
 * kustomizations (and what they reference), Helm charts (and their values files), and
 * directories that hold Kubernetes manifests directly. Read-only; symlinks are not followed.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KUSTOMIZATION_FILES } from '../render/kustomize-origins.js';

export interface KustomizationDir {
  path: string;
  /** Repository-relative directories its resources / components / bases name (local ones only). */
  references: string[];
  namespace?: string;
  /** `kind: Component`: never an environment of its own. */
  component: boolean;
}

export interface ChartDir {
  path: string;
  name: string;
  /** Values files next to Chart.yaml other than values.yaml, e.g. values-prod.yaml. */
  valuesFiles: string[];
}

export interface RepositoryLayout {
  kustomizations: KustomizationDir[];
  charts: ChartDir[];
  /** Directories holding at least one YAML file with apiVersion and kind, outside charts. */
  manifestDirs: string[];
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.github', '.tools', 'dist', 'vendor']);
const MAX_DEPTH = 8;
const MAX_MANIFEST_BYTES = 1024 * 1024;

export async function scanRepository(root: string): Promise<RepositoryLayout> {
  const layout: RepositoryLayout = { kustomizations: [], charts: [], manifestDirs: [] };
  await scanDir(root, '', 0, layout);
  const sortByPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
  layout.kustomizations.sort(sortByPath);
  layout.charts.sort(sortByPath);
  layout.manifestDirs.sort();
  return layout;
}

async function scanDir(root: string, rel: string, depth: number, layout: RepositoryLayout): Promise<void> {
  if (depth > MAX_DEPTH) return;
  const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
  const files = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  const kustomizationFile = KUSTOMIZATION_FILES.find((name) => files.includes(name));
  if (files.includes('Chart.yaml')) {
    layout.charts.push(await readChart(root, rel, files));
    return; // a chart's templates and subcharts are the chart's own business
  }
  if (kustomizationFile) {
    layout.kustomizations.push(await readKustomization(root, rel, kustomizationFile));
  } else if (await holdsManifests(root, rel, files)) {
    layout.manifestDirs.push(rel);
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    await scanDir(root, rel ? `${rel}/${entry.name}` : entry.name, depth + 1, layout);
  }
}

async function readChart(root: string, rel: string, files: string[]): Promise<ChartDir> {
  const chart = await readYaml(join(root, rel, 'Chart.yaml'));
  const name = typeof chart?.['name'] === 'string' ? chart['name'] : posix.basename(rel || 'chart');
  const valuesFiles = files.filter((file) => /^values[-._].+\.ya?ml$/.test(file) && file !== 'values.yaml' && file !== 'values.schema.json').sort();
  return { path: rel, name, valuesFiles };
}

async function readKustomization(root: string, rel: string, file: string): Promise<KustomizationDir> {
  const doc = await readYaml(join(root, rel, file));
  const listed = ['resources', 'components', 'bases'].flatMap((key) => {
    const value = doc?.[key];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  });
  const references = listed
    .filter((item) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(item) && !item.startsWith('git@') && !/\.(ya?ml|json)$/i.test(item))
    .map((item) => posix.normalize(posix.join(rel || '.', item)))
    .filter((path) => !path.startsWith('..'));
  const namespace = typeof doc?.['namespace'] === 'string' ? doc['namespace'] : undefined;
  return { path: rel, references, namespace, component: doc?.['kind'] === 'Component' };
}

async function holdsManifests(root: string, rel: string, files: string[]): Promise<boolean> {
  for (const file of files.filter((name) => /\.(ya?ml|json)$/i.test(name))) {
    const text = await readFile(join(root, rel, file), 'utf8').catch(() => '');
    if (text.length > MAX_MANIFEST_BYTES) continue;
    if (/^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text)) return true;
  }
  return false;
}

async function readYaml(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    const value: unknown = parseAllDocuments(text)[0]?.toJS();
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
