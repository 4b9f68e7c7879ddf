/**
 * Git operations Slipway needs, over the one command runner (no shell). Reading a commit never
 * touches the checkout, the index or HEAD. Credentials for fetch/push live only in the
 * environment of that one command: never in argv (visible in process lists) and never in
 * .git/config (visible to every later step of the job).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../model/errors.js';
import type { CommandRunner, RunOptions, RunResult } from './run.js';
import { maskSecrets, registerSecret } from './secrets.js';

export const DEFAULT_AUTHOR = {
  name: 'github-actions[bot]',
  email: '41898282+github-actions[bot]@users.noreply.github.com',
};

export interface Person {
  name: string;
  email: string;
}

export interface CommitOptions {
  message: string;
  /** Author (and committer) when given; otherwise git's configured identity, else DEFAULT_AUTHOR. */
  author?: Person;
}

export interface RemoteOptions {
  /** Token for HTTPS remotes, sent as a basic-auth header for this one command only. */
  token?: string;
}

/** The remote refused the push because it has commits we lack (non-fast-forward / fetch first). */
export class PushRejectedError extends UserError {
  constructor(
    readonly refspec: string,
    readonly detail: string,
  ) {
    super(
      `git push of ${refspec} was rejected by the remote: ${detail}.`,
      'The branch moved on while Slipway ran; fetch, rebuild the change on the new tip and push again.',
    );
    this.name = 'PushRejectedError';
  }
}

export class Git {
  constructor(
    private readonly runner: CommandRunner,
    /** Directory inside the repository (usually its root). */
    readonly dir: string,
    private readonly gitPath = 'git',
  ) {}

