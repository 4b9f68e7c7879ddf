import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { removeDir, tempDir } from '../exec/temp-repo.js';
import { configProblems } from './config-problems.js';

let root: string;
beforeEach(() => {
  root = tempDir();
  for (const dir of ['envs/dev', 'envs/staging', 'envs/prod']) mkdirSync(join(root, dir), { recursive: true });
});
afterEach(() => removeDir(root));

const problems = (yaml: string): Promise<string[]> => configProblems(root, yaml);

describe('loadConfig', () => {
  it('applies built-in defaults, then defaults:, then the environment', async () => {
    writeFileSync(
      join(root, 'slipway.yaml'),
      'environments:\n  - name: dev\n    path: ./envs/dev/\n    wait: {enabled: false}\n  - name: prod\n    path: envs/prod\n    promoteFrom: dev\n    promotion: pull-request\n    kubernetesVersion: 1.30\n    policies: {image-tag: error}\ndefaults:\n  wait: {timeout: 90s}\n  prune: false\n  namespace: apps\ntools: {helm: bin/helm}\n',
    );
    const config = await loadConfig(root);
    expect(config.file).toBe('slipway.yaml');
    expect(config.tools).toEqual({ helm: 'bin/helm' });
    const [dev, prod] = config.environments;
    expect(dev).toEqual({
      name: 'dev',
      path: 'envs/dev',
      context: undefined,
      namespace: 'apps',
      promoteFrom: undefined,
      promotion: 'commit',
      kubernetesVersion: '1.33',
      strict: false,
      prune: { enabled: false, maxShare: 0.5 },
      wait: { enabled: false, timeoutMs: 90_000 },
      forceConflicts: true,
      heal: false,
      onFailure: 'none',
      helm: { releaseName: undefined, valuesFiles: [] },
      policies: { 'image-tag': 'warning', 'duplicate-object': 'error', 'missing-namespace': 'error', 'plaintext-secret': 'warning' },
      promotionLabels: [],
    });
    expect(prod).toMatchObject({ promoteFrom: 'dev', promotion: 'pull-request', kubernetesVersion: '1.30', policies: { 'image-tag': 'error' } });
  });

  it('reads preview settings, defaulting to a comment on every pull request, and names a misspelt one', async () => {
    writeFileSync(join(root, 'slipway.yaml'), 'environments:\n  - name: dev\n    path: envs/dev\n');
    expect((await loadConfig(root)).preview).toEqual({ commentWithoutChanges: true });
    writeFileSync(join(root, 'slipway.yaml'), 'environments:\n  - name: dev\n    path: envs/dev\npreview:\n  commentWithoutChanges: false\n');
    expect((await loadConfig(root)).preview).toEqual({ commentWithoutChanges: false });
    const [problem] = await problems('environments:\n  - name: dev\n    path: envs/dev\npreview:\n  commentWithoutChange: false\n');
    expect(problem).toMatch(/^5:3 unknown key "commentWithoutChange".*did you mean "commentWithoutChanges"/);
  });

  it('names an unknown key with its position, the closest match and the allowed keys', async () => {
    const [problem] = await problems('environments:\n  - name: dev\n    path: envs/dev\n    namspace: apps\n');
    expect(problem).toMatch(/^4:5 unknown key "namspace" in environment "dev"; did you mean "namespace"\? Allowed keys: name, path, /);
  });

  it('reports every problem at once, in file order', async () => {
    const found = await problems(
      [
        'environments:',
        '  - name: dev',
        '    path: envs/dev',
        '    strict: maybe',
        '    wait: {timeout: 5x}',
        '  - name: dev',
        '    path: envs/missing',
        '  - name: staging',
        '    path: ../../etc',
        '    promoteFrom: prd',
        '    promotion: push',
        'defaults:',
        '  path: x',
        '',
      ].join('\n'),
    );
    expect(found).toEqual([
      '4:13 environment "dev": strict must be true or false, found "maybe"',
      '5:21 environment "dev": wait.timeout "5x" is not a duration; write it as `30s`, `5m`, `1h` or a combination such as `1h30m`',
      '6:11 duplicate environment name "dev"; environment names must be unique (first defined at line 2)',
      '7:11 environment "dev": path directory "envs/missing" does not exist in the repository; create it or fix the path',
      '9:11 environment "staging": path "../../etc" points outside the repository (it resolves to ../../etc); use a path inside the repository',
      '10:18 environment "staging": promoteFrom "prd" is not an environment. Environments: dev, staging',
      '11:16 environment "staging": promotion must be one of commit, pull-request, found "push"',
      '13:3 "path" cannot appear under defaults: it is set per environment. Allowed under defaults: context, namespace, promotion, kubernetesVersion, strict, prune, wait, forceConflicts, heal, helm, policies, promotionLabels, exclude, recurse, schemas, onFailure, ignoreDifferences',
    ]);
  });

  it('reads onFailure per environment and under defaults (default none), and names a wrong value with the allowed ones', async () => {
    writeFileSync(
      join(root, 'slipway.yaml'),
      'environments:\n  - name: dev\n    path: envs/dev\n  - name: prod\n    path: envs/prod\n    onFailure: none\n  - name: staging\n    path: envs/staging\ndefaults:\n  onFailure: rollback\n',
    );
    expect((await loadConfig(root)).environments.map((e) => [e.name, e.onFailure])).toEqual([['dev', 'rollback'], ['prod', 'none'], ['staging', 'rollback']]);
    writeFileSync(join(root, 'slipway.yaml'), 'environments:\n  - name: dev\n    path: envs/dev\n');
    expect((await loadConfig(root)).environments[0].onFailure).toBe('none');
    expect(await problems('environments:\n  - name: dev\n    path: envs/dev\n    onFailure: rolback\n')).toEqual([
      '4:16 environment "dev": onFailure must be one of none, rollback, found "rolback"; did you mean "rollback"?',
    ]);
    expect(await problems('environments:\n  - name: dev\n    path: envs/dev\ndefaults:\n  onFailure: true\n')).toEqual([
      '5:14 defaults: onFailure must be one of none, rollback, found boolean true',
    ]);
    await expect(loadConfig(root)).rejects.toThrow('slipway.yaml:5:14: defaults: onFailure must be one of none, rollback');
  });

  it('finds a promotion cycle and lists it', async () => {
    const [problem] = await problems(
      'environments:\n  - name: dev\n    path: envs/dev\n    promoteFrom: prod\n  - name: staging\n    path: envs/staging\n    promoteFrom: dev\n  - name: prod\n    path: envs/prod\n    promoteFrom: staging\n',
    );
    expect(problem).toBe('4:18 promotion cycle dev -> staging -> prod -> dev; promotion must flow one way: remove promoteFrom from one of "dev", "prod", "staging"');
  });

  it('refuses a path that leaves the repository through a symlink', async () => {
    const outside = tempDir();
    try {
      symlinkSync(outside, join(root, 'envs/link'));
      const [problem] = await problems('environments:\n  - name: dev\n    path: envs/link\n');
      expect(problem).toMatch(/^3:11 environment "dev": path "envs\/link" is a symlink to .*, outside the repository/);
    } finally {
      removeDir(outside);
    }
  });

  it('checks helm values files relative to the environment directory', async () => {
    writeFileSync(join(root, 'envs/dev/values.yaml'), 'a: 1\n');
    const found = await problems('environments:\n  - name: dev\n    path: envs/dev\n    helm:\n      valuesFiles: [values.yaml, ../../../x.yaml, nope.yaml]\n');
    expect(found).toEqual([
      '5:34 environment "dev": helm.valuesFiles: "../../../x.yaml" points outside the repository (it resolves to ../x.yaml); use a path inside the repository',
      '5:51 environment "dev": helm.valuesFiles: file "envs/dev/nope.yaml" does not exist in the repository; create it or fix the path',
    ]);
  });

  it('reports YAML errors, an empty file and a missing environments list', async () => {
    expect(await problems('environments:\n  - name: a\n    name: b\n')).toEqual(['3:5 duplicate key: each key may appear once in a mapping']);
    expect(await problems('')).toEqual([expect.stringMatching(/^1:1 slipway.yaml must be a mapping with an environments list/)]);
    expect(await problems('tools: {}\n')).toEqual([expect.stringMatching(/environments is missing/)]);
  });

  it('says where to look when the file does not exist', async () => {
    await expect(loadConfig(root, 'other.yaml')).rejects.toThrow(/Config file other.yaml was not found in .*\n.*Create slipway.yaml/);
  });
});

describe('schemas:', () => {
  it('reads top-level and per-environment schema directories, top level first', async () => {
    for (const dir of ['schemas/catalog', 'schemas/dev']) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(
      join(root, 'slipway.yaml'),
      'schemas: [schemas/catalog]\nenvironments:\n  - name: dev\n    path: envs/dev\n    schemas: [./schemas/dev/]\n  - name: prod\n    path: envs/prod\n',
    );
    const [dev, prod] = (await loadConfig(root)).environments;
    expect(dev.schemas?.map((s) => s.path)).toEqual(['schemas/catalog', 'schemas/dev']);
    expect(prod.schemas?.map((s) => s.path)).toEqual(['schemas/catalog']);
    expect(prod.schemas?.[0].absolute).toMatch(/schemas[/\\]catalog$/);
  });

  it('names a schema directory that does not exist at its line', async () => {
    expect(await problems('schemas: [schemas/missing]\nenvironments:\n  - name: dev\n    path: envs/dev\n')).toEqual([
      '1:11 schemas: directory "schemas/missing" does not exist in the repository; create it or fix the path',
    ]);
  });
});
