/**
 * Git operations Slipway needs, over the one command runner (no shell). Reading a commit never
 * touches the checkout, the index or HEAD. Credentials for fetch/push live only in the
 * environment of that one command: never in argv (visible in process lists) and never in
 * .git/config (visible to every later step of the job).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { askOnce } from '../model/ask-once.js';
import { UserError } from '../model/errors.js';
import { indent, lastLines, type CommandRunner, type RunOptions, type RunResult } from './run.js';
import { locateTool, type ToolPaths } from './tools.js';

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

/**
 * The push lost a race: the remote has commits we lack (non-fast-forward / fetch first), or its
 * ref moved while it was being updated (`cannot lock ref ... but expected ...`). Fetching,
 * rebuilding the change on the new tip and pushing again can succeed.
 */
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
    private gitPath = 'git',
  ) {}

  /**
   * The repository's Git, with `tools.git` from slipway.yaml honoured. git is looked up on first
   * use, so a run that needs none never fails for want of it, and a missing one says how to install it.
   */
  static forRepository(runner: CommandRunner, root: string, tools: ToolPaths): Git {
    const git = new Git(runner, root);
    git.locate = () => locateTool('git', { configured: tools, root, path: runner.path, neededBy: `the repository at ${root}` });
    return git;
  }

  private locate?: () => string;
  /** Full SHA -> its commit and its tree: the same for the whole run. */
  private readonly commits = new Map<string, Promise<string>>();
  private readonly trees = new Map<string, Promise<string>>();
  private readonly remoteUrls = new Map<string, Promise<string>>();

  /** Full SHA of the commit a ref names; a UserError naming the ref when it does not exist. */
  async revParse(ref: string): Promise<string> {
    checkRef(ref);
    // A full SHA names the same commit for the whole run: asked once (a run resolves the same few many times).
    if (FULL_SHA.test(ref)) return askOnce(this.commits, ref, () => this.resolveCommit(ref));
    return this.resolveCommit(ref);
  }

  /**
   * The commit a ref names and, in the same command, its tree: a run renders the commits it
   * resolves, and each command started costs more than its answer.
   */
  private async resolveCommit(ref: string): Promise<string> {
    const result = await this.git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { allowFailure: true, input: `${ref}^{commit}\n${ref}^{tree}\n` });
    const [commit, tree] = result.stdout.split('\n').map((line) => /^([0-9a-f]+) (commit|tree)$/.exec(line.trim()));
    if (result.exitCode !== 0 || !commit || commit[2] !== 'commit' || !tree || tree[2] !== 'tree') {
      throw new UserError(
        `Git ref "${ref}" does not name a commit in ${this.dir}.`,
        'Check the branch, tag or SHA; in GitHub Actions fetch enough history (actions/checkout with fetch-depth: 0).',
      );
    }
    const [, sha] = commit;
    if (!this.trees.has(sha)) this.trees.set(sha, Promise.resolve(tree[1]));
    return sha;
  }

  /** The tree a commit holds; a UserError naming the ref when it names no commit. */
  async treeOf(ref: string): Promise<string> {
    const sha = await this.revParse(ref);
    return askOnce(this.trees, sha, async () => (await this.git(['rev-parse', '--verify', '--quiet', `${sha}^{tree}`])).stdout.trim());
  }

  /**
   * HEAD's tree when the checkout holds exactly HEAD's files: nothing staged, changed, untracked
   * or ignored. Undefined otherwise, or when there is no HEAD.
   *
   * Renders of several environments ask at the same moment and share the one `git status` in
   * flight; an ask after it answered looks again, since a promotion edits the checkout between
   * renders.
   */
  checkoutTree(): Promise<string | undefined> {
    this.checkoutAsked ??= this.readCheckoutTree().finally(() => {
      this.checkoutAsked = undefined;
    });
    return this.checkoutAsked;
  }

  private checkoutAsked?: Promise<string | undefined>;

  private async readCheckoutTree(): Promise<string | undefined> {
    // Only emptiness matters: an untracked or ignored directory is one entry, never walked file by file.
    const status = await this.git(['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=normal', '--ignored=matching'], { allowFailure: true });
    if (status.exitCode !== 0) return undefined;
    const lines = status.stdout.split('\0').filter((line) => line.length > 0);
    // Only the `# branch.*` headers: nothing differs from HEAD.
    if (lines.some((line) => !line.startsWith('# '))) return undefined;
    const head = lines.find((line) => line.startsWith('# branch.oid '))?.slice('# branch.oid '.length);
    return head && FULL_SHA.test(head) ? this.treeOf(head) : undefined;
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

  /** The best common ancestor of two commits: what a pull request's changes are measured from. */
  async mergeBase(a: string, b: string): Promise<string> {
    const [left, right] = await Promise.all([this.revParse(a), this.revParse(b)]);
    const result = await this.git(['merge-base', left, right], { allowFailure: true });
    const sha = result.stdout.trim();
    if (result.exitCode !== 0 || !sha) {
      throw new UserError(
        `Commits ${a} and ${b} share no history in ${this.dir}.`,
        'Fetch the full history (actions/checkout with fetch-depth: 0) so both commits and their common ancestor are present.',
      );
    }
    return sha;
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
      // Into an empty index, `read-tree -u` writes every file out: one command where read-tree and
      // checkout-index took two. The repository's sparse-checkout patterns must not leave any out.
      await this.git(['-c', 'core.sparseCheckout=false', `--work-tree=${resolve(target)}`, 'read-tree', '-u', '--reset', sha], { env });
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
    const env = await this.identityEnv(options.author);
    // The message goes through stdin so its size and content are never limited by argv.
    await this.git(['commit', '--quiet', '--file=-'], { env, input: options.message });
    return this.headSha();
  }

  /**
   * A commit of `parent` plus the given file contents, built through a throw-away index so HEAD,
   * the real index and the working tree stay exactly as they are; returns its SHA. Each file
   * keeps its mode in `parent` (an executable stays executable); a new file is 100644.
   */
  async commitFiles(parent: string, files: readonly { path: string; content: string }[], options: CommitOptions): Promise<string> {
    const parentSha = await this.revParse(parent);
    const indexDir = await mkdtemp(join(tmpdir(), 'slipway-index-'));
    const env = { ...(await this.identityEnv(options.author)), GIT_INDEX_FILE: join(indexDir, 'index') };
    const out = async (args: readonly string[], input?: string) =>
      (await this.git(args, { env, ...(input !== undefined ? { input } : {}) })).stdout.trim();
    try {
      await out(['read-tree', parentSha]);
      for (const file of files) {
        const blob = await out(['hash-object', '-w', '--stdin'], file.content);
        const mode = (await out(['ls-files', '--stage', '--', file.path])).split(' ')[0] || '100644';
        await out(['update-index', '--add', '--cacheinfo', `${mode},${blob},${file.path}`]);
      }
      const tree = await out(['write-tree']);
      return await out(['commit-tree', tree, '-p', parentSha, '-F', '-'], options.message);
    } finally {
      await rm(indexDir, { recursive: true, force: true });
    }
  }

  /** Moves the current branch, the index and tracked files to `ref`; untracked files are left alone. */
  async resetHard(ref: string): Promise<void> {
    const sha = await this.revParse(ref);
    await this.git(['reset', '--quiet', '--hard', sha]);
  }

  /** Repository-relative paths of tracked files with staged or unstaged changes (for a rename, the new path). */
  async uncommittedChanges(): Promise<string[]> {
    const result = await this.git(['status', '--porcelain=v1', '--untracked-files=no', '-z']);
    const entries = result.stdout.split('\0');
    const paths: string[] = [];
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      if (entry.length < 4) continue;
      paths.push(entry.slice(3));
      // With -z a rename or copy is followed by its original path as a separate entry.
      if (entry[0] === 'R' || entry[0] === 'C') i++;
    }
    return paths;
  }

  async fetch(remote: string, ref: string, options: RemoteOptions = {}): Promise<void> {
    checkRef(ref);
    const env = await this.credentialEnv(remote, options.token);
    await this.git(['fetch', '--quiet', '--no-tags', remote, ref], { env });
  }

  /** Pushes a refspec; a PushRejectedError when the push lost a race with another push (see pushRace). */
  async push(remote: string, refspec: string, options: RemoteOptions = {}): Promise<void> {
    checkRef(refspec);
    const env = await this.credentialEnv(remote, options.token);
    const result = await this.git(['push', '--porcelain', remote, refspec], { env, allowFailure: true });
    if (result.exitCode === 0) return;
    const race = pushRace(`${result.stdout}\n${result.stderr}`);
    if (race) throw new PushRejectedError(refspec, race);
    throw new UserError(
      `git push ${remote} ${refspec} failed with exit code ${result.exitCode}:\n${indent(lastLines(`${result.stderr}\n${result.stdout}`, 20))}`,
      'Check that the token may push to this repository (contents: write) and that branch protection allows it.',
    );
  }

  /** Author and committer for one command: the given person, else git's configured identity, else DEFAULT_AUTHOR. */
  private async identityEnv(author: Person | undefined): Promise<Record<string, string>> {
    const identity = author ?? (await this.configuredIdentity()) ?? DEFAULT_AUTHOR;
    return {
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
    };
  }

  private async configuredIdentity(): Promise<Person | undefined> {
    // Both settings in one command; git itself uses the last value of a setting given more than once.
    const result = await this.git(['config', '--null', '--get-regexp', '^user\\.(name|email)$'], { allowFailure: true });
    const values = new Map<string, string>();
    for (const entry of result.stdout.split('\0')) {
      const newline = entry.indexOf('\n');
      if (newline > 0) values.set(entry.slice(0, newline), entry.slice(newline + 1).trim());
    }
    const person = { name: values.get('user.name') ?? '', email: values.get('user.email') ?? '' };
    return person.name && person.email ? person : undefined;
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
    this.runner.secrets?.add(token);
    this.runner.secrets?.add(basic);
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
    // A remote's URL does not change while Slipway runs; each push and fetch would ask again.
    return askOnce(this.remoteUrls, remote, async () => {
      const result = await this.git(['remote', 'get-url', remote], { allowFailure: true });
      return result.exitCode === 0 ? result.stdout.trim() : remote;
    });
  }

  private git(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    if (this.locate) {
      this.gitPath = this.locate();
      this.locate = undefined;
    }
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

/**
 * Why a failed push lost a race with another push, or undefined when it failed for another
 * reason. Two shapes: the remote had commits we lack when we asked (`[rejected] (fetch first)`,
 * `(non-fast-forward)`, `(stale info)` for a lease), or the ref moved between the remote's check
 * and its update: receive-pack then reports `[remote rejected] (failed to update ref)` with
 * `cannot lock ref '<ref>': is at X but expected Y` on stderr (GitHub may put that text, or
 * `incorrect old value provided`, in the reason itself). A bare `failed to update ref` without
 * that detail (a full disk, a permission problem on the server) is not a race: retrying would
 * not help.
 */
export function pushRace(output: string): string | undefined {
  const rejected = /\[rejected\][^(\n]*\(([^)]*)\)/.exec(output);
  if (rejected && /fetch first|non-fast-forward|stale info/.test(rejected[1])) return rejected[1];
  const remote = /\[remote rejected\][^(\n]*\((.*)\)\s*$/m.exec(output);
  if (!remote) return undefined;
  if (/cannot lock ref|incorrect old value/.test(remote[1])) return remote[1];
  const lock = /cannot lock ref '[^']*': is at [0-9a-f]+ but expected [0-9a-f]+|incorrect old value provided/.exec(output);
  return remote[1] === 'failed to update ref' && lock ? `${remote[1]}: ${lock[0]}` : undefined;
}

/** A full object name, SHA-1 or SHA-256. */
const FULL_SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** A ref starting with `-` would be read by git as an option. */
function checkRef(ref: string): void {
  // A line break would end one name in `cat-file --batch-check` and start another.
  if (!ref || ref.startsWith('-') || /[\0\r\n]/.test(ref)) {
    throw new UserError(`"${ref}" is not a usable Git ref.`, 'Use a branch, tag or commit SHA.');
  }
}
