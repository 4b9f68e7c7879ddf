/**
 * Git.push tells a lost race (someone else's push got there first, or moved the ref while ours
 * was being applied) from other refusals, and the working-tree operations promotion relies on
 * (commitFiles, resetHard, uncommittedChanges) leave everything else as it was.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Git, PushRejectedError, pushRace } from '../../src/exec/git.js';
import type { CommandRunner, RunOptions } from '../../src/exec/run.js';
import { hostRunner } from '../support/host-runner.js';
import { UserError } from '../../src/model/errors.js';
import { git, removeDir, repoFrom, tempDir } from './temp-repo.js';

const isolated: CommandRunner = {
  path: hostRunner.path,
  run: (command, args, options: RunOptions = {}) =>
    hostRunner.run(command, args, { ...options, env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...options.env } }),
};

describe('pushRace', () => {
  it.each([
    ['!\tHEAD:refs/heads/main\t[rejected] (fetch first)', 'fetch first'],
    [' ! [rejected]        main -> main (non-fast-forward)', 'non-fast-forward'],
    ['!\tHEAD:refs/heads/main\t[rejected] (stale info)', 'stale info'],
    [
      "!\tHEAD:refs/heads/main\t[remote rejected] (failed to update ref)\nremote: error: cannot lock ref 'refs/heads/main': is at 0265cda9 but expected 7dbbe96b        ",
      "failed to update ref: cannot lock ref 'refs/heads/main': is at 0265cda9 but expected 7dbbe96b",
    ],
    [" ! [remote rejected] main -> main (cannot lock ref 'refs/heads/main': is at abc1 but expected def2)", "cannot lock ref 'refs/heads/main': is at abc1 but expected def2"],
    [' ! [remote rejected] main -> main (incorrect old value provided)', 'incorrect old value provided'],
  ])('%j is a race', (output, reason) => {
    expect(pushRace(output)).toBe(reason);
  });

  it.each([
    '!\tHEAD:refs/heads/main\t[remote rejected] (protected branch hook declined)',
    '!\tHEAD:refs/heads/main\t[remote rejected] (pre-receive hook declined)',
    // A ref update that failed for a reason other than a moved ref (disk, permissions): retrying would not help.
    "!\tHEAD:refs/heads/main\t[remote rejected] (failed to update ref)\nremote: error: unable to create file refs/heads/main.lock: Permission denied",
    "fatal: unable to access 'https://github.com/acme/gitops/': The requested URL returned error: 403",
  ])('%j is not a race', (output) => {
    expect(pushRace(output)).toBeUndefined();
  });
});

describe('Git.push against a real remote', () => {
  let repo: string;
  let remote: string;
  beforeEach(() => {
    repo = repoFrom();
    remote = tempDir();
    git(remote, 'init', '--quiet', '--bare', '--initial-branch=main');
    git(repo, 'push', '--quiet', remote, 'HEAD:refs/heads/main');
  });
  afterEach(() => {
    removeDir(repo);
    removeDir(remote);
  });

  it('the ref moves between the remote\'s check and its update (cannot lock ref): PushRejectedError', async () => {
    // Someone else's commit, already in the remote's object store but not yet on main.
    git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'theirs');
    const theirs = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'push', '--quiet', remote, 'HEAD:refs/heads/side');
    git(repo, 'reset', '--quiet', '--hard', 'HEAD~1');
    git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'ours');
    // The hook moves main after git checked it and before git updates it, as a concurrent push would.
    const hook = join(remote, 'hooks', 'pre-receive');
    writeFileSync(hook, `#!/bin/sh\nenv -u GIT_QUARANTINE_PATH git update-ref refs/heads/main ${theirs}\n`);
    chmodSync(hook, 0o755);

    const error = await new Git(isolated, repo).push(remote, 'HEAD:refs/heads/main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushRejectedError);
    expect((error as Error).message).toMatch(/cannot lock ref 'refs\/heads\/main': is at [0-9a-f]+ but expected [0-9a-f]+/);
    expect(git(remote, 'rev-parse', 'main').trim()).toBe(theirs);
  });

  it('a hook that declines the push is a plain error with git\'s message, not a race', async () => {
    git(repo, 'commit', '--quiet', '--allow-empty', '-m', 'ours');
    const hook = join(remote, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "GH006: Protected branch update failed for refs/heads/main." >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const error = await new Git(isolated, repo).push(remote, 'HEAD:refs/heads/main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).not.toBeInstanceOf(PushRejectedError);
    expect((error as Error).message).toMatch(/GH006: Protected branch/);
  });
});

describe('Git working-tree operations for promotion', () => {
  let repo: string;
  beforeEach(() => {
    repo = repoFrom();
    writeFileSync(join(repo, 'a.txt'), 'one\n');
    writeFileSync(join(repo, 'run.sh'), '#!/bin/sh\necho 1\n');
    chmodSync(join(repo, 'run.sh'), 0o755);
    git(repo, 'add', 'a.txt', 'run.sh');
    git(repo, 'commit', '--quiet', '-m', 'files');
  });
  afterEach(() => removeDir(repo));

  it('commitFiles builds a commit on a parent without touching HEAD, the index or the working tree, and keeps file modes', async () => {
    writeFileSync(join(repo, 'a.txt'), 'local edit\n');
    const status = git(repo, 'status', '--porcelain');
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const g = new Git(isolated, repo);
    const sha = await g.commitFiles('HEAD', [
      { path: 'run.sh', content: '#!/bin/sh\necho 2\n' },
      { path: 'dir/new.txt', content: 'new\n' },
    ], { message: 'promote dev -> prod: app 1 -> 2\n\nSlipway-To: prod\n' });
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe(status);
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('local edit\n');
    expect(git(repo, 'rev-parse', `${sha}^`).trim()).toBe(head);
    expect(git(repo, 'show', `${sha}:run.sh`)).toBe('#!/bin/sh\necho 2\n');
    expect(git(repo, 'show', `${sha}:a.txt`)).toBe('one\n');
    expect(git(repo, 'ls-tree', sha, 'run.sh')).toMatch(/^100755 blob \w+\trun\.sh$/m);
    expect(git(repo, 'ls-tree', '-r', sha, 'dir')).toMatch(/^100644 blob \w+\tdir\/new\.txt$/m);
    expect(git(repo, 'log', '-1', '--format=%an|%B', sha)).toBe('github-actions[bot]|promote dev -> prod: app 1 -> 2\n\nSlipway-To: prod\n\n');
  });

  it('uncommittedChanges lists staged and unstaged tracked changes (a rename once, by its new path), not untracked files', async () => {
    const g = new Git(isolated, repo);
    expect(await g.uncommittedChanges()).toEqual([]);
    writeFileSync(join(repo, 'a.txt'), 'two\n');
    writeFileSync(join(repo, 'untracked.txt'), 'x\n');
    git(repo, 'mv', 'run.sh', 'start.sh');
    expect((await g.uncommittedChanges()).sort()).toEqual(['a.txt', 'start.sh']);
  });

  it('resetHard moves branch, index and tracked files and leaves untracked files alone', async () => {
    const g = new Git(isolated, repo);
    const start = git(repo, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(repo, 'a.txt'), 'two\n');
    git(repo, 'commit', '--quiet', '-am', 'two');
    writeFileSync(join(repo, 'a.txt'), 'dirty\n');
    writeFileSync(join(repo, 'untracked.txt'), 'x\n');
    await g.resetHard(start);
    expect(git(repo, 'rev-parse', 'HEAD').trim()).toBe(start);
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('one\n');
    expect(readFileSync(join(repo, 'untracked.txt'), 'utf8')).toBe('x\n');
    await expect(g.resetHard('--hard')).rejects.toThrow(/not a usable Git ref/);
  });
});
