/**
 * A pull request's head is untrusted: whatever it links to or names, rendering it never reads a
 * file outside the repository, for every engine, in the working tree and at a commit.
 */
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { EnvironmentConfig } from '../../src/config/types.js';
import type { CommandRunner } from '../../src/exec/run.js';
import { hostRunner } from '../support/host-runner.js';
import { renderEnvironment } from '../support/host-runner.js';
import { git, removeDir, repoFrom, tempDir } from '../exec/temp-repo.js';
import { testEnvironment } from '../support/environment.js';

const FIXTURES = resolve('__tests__/fixtures/render');
const OUTSIDE_SECRET = 'outside-secret-3f9a1c';

function environment(path: string, extra: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return testEnvironment('prod', { path, ...extra });
}

/** A runner that records calls and fails the test's expectations if a renderer was started. */
function recordingRunner(): CommandRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    path: hostRunner.path,
    run(command, args, options) {
      calls.push([command, ...args].join(' '));
      return hostRunner.run(command, args, options);
    },
  };
}

let outside: string;
let repo: string;
beforeEach(() => {
  outside = tempDir('slipway-outside-');
  writeFileSync(join(outside, 'secret.txt'), `${OUTSIDE_SECRET}\n`);
  writeFileSync(join(outside, 'stolen.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen}\ndata: {token: ${OUTSIDE_SECRET}}\n`);
  writeFileSync(join(outside, 'kustomization.yaml'), 'resources: [stolen.yaml]\n');
  repo = tempDir('slipway-repo-');
});
afterEach(() => {
  removeDir(outside);
  removeDir(repo);
});

const leaked = (result: unknown) => JSON.stringify(result).includes(OUTSIDE_SECRET);

describe('an environment directory that is a symlink out of the repository', () => {
  it('at a commit: nothing is rendered and the link and its target are named', async () => {
    const dir = repoFrom(join(FIXTURES, 'plain'));
    try {
      mkdirSync(join(dir, 'envs'), { recursive: true });
      symlinkSync(outside, join(dir, 'envs/prod'));
      git(dir, 'add', '--all');
      git(dir, 'commit', '--quiet', '-m', 'prod is a link');
      const result = await renderEnvironment(environment('envs/prod'), { root: dir, ref: 'HEAD' });
      expect(result.objects).toEqual([]);
      expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'symlink-escape', file: 'envs/prod', environment: 'prod' })]);
      expect(result.findings[0]!.message).toContain(`envs/prod is a symlink to ${outside}`);
      expect(leaked(result)).toBe(false);
    } finally {
      removeDir(dir);
    }
  });

  it('in the working tree, for a kustomize directory too', async () => {
    mkdirSync(join(repo, 'envs'));
    symlinkSync(outside, join(repo, 'envs/prod'));
    const runner = recordingRunner();
    const result = await renderEnvironment(environment('envs/prod'), { root: repo }, { runner });
    expect(result.objects).toEqual([]);
    expect(result.findings.map((f) => [f.rule, f.file])).toEqual([['symlink-escape', 'envs/prod']]);
    expect(runner.calls).toEqual([]);
  });
});

describe('plain directories', () => {
  it('render nothing when a link leads out of the repository', async () => {
    mkdirSync(join(repo, 'envs/prod'), { recursive: true });
    writeFileSync(join(repo, 'envs/prod/ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n');
    symlinkSync(join(outside, 'stolen.yaml'), join(repo, 'envs/prod/link.yaml'));
    const result = await renderEnvironment(environment('envs/prod'), { root: repo });
    expect(result.objects).toEqual([]);
    expect(result.findings.map((f) => [f.rule, f.file])).toEqual([['symlink-escape', 'envs/prod/link.yaml']]);
    expect(leaked(result)).toBe(false);
  });

  it('report a file that is not UTF-8 at its line and column', async () => {
    mkdirSync(join(repo, 'envs/prod'), { recursive: true });
    writeFileSync(join(repo, 'envs/prod/a.yaml'), Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: latin}\ndata: {city: "M'), Buffer.from([0xfc]), Buffer.from('nchen"}\n')]));
    writeFileSync(join(repo, 'envs/prod/b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "caf\u00e9"}\n');
    const result = await renderEnvironment(environment('envs/prod'), { root: repo });
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'invalid-utf8', file: 'envs/prod/a.yaml', line: 4, column: 16 })]);
    expect(result.objects.map((o) => o.object.metadata.name)).toEqual(['caf\u00e9']);
    expect(JSON.stringify(result)).not.toContain('\ufffd');
  });
});

