/**
 * Checks a directory a renderer is about to read, before it reads anything: a pull request's
 * head is untrusted, and kustomize and helm follow symlinks wherever they lead (a chart's
 * `stolen.txt -> /proc/self/environ` read through `.Files.Get` printed the runner's tokens into
 * a public comment). Every symlink whose target lies outside the repository is an error naming
 * the link and its target; so are files too large to render and manifests that are not UTF-8.
 * Links inside the repository are followed, so the directories they lead to are checked too.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Finding } from '../model/findings.js';
import { isInside } from './files.js';
import { KUSTOMIZATION_FILES } from './kustomize-origins.js';
import type { TreeMemo } from './tree-memo.js';
import { findInvalidUtf8, invalidUtf8Finding, type BytePosition } from './utf8.js';

/** Manifests, values and templates: what a renderer parses as YAML/JSON. Other files are only size-checked. */
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.tpl']);

export interface TreeCheckOptions {
  /** Real path of the repository root (the checkout or the materialised commit). */
  rootReal: string;
  /** Files larger than this are refused. */
  maxFileBytes: number;
  /**
   * Plain directories: skip names starting with `.` (never read) and leave size and encoding to
   * the file reader, which reports them per file. Renderers get all three checked here.
   */
  linksOnly?: boolean;
  /** Shared by the renders of the same tree (tree-memo.ts): a file's encoding is read once. */
  memo: TreeMemo;
}

/** Collects findings over several directories, visiting each real directory once. */
export class TreeCheck {
  readonly findings: Finding[] = [];
  /** Directories seen that hold a kustomization file. */
  readonly kustomizationDirs: string[] = [];
  /** Every file checked in full (not `linksOnly`): its repository path and where it really is. */
  readonly files: { path: string; target: string }[] = [];
  private readonly visited = new Set<string>();
  private readonly escapes = new Set<string>();

  constructor(private readonly options: TreeCheckOptions) {}

  /** Repository-relative, `/`-separated. */
  repoPath(path: string): string {
    return relative(this.options.rootReal, path).split(sep).join('/') || '.';
  }

  /**
   * Where `path` really leads, or an error finding when that is outside the repository (the
   * target of a dangling link is judged by its text, since it may exist by the time a tool reads it).
   */
  async resolveInside(path: string, what: string): Promise<string | undefined> {
    const real = await realpath(path).catch(() => undefined);
    if (real !== undefined && isInside(this.options.rootReal, real)) return real;
    const written = await lexicalTarget(path);
    const target = real ?? written;
    if (target === undefined || isInside(this.options.rootReal, target)) return real;
    const link = await this.escapingLink(path);
    // Named as the link says (/proc/self/environ), not as it resolved for this process.
    if (link) this.escape(link.path, link.target, 'symlink');
    else this.escape(path, written ?? target, what);
    return undefined;
  }

  /** The first component of `path` below the root that is a link leading out of the repository. */
  private async escapingLink(path: string): Promise<{ path: string; target: string } | undefined> {
    const parts = relative(this.options.rootReal, path).split(sep);
    if (parts.includes('..')) return undefined;
    for (let i = 1; i <= parts.length; i++) {
      const prefix = join(this.options.rootReal, ...parts.slice(0, i));
      if (!(await lstat(prefix).catch(() => undefined))?.isSymbolicLink()) continue;
      const written = await lexicalTarget(prefix);
      const target = (await realpath(prefix).catch(() => undefined)) ?? written;
      if (target !== undefined && !isInside(this.options.rootReal, target)) return { path: prefix, target: written ?? target };
    }
    return undefined;
  }

  /** Checks every entry under `dir` (an existing directory inside the repository). */
  async directory(dir: string): Promise<void> {
    const real = await realpath(dir).catch(() => undefined);
    if (real === undefined || this.visited.has(real)) return;
    this.visited.add(real);
    const names = (await readdir(dir)).sort();
    if (names.some((name) => KUSTOMIZATION_FILES.includes(name))) this.kustomizationDirs.push(dir);
    for (const name of names) {
      if (name === '.git' || (this.options.linksOnly && name.startsWith('.'))) continue;
      await this.entry(join(dir, name));
    }
  }

  /** Checks one file or directory (inside the repository by its path; links are followed if they stay inside). */
  async entry(path: string): Promise<void> {
    const link = await lstat(path);
    let target = path;
    if (link.isSymbolicLink()) {
      const resolved = await this.resolveInside(path, 'symlink');
      if (resolved === undefined) return; // dangling inside the repository: the renderer reports it, or an escape was recorded
      target = resolved;
    }
    const info = link.isSymbolicLink() ? await stat(target).catch(() => undefined) : link;
    if (info?.isDirectory()) return this.directory(path);
    if (!info?.isFile() || this.options.linksOnly) return;
    if (info.size > this.options.maxFileBytes) {
      this.findings.push({
        severity: 'error',
        rule: 'file-too-large',
        message: `${this.repoPath(path)} is ${formatBytes(info.size)}, over the ${formatBytes(this.options.maxFileBytes)} limit for a file a renderer reads; the environment was not rendered. Split it into smaller files or move it out of the directory`,
        file: this.repoPath(path),
      });
      return;
    }
    this.files.push({ path: this.repoPath(path), target });
    if (MANIFEST_EXTENSIONS.has(extname(path).toLowerCase()) || basename(path) === 'Kustomization') await this.utf8(path, target);
  }

  private async utf8(path: string, target: string): Promise<void> {
    const bad = (await fileFacts(this.options.memo, target)).invalidUtf8;
    if (!bad) return;
    this.findings.push(invalidUtf8Finding(this.repoPath(path), bad.line, bad.column));
  }

  private escape(path: string, target: string, what: string): void {
    const file = this.repoPath(path);
    if (this.escapes.has(file)) return; // reached again through another kustomization or directory
    this.escapes.add(file);
    const leads = what === 'symlink' ? `${file} is a symlink to ${target}` : `${what} ${file} leads to ${target}`;
    this.findings.push({
      severity: 'error',
      rule: 'symlink-escape',
      message: `${leads}, outside the repository; the environment was not rendered. Replace the link with the files themselves or a link inside the repository`,
      file,
    });
  }
}

/** What the checks learn from a file's bytes, read once per tree; the bytes themselves are not kept. */
export interface FileFacts {
  size: number;
  sha256: string;
  /** Where the bytes stop being UTF-8; undefined for valid text and for binary files (plain directories report those, templates cannot hold them usefully). */
  invalidUtf8?: BytePosition;
}

export function fileFacts(memo: TreeMemo, target: string): Promise<FileFacts> {
  return memo.once('file-facts', target, async () => {
    const bytes = await readFile(target);
    const invalidUtf8 = bytes.includes(0) ? undefined : findInvalidUtf8(bytes);
    return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), ...(invalidUtf8 ? { invalidUtf8 } : {}) };
  });
}

/** A link's target as written, made absolute; undefined for a path that is not a link. */
async function lexicalTarget(path: string): Promise<string | undefined> {
  const text = await readlink(path).catch(() => undefined);
  return text === undefined ? undefined : resolve(dirname(path), text);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}
