/**
 * Reads the manifest files of a plain environment directory, defensively: files are read in a
 * stable order, and anything that should not be fed to the YAML parser (huge files, binary
 * files, symlinks leading out of the repository) becomes a finding instead.
 */
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Finding } from '../model/findings.js';
import type { PathMatcher } from '../model/glob.js';
import { findKustomization } from './kustomize-origins.js';
import { findInvalidUtf8, invalidUtf8Finding, type BytePosition } from './utf8.js';

/** Larger manifests are refused unread; the biggest real-world CRD bundles stay well under this. */
export const MAX_MANIFEST_BYTES = 10 * 1024 * 1024;
const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

export interface ManifestFile {
  /** Repository-relative, `/`-separated. */
  path: string;
  text: string;
}

export interface ReadOptions {
  maxBytes?: number;
  /** Files (and directories) left out, matched against the path relative to `dir`. */
  exclude?: readonly PathMatcher[];
  /** Read subdirectories (default true). */
  recurse?: boolean;
}

/** A subdirectory holding a kustomization: rendered with kustomize as one unit, as Flux does. */
export interface KustomizeUnit {
  /** Absolute directory. */
  dir: string;
  /** Repository-relative, `/`-separated. */
  path: string;
  /** How many of `files` come before it, so the render keeps directory order. */
  afterFiles: number;
}

/**
 * Every .yaml/.yml/.json file under `dir` (absolute, inside `root`), recursively, sorted by
 * name at each level. Names starting with `.` are skipped, like editors' and tools' own files.
 * A subdirectory with a kustomization file is not read: it becomes a kustomize unit.
 */
export async function readManifestFiles(
  root: string,
  dir: string,
  options: ReadOptions = {},
): Promise<{ files: ManifestFile[]; findings: Finding[]; kustomizeUnits: KustomizeUnit[] }> {
  const rootReal = await realpath(root);
  const files: ManifestFile[] = [];
  const findings: Finding[] = [];
  const kustomizeUnits: KustomizeUnit[] = [];
  const inEnvironment = (path: string) => relative(dir, path).split(sep).join('/');
  const excluded = (path: string, isDirectory: boolean) =>
    (options.exclude ?? []).some((matches) => matches(inEnvironment(path)) || (isDirectory && matches(`${inEnvironment(path)}/`)));
  const visited = new Set<string>();
  const maxBytes = options.maxBytes ?? MAX_MANIFEST_BYTES;
  const repoPath = (path: string) => relative(root, path).split(sep).join('/');

  const walk = async (current: string): Promise<void> => {
    const real = await realpath(current);
    if (visited.has(real)) return; // a symlinked directory seen before: do not loop
    visited.add(real);
    const entries = (await readdir(current)).filter((name) => !name.startsWith('.')).sort(compareNames);
    for (const name of entries) {
      const full = join(current, name);
      const path = repoPath(full);
      let target = full;
      const link = await lstat(full);
      if (link.isSymbolicLink()) {
        const resolved = await realpath(full).catch(() => undefined);
        if (resolved === undefined) {
          findings.push({ severity: 'warning', rule: 'symlink', message: `${path} is a symlink whose target does not exist; it was skipped`, file: path });
          continue;
        }
        if (!isInside(rootReal, resolved)) {
          findings.push({
            severity: 'error',
            rule: 'symlink-escape',
            message: `${path} is a symlink to ${resolved}, outside the repository; it was not followed. Replace it with the file itself or a link inside the repository`,
            file: path,
          });
          continue;
        }
        target = resolved;
      }
      const info = await stat(target);
      if (excluded(full, info.isDirectory())) continue;
      if (info.isDirectory()) {
        if (options.recurse === false) continue;
        if (await findKustomization(full)) kustomizeUnits.push({ dir: full, path, afterFiles: files.length });
        else await walk(full);
        continue;
      }
      if (!info.isFile() || !MANIFEST_EXTENSIONS.test(name)) continue;
      if (info.size > maxBytes) {
        findings.push({
          severity: 'error',
          rule: 'file-too-large',
          message: `${path} is ${formatBytes(info.size)}, over the ${formatBytes(maxBytes)} limit for a manifest file; it was not read. Split it into smaller files`,
          file: path,
        });
        continue;
      }
      const text = await readText(target);
      if (typeof text === 'object') {
        findings.push(invalidUtf8Finding(path, text.line, text.column));
        continue;
      }
      if (text === undefined) {
        findings.push({
          severity: 'error',
          rule: 'binary-file',
          message: `${path} contains NUL bytes, so it is binary, not YAML or JSON; it was skipped. Remove it from the environment directory or rename it`,
          file: path,
        });
        continue;
      }
      files.push({ path, text });
    }
  };
  await walk(dir);
  return { files, findings, kustomizeUnits };
}

/** The file as UTF-8 text; undefined when it holds a NUL byte (binary); where it is not UTF-8. */
async function readText(file: string): Promise<string | undefined | BytePosition> {
  const handle = await open(file, 'r');
  try {
    const buffer = await handle.readFile();
    if (buffer.includes(0)) return undefined;
    return findInvalidUtf8(buffer) ?? buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

export function isInside(rootReal: string, path: string): boolean {
  const rel = relative(rootReal, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Code-unit order: the same on every machine and locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