describe('helm', () => {
  function chart(): string {
    cpSync(join(FIXTURES, 'helm/envs/dev'), join(repo, 'envs/prod'), { recursive: true });
    writeFileSync(join(repo, 'envs/prod/templates/files.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: files}\ndata:\n  stolen: {{ .Files.Get "stolen.txt" | quote }}\n');
    return join(repo, 'envs/prod');
  }

  it('does not run when a chart file links out of the repository (.Files.Get)', async () => {
    const dir = chart();
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'stolen.txt'));
    const runner = recordingRunner();
    const result = await renderEnvironment(environment('envs/prod'), { root: repo }, { runner });
    expect(runner.calls).toEqual([]);
    expect(result.objects).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'symlink-escape', file: 'envs/prod/stolen.txt' })]);
    expect(result.findings[0]!.message).toContain(`envs/prod/stolen.txt is a symlink to ${join(outside, 'secret.txt')}`);
    expect(leaked(result)).toBe(false);
  });

  it('does not run when a template is a link out of the repository, or a file links to /proc/self/environ', async () => {
    const dir = chart();
    symlinkSync(join(outside, 'stolen.yaml'), join(dir, 'templates/stolen.yaml'));
    symlinkSync('/proc/self/environ', join(dir, 'environ.txt'));
    const result = await renderEnvironment(environment('envs/prod'), { root: repo });
    expect(result.objects).toEqual([]);
    expect(result.findings.map((f) => [f.rule, f.file])).toEqual([
      ['symlink-escape', 'envs/prod/environ.txt'],
      ['symlink-escape', 'envs/prod/templates/stolen.yaml'],
    ]);
  });

  it('refuses a values file outside the repository', async () => {
    chart();
    const values = relative(join(repo, 'envs/prod'), join(outside, 'secret.txt'));
    const result = await renderEnvironment(environment('envs/prod', { helm: { valuesFiles: [values] } }), { root: repo });
    expect(result.objects).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'symlink-escape', file: 'envs/prod' })]);
  });

  it('still renders charts whose links stay inside the repository', async () => {
    const dir = chart();
    mkdirSync(join(repo, 'shared'));
    writeFileSync(join(repo, 'shared/stolen.txt'), 'shared-content\n');
    symlinkSync('../../shared/stolen.txt', join(dir, 'stolen.txt'));
    const result = await renderEnvironment(environment('envs/prod'), { root: repo });
    expect(result.findings).toEqual([]);
    expect(result.objects.find((o) => o.object.metadata.name === 'files')!.object.data).toEqual({ stolen: 'shared-content\n' });
  });

  it('renders no remote chart dependency for a fork, and says so', async () => {
    const dir = chart();
    writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 19.0.0\n    repository: https://charts.example.com/stable\n');
    const runner = recordingRunner();
    const result = await renderEnvironment(environment('envs/prod'), { root: repo }, { runner, allowRemote: false });
    expect(runner.calls).toEqual([]);
    expect(result.objects).toEqual([]);
    expect(result.skipped).toMatch(/uses remote content \(envs\/prod\/Chart\.yaml: chart redis from https:\/\/charts\.example\.com\/stable\).*fork renders no remote content/);
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'warning', rule: 'remote-content', file: 'envs/prod' })]);
  });
});

