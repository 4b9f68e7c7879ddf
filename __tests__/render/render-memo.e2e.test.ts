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

/** The run's renderer over `environments` of the test repository, counting kubectl kustomize runs from zero. */
function countingRenderer(environments: EnvironmentConfig[]): RendererPort {
  kustomizeRuns = 0;
  const counting: CommandRunner = {
    path: hostRunner.path,
    run(command, args, options) {
      if (args[0] === 'kustomize') kustomizeRuns++;
      return hostRunner.run(command, args, options);
    },
  };
  return createRenderer({ root: repo, tools: {}, environments } as unknown as PipelineConfig, counting);
}

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
  renderer = countingRenderer([dev]);
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
    // HEAD^ holds the files of the first build: shared by content (build-fingerprint.ts).
    expect(kustomizeRuns).toBe(2);
  });

  it('a checkout with an edited, an untracked or an ignored file, or an untracked directory, is rendered every time, sharing a build only of the same files', async () => {
    await levels('HEAD');
    write(repo, { 'base/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  LEVEL: warn\n' });
    expect(await levels(undefined)).toEqual([{ LEVEL: 'warn' }]);
    expect(kustomizeRuns).toBe(2);
    // Rendered again, while kustomize, reading the same files, is not run again.
    expect(await levels(undefined)).toEqual([{ LEVEL: 'warn' }]);
    expect(kustomizeRuns).toBe(2);
    git(repo, 'checkout', '--', 'base/configmap.yaml');
    expect(await levels(undefined)).toEqual([{ LEVEL: 'info' }]);
    expect(kustomizeRuns).toBe(2);
    // Any file in a directory kustomize reads counts, referenced or not, untracked or ignored.
    write(repo, { 'envs/dev/notes.txt': 'untracked\n' });
    expect(await levels(undefined)).toEqual([{ LEVEL: 'info' }]);
    expect(kustomizeRuns).toBe(3);
    removeDir(join(repo, 'envs/dev/notes.txt'));
    write(repo, { 'envs/dev/charts/dependency.tgz': 'ignored\n' });
    expect(await levels(undefined)).toEqual([{ LEVEL: 'info' }]);
    expect(kustomizeRuns).toBe(4);
    removeDir(join(repo, 'envs/dev/charts'));
    // A whole directory git does not know (listed once by git status, never file by file), outside what kustomize reads.
    write(repo, { 'generated/extra/values.yaml': 'untracked: true\n' });
    expect(await levels(undefined)).toEqual([{ LEVEL: 'info' }]);
    expect(kustomizeRuns).toBe(4);
  });

  it('a checkout without the directory fails although the commit render of it was empty', async () => {
    removeDir(join(repo, 'envs/dev'));
    commit(repo, 'dev removed');
    expect(await levels('HEAD')).toEqual([]);
    await expect(renderer.render(dev, undefined)).rejects.toThrow('directory envs/dev does not exist');
  });
});

describe('kustomize builds are shared by the files they read', () => {
  const prod = environment('prod');
  const flags = (level: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  LEVEL: ${level}\n`;
  const levelsOf = async (env: EnvironmentConfig, ref: string | undefined) => (await renderer.render(env, ref)).objects.map((o) => o.object.data);

  beforeEach(async () => {
    await renderer.dispose?.();
    write(repo, {
      'envs/dev/patch.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  LEVEL: debug\n',
      'envs/dev/kustomization.yaml': 'namespace: dev\nresources:\n  - ../../base\npatches:\n  - path: patch.yaml\n',
      'envs/prod/kustomization.yaml': 'namespace: prod\nresources:\n  - ../../base\n',
    });
    commit(repo, 'dev and prod over a base');
    renderer = countingRenderer([dev, prod]);
  });

  it("a change to one environment's files builds the other once for base and head", async () => {
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    write(repo, { 'envs/dev/patch.yaml': flags('trace') });
    commit(repo, 'dev traces');
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    expect(await levelsOf(dev, base)).toEqual([{ LEVEL: 'debug' }]);
    expect(await levelsOf(prod, base)).toEqual([{ LEVEL: 'info' }]);
    expect(await levelsOf(dev, head)).toEqual([{ LEVEL: 'trace' }]);
    expect(await levelsOf(prod, head)).toEqual([{ LEVEL: 'info' }]);
    expect(kustomizeRuns).toBe(3);
    // A shared build names the repository's files, never the directory a commit was written out to.
    expect((await renderer.render(prod, head)).objects.map((o) => o.source?.file)).toEqual(['base/configmap.yaml']);
    // Each caller has its own objects.
    const first = await renderer.render(prod, base);
    first.objects[0]!.object.data = { LEVEL: 'changed by a caller' };
    expect(await levelsOf(prod, head)).toEqual([{ LEVEL: 'info' }]);
  });

  it('a change to a base both environments read builds both again', async () => {
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    write(repo, { 'base/configmap.yaml': flags('warn') });
    commit(repo, 'base warns');
    expect(await levelsOf(prod, base)).toEqual([{ LEVEL: 'info' }]);
    expect(await levelsOf(prod, 'HEAD')).toEqual([{ LEVEL: 'warn' }]);
    expect(await levelsOf(dev, base)).toEqual([{ LEVEL: 'debug' }]);
    expect(await levelsOf(dev, 'HEAD')).toEqual([{ LEVEL: 'debug' }]);
    expect(kustomizeRuns).toBe(4);
  });

  it('a kustomization with helmCharts is built every time its tree is new, since helm reads a chart home', async () => {
    write(repo, {
      // charts/ is ignored in this repository: the chart home is named.
      'envs/prod/kustomization.yaml': 'namespace: prod\nhelmGlobals:\n  chartHome: chart-home\nhelmCharts:\n  - name: app\n    releaseName: app\n',
      'envs/prod/chart-home/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'envs/prod/chart-home/app/values.yaml': 'level: info\n',
      'envs/prod/chart-home/app/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  LEVEL: {{ .Values.level }}\n',
    });
    commit(repo, 'prod from a chart');
    write(repo, { 'README.md': 'unrelated\n' });
    commit(repo, 'a file no environment reads');
    expect(await levelsOf(prod, 'HEAD^')).toEqual([{ LEVEL: 'info' }]);
    expect(await levelsOf(prod, 'HEAD')).toEqual([{ LEVEL: 'info' }]);
    expect(await levelsOf(dev, 'HEAD^')).toEqual([{ LEVEL: 'debug' }]);
    expect(await levelsOf(dev, 'HEAD')).toEqual([{ LEVEL: 'debug' }]);
    expect(kustomizeRuns).toBe(3);
  });
});
