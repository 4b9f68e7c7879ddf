import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Git, PushRejectedError } from '../../src/exec/git.js';
import type { CommandRunner, RunOptions } from '../../src/exec/run.js';
import { hostRunner } from '../support/host-runner.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { git, removeDir, repoFrom, tempDir } from './temp-repo.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

/** Runs git without the user's or system's config, so "no identity configured" is real. */
const isolated: CommandRunner = {
  path: hostRunner.path,
  get secrets() {
    return secrets;
  },
  run: (command, args, options: RunOptions = {}) =>
    hostRunner.run(command, args, { ...options, env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...options.env } }),
};

describe('Git', () => {
  let repo: string;
  beforeEach(() => {
    repo = repoFrom();
    writeFileSync(join(repo, 'a.txt'), 'one\n');
    git(repo, 'add', 'a.txt');
    git(repo, 'commit', '--quiet', '-m', 'a');
  });
  afterEach(() => {
    removeDir(repo);
  });

  it('reads refs, branches, ancestry and changed files', async () => {
    const g = new Git(isolated, repo);
    const first = await g.revParse('HEAD~1');
    const head = await g.headSha();
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    expect(await g.currentBranch()).toBe('main');
    expect(await g.isAncestor(first, head)).toBe(true);
    expect(await g.isAncestor(head, first)).toBe(false);
    expect(await g.changedFiles(first, head)).toEqual(['a.txt']);
    await expect(g.revParse('--upload-pack=evil')).rejects.toThrow(/not a usable Git ref/);
  });

  it('materialises a commit without touching HEAD, index or working tree', async () => {
    writeFileSync(join(repo, 'a.txt'), 'changed\n');
    const before = git(repo, 'status', '--porcelain');
    const target = tempDir();
    try {
      await new Git(isolated, repo).materialise('HEAD', target);
      expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe('one\n');
      expect(git(repo, 'status', '--porcelain')).toBe(before);
    } finally {
      removeDir(target);
    }
  });

  it('materialises every file of the commit, links and modes kept, whatever sparse-checkout patterns the checkout has', async () => {
    mkdirSync(join(repo, 'envs', 'dev'), { recursive: true });
    writeFileSync(join(repo, 'envs', 'dev', 'kustomization.yaml'), 'resources: [deploy.yaml]\n');
    writeFileSync(join(repo, 'hook.sh'), '#!/bin/sh\n');
    chmodSync(join(repo, 'hook.sh'), 0o755);
    symlinkSync('../../a.txt', join(repo, 'envs', 'dev', 'linked.txt'));
    git(repo, 'add', '--all');
    git(repo, 'commit', '--quiet', '-m', 'layout');
    git(repo, 'config', 'core.sparseCheckout', 'true');
    mkdirSync(join(repo, '.git', 'info'), { recursive: true });
    writeFileSync(join(repo, '.git', 'info', 'sparse-checkout'), '/a.txt\n');
    const target = tempDir();
    try {
      await new Git(isolated, repo).materialise('HEAD', target);
      expect(readFileSync(join(target, 'envs', 'dev', 'kustomization.yaml'), 'utf8')).toBe('resources: [deploy.yaml]\n');
      expect(statSync(join(target, 'hook.sh')).mode & 0o111).not.toBe(0);
      expect(lstatSync(join(target, 'envs', 'dev', 'linked.txt')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(target, 'envs', 'dev', 'linked.txt'))).toBe('../../a.txt');
      expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe('one\n');
    } finally {
      removeDir(target);
    }
  });

  it("commits as the identity git is configured with, the last value of each setting counting, as git's own", async () => {
    const g = new Git(isolated, repo);
    git(repo, 'config', '--add', 'user.name', 'Earlier Name');
    git(repo, 'config', '--add', 'user.name', 'Release Bot');
    git(repo, 'config', 'user.email', 'release@example.com');
    writeFileSync(join(repo, 'b.txt'), 'two\n');
    await g.add(['b.txt']);
    const sha = await g.commit({ message: 'Promote web to 1.2.3' });
    expect(git(repo, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', sha).trim()).toBe('Release Bot <release@example.com>|Release Bot <release@example.com>');
  });

  it('commits as github-actions[bot] when git has no identity', async () => {
    const g = new Git(isolated, repo);
    writeFileSync(join(repo, 'b.txt'), 'two\n');
    await g.add(['b.txt']);
    const sha = await g.commit({ message: 'Promote web to 1.2.3\n\nbody' });
    expect(git(repo, 'log', '-1', '--format=%H|%an <%ae>|%s', sha).trim()).toBe(
      `${sha}|github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|Promote web to 1.2.3`,
    );
  });

  it('pushes, and tells a non-fast-forward rejection apart', async () => {
    const remote = tempDir();
    try {
      git(remote, 'init', '--quiet', '--bare');
      const g = new Git(isolated, repo);
      await g.push(remote, 'HEAD:refs/heads/main');
      git(repo, 'commit', '--quiet', '--amend', '-m', 'rewritten');
      await expect(g.push(remote, 'HEAD:refs/heads/main')).rejects.toBeInstanceOf(PushRejectedError);
      await g.fetch(remote, 'main');
      await expect(g.push(join(remote, 'missing'), 'HEAD:refs/heads/main')).rejects.toThrow(/git push .* failed with exit code/);
    } finally {
      removeDir(remote);
    }
  });

  it('passes a token only through the environment of the one command', async () => {
    const calls: { args: readonly string[]; env?: Record<string, string | undefined> }[] = [];
    const recording: CommandRunner = {
      secrets,
      run: async (_command, args, options = {}) => {
        calls.push({ args, env: options.env });
        return { stdout: args[0] === 'remote' ? 'https://github.com/acme/gitops.git\n' : '', stderr: '', exitCode: 0 };
      },
    };
    await new Git(recording, repo).push('origin', 'HEAD:refs/heads/main', { token: 'ghs_secrettoken123' });
    const push = calls.find((c) => c.args[0] === 'push')!;
    expect(JSON.stringify(push.args)).not.toContain('ghs_secrettoken123');
    const header = `AUTHORIZATION: basic ${Buffer.from('x-access-token:ghs_secrettoken123').toString('base64')}`;
    expect(push.env).toMatchObject({
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_1: header,
    });
    expect(readFileSync(join(repo, '.git/config'), 'utf8')).not.toContain('extraheader');
    expect(secrets.mask(`token ghs_secrettoken123 and ${header}`)).not.toMatch(/ghs_secrettoken123|x-access-token/);
    expect(secrets.mask(header)).toBe('AUTHORIZATION: basic ***');
  });
});