describe('kustomize', () => {
  function overlay(kustomization: string): void {
    cpSync(join(FIXTURES, 'kustomize'), repo, { recursive: true });
    mkdirSync(join(repo, 'envs/prod'), { recursive: true });
    writeFileSync(join(repo, 'envs/prod/kustomization.yaml'), kustomization);
  }

  it('refuses resources outside the repository, naming the kustomization and the entry', async () => {
    const escape = relative(join(repo, 'envs/prod'), outside);
    expect(escape.startsWith('..')).toBe(true);
    overlay(`resources:\n  - ../../base\n  - ${escape}\n`);
    const runner = recordingRunner();
    const result = await renderEnvironment(environment('envs/prod'), { root: repo }, { runner });
    expect(runner.calls).toEqual([]);
    expect(result.objects).toEqual([]);
    expect(result.findings).toEqual([
      expect.objectContaining({ severity: 'error', rule: 'kustomize-outside-repository', file: 'envs/prod/kustomization.yaml', line: 3 }),
    ]);
    expect(result.findings[0]!.message).toContain(`resources entry "${escape}" leads to ${outside}, outside the repository`);
    expect(leaked(result)).toBe(false);
  });

  it('refuses a base that is a symlinked directory out of the repository, at a commit', async () => {
    overlay('resources:\n  - ../../base\n  - vendored\n');
    symlinkSync(outside, join(repo, 'envs/prod/vendored'));
    git(repo, 'init', '--quiet', '--initial-branch=main');
    git(repo, 'add', '--all');
    git(repo, 'commit', '--quiet', '-m', 'vendored base');
    rmSync(join(repo, 'envs/prod/vendored'));
    const result = await renderEnvironment(environment('envs/prod'), { root: repo, ref: 'HEAD' });
    expect(result.objects).toEqual([]);
    expect(result.findings.map((f) => [f.rule, f.file])).toEqual([['symlink-escape', 'envs/prod/vendored']]);
    expect(leaked(result)).toBe(false);
  });

  it('refuses a file over the size limit before kustomize runs', async () => {
    overlay('resources:\n  - ../../base\n  - big.yaml\n');
    writeFileSync(join(repo, 'envs/prod/big.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata: {x: "${'x'.repeat(5000)}"}\n`);
    const runner = recordingRunner();
    const result = await renderEnvironment(environment('envs/prod'), { root: repo }, { runner, maxFileBytes: 4096 });
    expect(runner.calls).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'file-too-large', file: 'envs/prod/big.yaml' })]);
  });

  it('reports a resource that is not UTF-8 at its file and line', async () => {
    overlay('resources:\n  - ../../base\n');
    writeFileSync(join(repo, 'base/deployment.yaml'), Buffer.concat([Buffer.from('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: {owner: "'), Buffer.from([0xe9, 0x41]), Buffer.from('"}\n')]));
    const result = await renderEnvironment(environment('envs/prod'), { root: repo });
    expect(result.objects).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'invalid-utf8', file: 'base/deployment.yaml', line: 5, column: 25 })]);
  });

  it('renders no remote base for a fork, and says so; allows it otherwise', async () => {
    overlay('resources:\n  - ../../base\n  - https://github.com/acme/platform//base?ref=v1.2.0\n');
    const runner = recordingRunner();
    const fork = await renderEnvironment(environment('envs/prod'), { root: repo }, { runner, allowRemote: false });
    expect(runner.calls).toEqual([]);
    expect(fork.objects).toEqual([]);
    expect(fork.skipped).toContain('envs/prod/kustomization.yaml: https://github.com/acme/platform//base?ref=v1.2.0');
    const offline: CommandRunner = { run: () => Promise.resolve({ stdout: '', stderr: '', exitCode: 0 }) };
    const trusted = await renderEnvironment(environment('envs/prod'), { root: repo }, { runner: offline });
    expect(trusted.skipped).toBeUndefined();
    expect(trusted.findings).toEqual([]);
  });
});
