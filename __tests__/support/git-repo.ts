/**
 * Real Git for tests: a working repository cloned from a bare `origin`, both in a temp dir,
 * built from a map of files or a fixture directory. `cleanup()` removes everything.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TestRepo {
  /** Working tree (a clone of origin, on main). */
  dir: string;
  /** Bare repository the working tree pushes to. */
  origin: string;
  git(...args: string[]): string;
  /** Writes files (path -> content; null deletes) relative to the working tree. */
  write(files: Record<string, string | null>): void;
  /** Commits everything and publishes it as origin's main (see `publish`); returns the new SHA. */
  commit(message: string): string;
  head(): string;
  cleanup(): void;
}

const IDENTITY = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false'];

/**
 * An empty bare origin and an empty repository on main. Under jest they are made once per test
 * file and each test repository is a copy of the two, which starts no process (elsewhere, as in
 * the benchmarks, each repository makes its own). Neither runs `gc --auto` or
 * `maintenance --auto` after a commit or a push: small repositories that live for one test.
 */
function initRepositories(dir: string): void {
  const init = (...args: string[]) => execFileSync('git', ['init', '--quiet', '--initial-branch=main', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  init('--bare', 'origin.git');
  init('work');
  const quiet = '[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n';
  appendFileSync(join(dir, 'origin.git', 'config'), `${quiet}[receive]\n\tautogc = false\n`);
  appendFileSync(join(dir, 'work', '.git', 'config'), quiet);
}

let seed: string | undefined;
const underJest = typeof afterAll === 'function';

function emptyRepositories(root: string): void {
  if (!underJest) return initRepositories(root);
  if (seed === undefined || !existsSync(seed)) {
    seed = mkdtempSync(join(tmpdir(), 'slipway-repo-seed-'));
    initRepositories(seed);
  }
  cpSync(seed, root, { recursive: true });
}

if (underJest) {
  afterAll(() => {
    if (seed !== undefined) rmSync(seed, { recursive: true, force: true });
    seed = undefined;
  });
}

export function createTestRepo(options: { files?: Record<string, string>; fixture?: string } = {}): TestRepo {
  const root = mkdtempSync(join(tmpdir(), 'slipway-repo-'));
  const origin = join(root, 'origin.git');
  const dir = join(root, 'work');
  const run = (cwd: string, args: string[]) =>
    execFileSync('git', [...IDENTITY, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  // What `git clone` of the empty origin writes: the remote, and main tracking it.
  emptyRepositories(root);
  appendFileSync(
    join(dir, '.git', 'config'),
    `[remote "origin"]\n\turl = ${origin}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n`,
  );
  // origin reads the working repository's objects as its own, so a test's commit reaches origin
  // by moving two refs: a local push starts seven processes (push, receive-pack, pack-objects,
  // unpack-objects...), and tests commit often. What the code under test pushes still goes
  // through git push and lands in origin's own object store.
  writeFileSync(join(origin, 'objects', 'info', 'alternates'), `${join(dir, '.git', 'objects')}\n`);

  /** What `git push origin <sha>:main` leaves behind: origin's main and the working tree's origin/main at `sha`. */
  const publish = (sha: string): void => {
    for (const ref of [join(origin, 'refs', 'heads', 'main'), join(dir, '.git', 'refs', 'remotes', 'origin', 'main')]) {
      mkdirSync(dirname(ref), { recursive: true });
      writeFileSync(ref, `${sha}\n`);
    }
  };

  /** HEAD's commit, read from the ref files when they hold it (a fresh commit always writes its branch's file). */
  const head = (): string => {
    const symbolic = /^ref: (refs\/heads\/[^\s]+)\s*$/.exec(readFileSync(join(dir, '.git', 'HEAD'), 'utf8'));
    const file = symbolic && join(dir, '.git', symbolic[1]);
    if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
    return run(dir, ['rev-parse', 'HEAD']);
  };

  const repo: TestRepo = {
    dir,
    origin,
    git: (...args) => run(dir, args),
    write(files) {
      for (const [path, content] of Object.entries(files)) {
        const target = join(dir, path);
        if (content === null) {
          rmSync(target, { force: true, recursive: true });
          continue;
        }
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
    },
    commit(message) {
      run(dir, ['add', '--all']);
      run(dir, ['commit', '--quiet', '--allow-empty', '-m', message]);
      const sha = head();
      publish(sha);
      return sha;
    },
    head,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  if (options.fixture) cpSync(options.fixture, dir, { recursive: true });
  if (options.files) repo.write(options.files);
  if (options.fixture || options.files) repo.commit('initial state');
  return repo;
}
