/**
 * Renders of one commit share what they read from its tree (render/tree-memo.ts): a preview
 * renders every environment over the same bases. Sharing must not cost a check: every
 * environment over a broken base still reports it, and findings still point at the files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { Git } from '../../src/exec/git.js';
import { CommitTrees } from '../../src/render/commit-trees.js';
import { hostRunner, renderEnvironment } from '../support/host-runner.js';
import { git, removeDir, tempDir } from '../exec/temp-repo.js';
import { testEnvironment } from '../support/environment.js';

function environment(name: string): EnvironmentConfig {
  return testEnvironment(name, { namespace: name });
}

const NAMES = ['dev', 'staging', 'prod'];

function write(repo: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
}

let repo: string;
let trees: CommitTrees;
beforeEach(() => {
  repo = tempDir('slipway-shared-tree-');
  write(repo, {
    'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - configmap.yaml\n',
    'base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n',
    'base/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  LEVEL: info\n',
  });
  for (const name of NAMES) write(repo, { [`envs/${name}/kustomization.yaml`]: `namespace: ${name}\nresources:\n  - ../../base\n` });
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'add', '--all');
  git(repo, '-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', 'three environments over one base');
  trees = new CommitTrees(Git.forRepository(hostRunner, repo, {}));
});
afterEach(async () => {
  await trees.dispose();
  removeDir(repo);
});

const renderAll = (ref: string) => Promise.all(NAMES.map((name) => renderEnvironment(environment(name), { root: repo, ref }, { trees })));

describe('renders of one commit share its tree', () => {
  it('every environment points its objects at the base files, lines included', async () => {
    for (const result of await renderAll('HEAD')) {
      expect(result.findings).toEqual([]);
      const sources = result.objects.map((o) => [o.object.kind, o.object.metadata.namespace, o.source?.file, o.source?.line]);
      expect(sources).toEqual(
        expect.arrayContaining([
          ['ConfigMap', result.environment, 'base/configmap.yaml', 1],
          ['Deployment', result.environment, 'base/deployment.yaml', 1],
        ]),
      );
    }
  });

  it('a base file that is not UTF-8 fails every environment built on it, not only the first', async () => {
    write(repo, { 'base/configmap.yaml': Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  CITY: "M'), Buffer.from([0xfc]), Buffer.from('nchen"\n')]) });
    git(repo, 'add', '--all');
    git(repo, '-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', 'latin-1 in the base');
    const results = await renderAll('HEAD');
    for (const result of results) {
      expect(result.objects).toEqual([]);
      expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'invalid-utf8', file: 'base/configmap.yaml', line: 6, environment: result.environment })]);
    }
    // Rendered again in the same run (the head of a preview after its base): the same answer.
    expect((await renderAll('HEAD')).map((r) => r.findings.map((f) => f.rule))).toEqual([['invalid-utf8'], ['invalid-utf8'], ['invalid-utf8']]);
  });

  it('two commits keep their own answers: the base commit renders, the broken head does not', async () => {
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    write(repo, { 'base/deployment.yaml': Buffer.concat([Buffer.from('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "w'), Buffer.from([0xe9]), Buffer.from('b"\n')]) });
    git(repo, 'add', '--all');
    git(repo, '-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', 'broken head');
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const [before, after] = await Promise.all([renderAll(base), renderAll(head)]);
    for (const result of before) expect(result.objects.map((o) => o.object.kind).sort()).toEqual(['ConfigMap', 'Deployment']);
    for (const result of after) expect(result.findings.map((f) => [f.rule, f.file])).toEqual([['invalid-utf8', 'base/deployment.yaml']]);
  });
});