  /** Full SHA of the commit a ref names; a UserError naming the ref when it does not exist. */
  async revParse(ref: string): Promise<string> {
    checkRef(ref);
    const result = await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFailure: true });
    const sha = result.stdout.trim();
    if (result.exitCode !== 0 || !sha) {
      throw new UserError(
        `Git ref "${ref}" does not name a commit in ${this.dir}.`,
        'Check the branch, tag or SHA; in GitHub Actions fetch enough history (actions/checkout with fetch-depth: 0).',
      );
    }
    return sha;
  }

  async headSha(): Promise<string> {
    return this.revParse('HEAD');
  }

  /** Current branch name, or undefined on a detached HEAD. */
  async currentBranch(): Promise<string | undefined> {
    const result = await this.git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFailure: true });
    return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
  }

  /** Whether `ancestor` is reachable from `descendant`. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const [a, d] = await Promise.all([this.revParse(ancestor), this.revParse(descendant)]);
    const result = await this.git(['merge-base', '--is-ancestor', a, d], { allowFailure: true });
    if (result.exitCode === 0) return true;
    if (result.exitCode === 1) return false;
    throw new UserError(`git merge-base --is-ancestor ${ancestor} ${descendant} failed: ${result.stderr.trim()}`);
  }

  /** Repository-relative paths added, changed or deleted between two commits (a rename counts as both paths). */
  async changedFiles(base: string, head: string): Promise<string[]> {
    const [b, h] = await Promise.all([this.revParse(base), this.revParse(head)]);
    const result = await this.git(['diff', '--name-only', '--no-renames', '-z', b, h]);
    return result.stdout.split('\0').filter((path) => path.length > 0);
  }

  /** Absolute path of the repository's top-level directory. */
  async topLevel(): Promise<string> {
    const result = await this.git(['rev-parse', '--show-toplevel']);
    return resolve(result.stdout.trim());
  }

  /**
   * Writes the tree of a commit into `target` (created by the caller, normally empty). Uses a
   * throw-away index file, so HEAD, the real index and the working tree are left exactly as they were.
   * Symlinks are written as symlinks: callers that read the result must not follow them blindly.
   */
  async materialise(ref: string, target: string): Promise<string> {
    const sha = await this.revParse(ref);
    const indexDir = await mkdtemp(join(tmpdir(), 'slipway-index-'));
    const env = { GIT_INDEX_FILE: join(indexDir, 'index') };
    try {
      await this.git(['read-tree', sha], { env });
      const prefix = resolve(target) + '/';
      await this.git(['checkout-index', '--all', '--force', `--prefix=${prefix}`], { env });
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
    return sha;
  }

  async add(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.git(['add', '--', ...paths]);
  }

  /** Commits what is staged; returns the new commit's SHA. */
  async commit(options: CommitOptions): Promise<string> {
    const identity = options.author ?? (await this.configuredIdentity()) ?? DEFAULT_AUTHOR;
    const env = {
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
    };
    // The message goes through stdin so its size and content are never limited by argv.
    await this.git(['commit', '--quiet', '--file=-'], { env, input: options.message });
    return this.headSha();
  }

  async fetch(remote: string, ref: string, options: RemoteOptions = {}): Promise<void> {
    checkRef(ref);
    const env = await this.credentialEnv(remote, options.token);
    await this.git(['fetch', '--quiet', '--no-tags', remote, ref], { env });
  }

  /** Pushes a refspec; a PushRejectedError when the remote refuses a non-fast-forward update. */
  async push(remote: string, refspec: string, options: RemoteOptions = {}): Promise<void> {
    checkRef(refspec);
    const env = await this.credentialEnv(remote, options.token);
    const result = await this.git(['push', '--porcelain', remote, refspec], { env, allowFailure: true });
    if (result.exitCode === 0) return;
    const rejection = /\[rejected\]\s*\(([^)]*)\)|\[remote rejected\]\s*\(([^)]*)\)/.exec(`${result.stdout}\n${result.stderr}`);
    if (rejection && /fetch first|non-fast-forward|stale info/.test(rejection[1] ?? rejection[2] ?? '')) {
      throw new PushRejectedError(refspec, rejection[1] ?? rejection[2] ?? 'rejected');
    }
    throw new UserError(
      maskSecrets(`git push ${remote} ${refspec} failed with exit code ${result.exitCode}:\n${indent(lastLines(`${result.stderr}\n${result.stdout}`))}`),
      'Check that the token may push to this repository (contents: write) and that branch protection allows it.',
    );
  }

  private async configuredIdentity(): Promise<Person | undefined> {
    const [name, email] = await Promise.all([
      this.git(['config', '--get', 'user.name'], { allowFailure: true }),
      this.git(['config', '--get', 'user.email'], { allowFailure: true }),
    ]);
    const person = { name: name.stdout.trim(), email: email.stdout.trim() };
    return name.exitCode === 0 && email.exitCode === 0 && person.name && person.email ? person : undefined;
  }

  /**
   * Environment that gives one git command an Authorization header for the remote's origin.
   * The first (empty) value clears any header an earlier step (actions/checkout) left in
   * .git/config, since two Authorization headers make GitHub refuse the request.
   */
  private async credentialEnv(remote: string, token: string | undefined): Promise<Record<string, string>> {
    const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
    if (!token) return env;
    const origin = httpOrigin(await this.remoteUrl(remote));
    if (!origin) return env;
    const basic = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
    registerSecret(token);
    registerSecret(basic);
    const key = `http.${origin}/.extraheader`;
    return {
      ...env,
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: key,
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: key,
      GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basic}`,
    };
  }

  private async remoteUrl(remote: string): Promise<string> {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(remote)) return remote;
    const result = await this.git(['remote', 'get-url', remote], { allowFailure: true });
    return result.exitCode === 0 ? result.stdout.trim() : remote;
  }

  private git(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return this.runner.run(this.gitPath, args, { ...options, cwd: this.dir, env: { GIT_TERMINAL_PROMPT: '0', ...options.env } });
  }
}

/** `https://host[:port]` of an HTTP(S) URL, without credentials or path; undefined for other remotes. */
export function httpOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? `${parsed.protocol}//${parsed.host}` : undefined;
  } catch {
    return undefined;
  }
}

/** A ref starting with `-` would be read by git as an option. */
function checkRef(ref: string): void {
  if (!ref || ref.startsWith('-') || ref.includes('\0')) {
    throw new UserError(`"${ref}" is not a usable Git ref.`, 'Use a branch, tag or commit SHA.');
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-20).join('\n');
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}
