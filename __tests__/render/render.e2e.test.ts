import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { renderEnvironment } from '../support/host-runner.js';
import { git, removeDir, repoFrom, tempDir } from '../exec/temp-repo.js';
import { testEnvironment } from '../support/environment.js';

const FIXTURES = resolve('__tests__/fixtures/render');

function environment(path: string, extra: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return testEnvironment('dev', { path, ...extra });
}

const names = (objects: { object: { kind: string; metadata: { name?: string } } }[]) => objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`);

describe('renderEnvironment: plain', () => {
  it('reads YAML and JSON files recursively in sorted order, with positions', async () => {
    const result = await renderEnvironment(environment('envs/dev'), { root: join(FIXTURES, 'plain') });
    expect(result.engine).toBe('plain');
    expect(result.findings).toEqual([]);
    expect(names(result.objects)).toEqual(['Service/web', 'ConfigMap/settings', 'ServiceAccount/app', 'Deployment/web']);
    expect(result.objects.map((o) => o.source)).toEqual([
      { file: 'envs/dev/a-service.yml', line: 1, column: 1 },
      { file: 'envs/dev/b-config.yaml', line: 2, column: 1 },
      { file: 'envs/dev/b-config.yaml', line: 12, column: 5 },
      { file: 'envs/dev/sub/deployment.json', line: 1, column: 1 },
    ]);
  });
});

describe('renderEnvironment: bad input in a plain directory', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = tempDir();
    outside = tempDir();
    mkdirSync(join(root, 'envs/dev'), { recursive: true });
    writeFileSync(join(root, 'envs/dev/ok.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n');
  });
  afterEach(() => {
    removeDir(root);
    removeDir(outside);
  });

  it('does not follow a symlink out of the repository', async () => {
    writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: stolen}\n');
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'envs/dev/link.yaml'));
    symlinkSync(outside, join(root, 'envs/dev/linkdir'));
    const result = await renderEnvironment(environment('envs/dev'), { root });
    // Issue 8: an environment with a link out of the repository renders nothing at all.
    expect(names(result.objects)).toEqual([]);
    expect(result.findings.map((f) => [f.rule, f.file])).toEqual([
      ['symlink-escape', 'envs/dev/link.yaml'],
      ['symlink-escape', 'envs/dev/linkdir'],
    ]);
  });

  it('follows a symlink that stays inside the repository', async () => {
    mkdirSync(join(root, 'shared'));
    writeFileSync(join(root, 'shared/common.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: common}\n');
    symlinkSync('../../shared/common.yaml', join(root, 'envs/dev/common.yaml'));
    const result = await renderEnvironment(environment('envs/dev'), { root });
    expect(names(result.objects)).toEqual(['ConfigMap/common', 'ConfigMap/ok']);
  });

  it('skips a binary file with a finding', async () => {
    writeFileSync(join(root, 'envs/dev/blob.yaml'), Buffer.from([0x61, 0x3a, 0x00, 0xff, 0x10]));
    const result = await renderEnvironment(environment('envs/dev'), { root });
    expect(names(result.objects)).toEqual(['ConfigMap/ok']);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'binary-file', file: 'envs/dev/blob.yaml', environment: 'dev' })]);
  });

  it('refuses a 50 MB file without reading it', async () => {
    const line = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n';
    writeFileSync(join(root, 'envs/dev/huge.yaml'), line + '  k: '.concat('x'.repeat(50 * 1024 * 1024), '\n'));
    // Read and parsed, the file would add ConfigMap/big: only the size decides.
    const result = await renderEnvironment(environment('envs/dev'), { root });
    expect(names(result.objects)).toEqual(['ConfigMap/ok']);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'file-too-large', file: 'envs/dev/huge.yaml' })]);
    expect(result.findings[0]!.message).toMatch(/50\.0 MiB, over the 10\.0 MiB limit/);
  });

  it('turns malformed YAML and alias bombs into findings', async () => {
    writeFileSync(join(root, 'envs/dev/broken.yaml'), 'apiVersion: v1\nkind: [\n');
    writeFileSync(join(root, 'envs/dev/bomb.yaml'), 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n');
    const result = await renderEnvironment(environment('envs/dev'), { root });
    expect(result.findings.map((f) => [f.rule, f.file])).toEqual([
      ['yaml-alias-limit', 'envs/dev/bomb.yaml'],
      ['yaml-syntax', 'envs/dev/broken.yaml'],
    ]);
  });

  it('is a clear error when the environment directory does not exist', async () => {
    await expect(renderEnvironment(environment('envs/nope'), { root })).rejects.toThrow(/Environment "dev": directory envs\/nope does not exist/);
  });
});

describe('renderEnvironment: kustomize', () => {
  it('builds an overlay with a base and a component, mapping objects back to their files', async () => {
    const result = await renderEnvironment(environment('envs/dev'), { root: join(FIXTURES, 'kustomize') });
    expect(result.engine).toBe('kustomize');
    expect(result.findings).toEqual([]);
    const byName = Object.fromEntries(result.objects.map((o) => [`${o.object.kind}/${o.object.metadata.name}`, o.source]));
    expect(Object.keys(byName).sort()).toEqual(['ConfigMap/dev-flags-2bm66558g5', 'ConfigMap/dev-monitoring', 'Deployment/dev-web', 'Service/dev-web']);
    expect(byName['Deployment/dev-web']).toEqual({ file: 'base/deployment.yaml', line: 1, column: 1 });
    expect(byName['Service/dev-web']).toEqual({ file: 'envs/dev/service.yaml', line: 2, column: 1 });
    expect(byName['ConfigMap/dev-monitoring']).toEqual({ file: 'components/monitoring/monitor-config.yaml', line: 1, column: 1 });
    // Generated objects point at the kustomization that generates them.
    expect(byName['ConfigMap/dev-flags-2bm66558g5']).toEqual({ file: 'envs/dev/kustomization.yaml', line: 1, column: 1 });
  });

  it('reports a kustomize failure with its message and the directory', async () => {
    const result = await renderEnvironment(environment('envs/broken'), { root: join(FIXTURES, 'kustomize') });
    expect(result.objects).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'render-failed', file: 'envs/broken', severity: 'error' })]);
    expect(result.findings[0]!.message).toMatch(/kustomize could not render environment "dev" from envs\/broken:\n.*does-not-exist\.yaml/s);
  });

  it('finds the package’s own kubectl when PATH has none, and says which tool is missing and how to get it', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      // Issue 9: .tools/bin (relative to the package) is searched before PATH.
      const found = await renderEnvironment(environment('envs/dev'), { root: join(FIXTURES, 'kustomize') });
      expect(found.findings).toEqual([]);
      expect(found.objects.length).toBeGreaterThan(0);
      // Issue 9: a missing tool fails only its environment, as a finding, instead of the whole run.
      const result = await renderEnvironment(environment('envs/dev'), { root: join(FIXTURES, 'kustomize') }, { tools: { kustomize: 'no/such/kustomize' } });
      expect(result.objects).toEqual([]);
      expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'render-failed', file: 'envs/dev' })]);
      expect(result.findings[0]!.message).toMatch(
        /kustomize was not found at "no\/such\/kustomize", the path set in slipway\.yaml under tools\.kustomize \(needed by environment "dev" \(envs\/dev has a kustomization\)\)/,
      );
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('renderEnvironment: helm', () => {
  it('templates the chart with the release name, namespace and values files', async () => {
    const env = environment('envs/dev', { namespace: 'apps', helm: { releaseName: 'shop', valuesFiles: ['values-dev.yaml'] } });
    const result = await renderEnvironment(env, { root: join(FIXTURES, 'helm') });
    expect(result.engine).toBe('helm');
    expect(result.findings).toEqual([]);
    const deployment = result.objects.find((o) => o.object.kind === 'Deployment')!;
    expect(deployment.object.metadata).toMatchObject({ name: 'shop-web', namespace: 'apps' });
    expect((deployment.object.spec as { replicas: number }).replicas).toBe(3);
    expect(deployment.source).toEqual({ file: 'envs/dev/templates/deployment.yaml', line: 3, column: 1 });
    expect(result.objects.find((o) => o.object.kind === 'Service')!.source).toEqual({ file: 'envs/dev/templates/service.yaml', line: 2, column: 1 });
  });

  it('reports a helm failure with its message', async () => {
    const root = tempDir();
    try {
      cpSync(join(FIXTURES, 'helm'), root, { recursive: true });
      writeFileSync(join(root, 'envs/dev/templates/broken.yaml'), 'kind: {{ .Values.nope.deeper }}\n');
      const result = await renderEnvironment(environment('envs/dev'), { root });
      expect(result.findings).toEqual([expect.objectContaining({ rule: 'render-failed', file: 'envs/dev' })]);
      expect(result.findings[0]!.message).toMatch(/helm could not render environment "dev" from envs\/dev:\n.*broken\.yaml/s);
    } finally {
      removeDir(root);
    }
  });
});

describe('renderEnvironment at a Git ref', () => {
  let repo: string;
  beforeEach(() => {
    repo = repoFrom(join(FIXTURES, 'plain'));
  });
  afterEach(() => removeDir(repo));

  it('renders the commit while the working tree differs, and leaves the checkout untouched', async () => {
    const first = git(repo, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(repo, 'envs/dev/a-service.yml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: renamed\n');
    git(repo, 'commit', '--quiet', '-am', 'rename');
    writeFileSync(join(repo, 'envs/dev/new.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: untracked}\n');
    writeFileSync(join(repo, 'envs/dev/b-config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: edited}\n');
    git(repo, 'add', 'envs/dev/b-config.yaml');
    const before = git(repo, 'status', '--porcelain');
    const head = git(repo, 'rev-parse', 'HEAD');

    const atFirst = await renderEnvironment(environment('envs/dev'), { root: repo, ref: first });
    expect(names(atFirst.objects)).toEqual(['Service/web', 'ConfigMap/settings', 'ServiceAccount/app', 'Deployment/web']);
    expect(atFirst.objects[0]!.source?.file).toBe('envs/dev/a-service.yml');
    const atHead = await renderEnvironment(environment('envs/dev'), { root: repo, ref: 'HEAD' });
    expect(names(atHead.objects)).toContain('Service/renamed');
    const working = await renderEnvironment(environment('envs/dev'), { root: repo });
    expect(names(working.objects)).toEqual(['Service/renamed', 'ConfigMap/edited', 'ConfigMap/untracked', 'Deployment/web']);

    expect(git(repo, 'status', '--porcelain')).toBe(before);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('renders nothing for an environment that did not exist at that commit', async () => {
    const result = await renderEnvironment(environment('envs/later'), { root: repo, ref: 'HEAD' });
    expect(result.objects).toEqual([]);
  });

  it('names a ref that does not exist', async () => {
    await expect(renderEnvironment(environment('envs/dev'), { root: repo, ref: 'no-such-branch' })).rejects.toThrow(/Git ref "no-such-branch" does not name a commit/);
  });
});

// Keeps the test honest about the binaries it uses.
test('kubectl with kustomize and helm are available to these tests', () => {
  expect(execFileSync('kubectl', ['version', '--client'], { encoding: 'utf8', env: process.env })).toMatch(/Kustomize Version/);
  expect(execFileSync('helm', ['version', '--short'], { encoding: 'utf8', env: process.env })).toMatch(/^v\d/);
});
