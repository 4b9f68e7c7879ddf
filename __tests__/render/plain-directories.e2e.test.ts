import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { renderEnvironment } from '../support/host-runner.js';
import { removeDir, repoFrom, tempDir } from '../exec/temp-repo.js';
import { testEnvironment } from '../support/environment.js';

const FLUX = resolve('__tests__/fixtures/render/flux');

function environment(path: string, extra: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return testEnvironment('staging', { path, ...extra });
}

const placed = (result: Awaited<ReturnType<typeof renderEnvironment>>) =>
  result.objects.map((o) => `${o.object.kind}/${o.object.metadata.name} ${o.source?.file}:${o.source?.line}`);

describe('a Flux cluster directory', () => {
  it('renders a subdirectory with a kustomization as one kustomize unit, in file order (kustomize orders its own output)', async () => {
    const result = await renderEnvironment(environment('clusters/staging'), { root: FLUX });
    expect(result.engine).toBe('plain');
    expect(placed(result)).toEqual([
      'Kustomization/apps clusters/staging/apps.yaml:1',
      'Namespace/flux-system clusters/staging/flux-system/gotk-components.yaml:3',
      'CustomResourceDefinition/gitrepositories.source.toolkit.fluxcd.io clusters/staging/flux-system/gotk-components.yaml:56',
      'CustomResourceDefinition/kustomizations.kustomize.toolkit.fluxcd.io clusters/staging/flux-system/gotk-components.yaml:10',
      'Kustomization/flux-system clusters/staging/flux-system/gotk-sync.yaml:13',
      'GitRepository/flux-system clusters/staging/flux-system/gotk-sync.yaml:2',
      'Kustomization/infra-controllers clusters/staging/infrastructure.yaml:1',
    ]);
  });

  it('skips a file that is no Kubernetes object with a notice', async () => {
    const result = await renderEnvironment(environment('clusters/staging'), { root: FLUX });
    expect(result.findings).toEqual([
      {
        severity: 'notice',
        rule: 'not-kubernetes-object',
        message: 'skipped: this document has neither apiVersion nor kind, so it is no Kubernetes object (an application\'s own config file, say); exclude the file in slipway.yaml to silence this',
        file: 'clusters/staging/renovate.json',
        line: 1,
        column: 1,
        environment: 'staging',
      },
    ]);
  });

  it('leaves out files matching exclude, and subdirectories with recurse: false', async () => {
    const excluded = await renderEnvironment(environment('clusters/staging', { exclude: ['renovate.json', 'flux-system/**'] }), { root: FLUX });
    expect(excluded.findings).toEqual([]);
    expect(placed(excluded)).toEqual(['Kustomization/apps clusters/staging/apps.yaml:1', 'Kustomization/infra-controllers clusters/staging/infrastructure.yaml:1']);
    const flat = await renderEnvironment(environment('clusters/staging', { recurse: false, exclude: ['*.json'] }), { root: FLUX });
    expect(placed(flat)).toEqual(['Kustomization/apps clusters/staging/apps.yaml:1', 'Kustomization/infra-controllers clusters/staging/infrastructure.yaml:1']);
  });
});

describe('documents that are half a Kubernetes object', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
    mkdirSync(join(root, 'envs/dev'), { recursive: true });
  });
  afterEach(() => removeDir(root));

  it('stay errors when they have one of apiVersion and kind, or metadata', async () => {
    writeFileSync(join(root, 'envs/dev/a.yaml'), 'kind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n---\nmetadata: {name: c}\n---\nserver:\n  port: 8080\n');
    const result = await renderEnvironment(environment('envs/dev'), { root });
    expect(result.findings.map((f) => [f.severity, f.rule, f.line])).toEqual([
      ['error', 'yaml-missing-kind', 1],
      ['error', 'yaml-missing-kind', 4],
      ['error', 'yaml-missing-kind', 7],
      ['notice', 'not-kubernetes-object', 9],
    ]);
  });

  it('renders a kustomize unit at a commit too', async () => {
    const repo = repoFrom(FLUX);
    try {
      const result = await renderEnvironment(environment('clusters/staging', { exclude: ['*.json'] }), { root: repo, ref: 'HEAD' });
      expect(result.findings).toEqual([]);
      expect(result.objects.map((o) => o.source?.file)).toContain('clusters/staging/flux-system/gotk-sync.yaml');
      expect(result.objects).toHaveLength(7);
    } finally {
      removeDir(repo);
    }
  });
});
