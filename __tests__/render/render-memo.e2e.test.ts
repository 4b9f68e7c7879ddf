/**
 * The run's renderer (flows/adapters.ts createRenderer) renders each tree once per environment,
 * with real Git and kubectl: the head commit and the checkout at that commit share one
 * `kubectl kustomize`; a checkout holding anything else (an edit, an untracked or an ignored
 * file) is rendered afresh, and so is a new commit; a checkout without the environment's
 * directory still fails as it does unshared.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig, PipelineConfig } from '../../src/config/types.js';
import type { CommandRunner } from '../../src/exec/run.js';
import { createRenderer } from '../../src/flows/adapters.js';
import type { RendererPort } from '../../src/flows/ports.js';
import { hostRunner } from '../support/host-runner.js';
import { git, removeDir, tempDir } from '../exec/temp-repo.js';
import { testEnvironment } from '../support/environment.js';

function environment(name: string): EnvironmentConfig {
  return testEnvironment(name, { namespace: name });
}

function write(repo: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
}

const commit = (repo: string, message: string) => {
  git(repo, 'add', '--all');
  git(repo, 'commit', '--quiet', '-m', message);
};

let repo: string;
let renderer: RendererPort;
let kustomizeRuns: number;
const dev = environment('dev');

beforeEach(() => {
  repo = tempDir('slipway-render-memo-');
  write(repo, {
    '.gitignore': 'charts/\n',
    'base/kustomization.yaml': 'resources:\n  - configmap.yaml\n',
    'base/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  LEVEL: info\n',
    'envs/dev/kustomization.yaml': 'namespace: dev\nresources:\n  - ../../base\n',
  });
  git(repo, 'init', '--quiet', '--initial-branch=main');
  commit(repo, 'dev over a base');
  kustomizeRuns = 0;
  const counting: CommandRunner = {
    path: hostRunner.path,
    run(command, args, options) {
      if (args[0] === 'kustomize') kustomizeRuns++;
      return hostRunner.run(command, args, options);
    },
  };
  const config = { root: repo, tools: {}, environments: [dev] } as unknown as PipelineConfig;
  renderer = createRenderer(config, counting);
});
afterEach(async () => {
  await renderer.dispose?.();
  removeDir(repo);
});

const levels = async (ref: string | undefined) => (await renderer.render(dev, ref)).objects.map((o) => o.object.data);

describe('the run renderer renders each tree once per environment', () => {
  it('the head commit and the unchanged checkout share one render; a new commit is rendered', async () => {
    expect(await levels('HEAD')).toEqual([{ LEVEL: 'info' }]);
    expect(await levels(undefined)).toEqual([{ LEVEL: 'info' }]);
    expect(await levels(git(repo, 'rev-parse', 'HEAD').trim())).toEqual([{ LEVEL: 'info' }]);
    expect(kustomizeRuns).toBe(1);

    write(repo, { 'base/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  LEVEL: debug\n' });
    expect(await levels(undefined)).toEqual([{ LEVEL: 'debug' }]);
    expect(kustomizeRuns).toBe(2);
    commit(repo, 'debug');
    expect(await levels(undefined)).toEqual([{ LEVEL: 'debug' }]);
    expect(await levels('HEAD')).toEqual([{ LEVEL: 'debug' }]);
    expect(await levels('HEAD^')).toEqual([{ LEVEL: 'info' }]);
    expect(kustomizeRuns).toBe(3);
  });

  it('a checkout with an edited, an untracked or an ignored file, or an untracked directory, is rendered every time', async () => {
    await levels('HEAD');
    write(repo, { 'base/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  LEVEL: warn\n' });
    expect(await levels(undefined)).toEqual([{ LEVEL: 'warn' }]);
    expect(await levels(undefined)).toEqual([{ LEVEL: 'warn' }]);
    git(repo, 'checkout', '--', 'base/configmap.yaml');
    write(repo, { 'envs/dev/notes.txt': 'untracked\n' });
    expect(await levels(undefined)).toEqual([{ LEVEL: 'info' }]);
    removeDir(join(repo, 'envs/dev/notes.txt'));
    write(repo, { 'envs/dev/charts/dependency.tgz': 'ignored\n' });
    expect(await levels(undefined)).toEqual([{ LEVEL: 'info' }]);
    removeDir(join(repo, 'envs/dev/charts'));
    // A whole directory git does not know (listed once by git status, never file by file).
    write(repo, { 'generated/extra/values.yaml': 'untracked: true\n' });
    expect(await levels(undefined)).toEqual([{ LEVEL: 'info' }]);
    expect(kustomizeRuns).toBe(6);
  });

  it('a checkout without the directory fails although the commit render of it was empty', async () => {
    removeDir(join(repo, 'envs/dev'));
    commit(repo, 'dev removed');
    expect(await levels('HEAD')).toEqual([]);
    await expect(renderer.render(dev, undefined)).rejects.toThrow('directory envs/dev does not exist');
  });
});
