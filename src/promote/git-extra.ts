/**
 * Git operations promotion needs that src/exec/git.ts does not offer yet.
 * TO MOVE into class Git (src/exec/git.ts): resetHard, hasUncommittedChanges, commitFiles.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner } from '../exec/run.js';
import { DEFAULT_AUTHOR, type Person } from '../exec/git.js';

export class GitExtra {
  constructor(
    private readonly runner: CommandRunner,
    private readonly dir: string,
    private readonly gitPath = 'git',
  ) {}

  /** Moves the current branch, index and tracked files to `sha` (untracked files are left alone). */
  async resetHard(sha: string): Promise<void> {
    await this.runner.run(this.gitPath, ['reset', '--quiet', '--hard', sha], { cwd: this.dir });
  }

  /** Tracked files with staged or unstaged changes, repository-relative. */
  async uncommittedChanges(): Promise<string[]> {
    const result = await this.runner.run(this.gitPath, ['status', '--porcelain', '--untracked-files=no', '-z'], { cwd: this.dir });
    return result.stdout.split('\0').filter(Boolean).map((line) => line.slice(3));
  }

  /**
   * A commit of `parent` plus the given file contents, made through a throw-away index, so
   * HEAD, the real index and the working tree stay exactly as they are. Returns its SHA.
   */
  async commitFiles(parent: string, files: readonly { path: string; content: string }[], message: string, author: Person | undefined): Promise<string> {
    const indexDir = await mkdtemp(join(tmpdir(), 'slipway-promote-index-'));
    const identity = author ?? (await this.configuredIdentity()) ?? DEFAULT_AUTHOR;
    const env = {
      GIT_INDEX_FILE: join(indexDir, 'index'),
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
    };
    const git = async (args: string[], input?: string) =>
      (await this.runner.run(this.gitPath, args, { cwd: this.dir, env, ...(input !== undefined ? { input } : {}) })).stdout.trim();
    try {
      await git(['read-tree', parent]);
      for (const file of files) {
        const blob = await git(['hash-object', '-w', '--stdin'], file.content);
        const mode = (await git(['ls-files', '--stage', '--', file.path])).split(' ')[0] || '100644';
        await git(['update-index', '--add', '--cacheinfo', `${mode},${blob},${file.path}`]);
      }
      const tree = await git(['write-tree']);
      return await git(['commit-tree', tree, '-p', parent, '-F', '-'], message);
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }

  private async configuredIdentity(): Promise<Person | undefined> {
    const get = async (key: string) => (await this.runner.run(this.gitPath, ['config', '--get', key], { cwd: this.dir, allowFailure: true })).stdout.trim();
    const [name, email] = await Promise.all([get('user.name'), get('user.email')]);
    return name && email ? { name, email } : undefined;
  }
}
