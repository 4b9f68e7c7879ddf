import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { initConfig } from '../../src/init/init.js';
import { proposeEnvironments } from '../../src/init/propose.js';
import { scanRepository } from '../../src/init/scan.js';
import { guessChain, stageOf } from '../../src/init/stages.js';
import { CLI_SETTING_NAMES } from '../../src/model/setting-names.js';
import { removeDir, tempDir } from '../exec/temp-repo.js';

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0.0\n';

let root: string;
beforeEach(() => {
  root = tempDir();
});
afterEach(() => removeDir(root));

function files(tree: Record<string, string>): void {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

async function proposed() {
  return proposeEnvironments(await scanRepository(root)).map(({ name, path, promoteFrom, promotion, valuesFiles }) => ({
    name,
    path,
    ...(promoteFrom ? { promoteFrom } : {}),
    ...(promotion ? { promotion } : {}),
    ...(valuesFiles ? { valuesFiles } : {}),
  }));
}

describe('stage guesses', () => {
  it.each([
    ['dev', 0, 'dev'],
    ['shop-staging', 2, 'shop'],
    ['eu-prod', 3, 'eu'],
    ['pre-prod', 2, ''],
    ['qa', 1, 'qa'],
    ['tools', undefined, 'tools'],
  ])('%s has rank %s', (name, rank, group) => {
    const staged = stageOf(name);
    expect(staged.rank).toBe(rank);
    if (rank !== undefined && name !== 'pre-prod' && name !== 'qa' && name !== 'dev') expect(staged.group).toBe(group);
  });

  it('chains each group from its nearest lower stage, and only within the group', () => {
    const chain = guessChain(['dev', 'qa', 'staging', 'prod', 'eu-dev', 'eu-prod', 'tools']);
    expect(chain.get('dev')).toEqual({ production: false, ambiguous: false });
    expect(chain.get('qa')?.promoteFrom).toBe('dev');
    expect(chain.get('staging')?.promoteFrom).toBe('qa');
    expect(chain.get('prod')).toEqual({ promoteFrom: 'staging', production: true, ambiguous: false });
    expect(chain.get('eu-prod')?.promoteFrom).toBe('eu-dev');
    expect(chain.get('tools')?.promoteFrom).toBeUndefined();
  });

  it('says when several environments could be the source', () => {
    const chain = guessChain(['qa', 'test', 'prod']);
    expect(chain.get('prod')).toEqual({ promoteFrom: 'qa', production: true, ambiguous: true });
  });

  it('a lone production environment is not made a pull-request target', () => {
    expect(guessChain(['prod']).get('prod')).toEqual({ production: false, ambiguous: false });
  });
});

describe('slipway init layouts', () => {
  it('kustomize base and overlays: one environment per overlay, the base is not one', async () => {
    files({
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': DEPLOYMENT,
      'overlays/dev/kustomization.yaml': 'resources: [../../base]\nnamespace: shop-dev\n',
      'overlays/staging/kustomization.yaml': 'resources: [../../base]\npatches: [{path: replicas.yaml}]\n',
      'overlays/staging/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n',
      'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n',
      'components/monitoring/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
    });
    expect(await proposed()).toEqual([
      { name: 'dev', path: 'overlays/dev' },
      { name: 'prod', path: 'overlays/prod', promoteFrom: 'staging', promotion: 'pull-request' },
      { name: 'staging', path: 'overlays/staging', promoteFrom: 'dev' },
    ]);
  });

  it('Argo CD style charts: one environment per values file, the chart name telling apps apart', async () => {
    files({
      'helm-guestbook/Chart.yaml': 'apiVersion: v2\nname: helm-guestbook\nversion: 0.1.0\n',
      'helm-guestbook/values.yaml': 'image: {repository: gcr.io/heptio-images/ks-guestbook-demo, tag: "0.1"}\n',
      'helm-guestbook/values-dev.yaml': 'replicaCount: 1\n',
      'helm-guestbook/values-production.yaml': 'replicaCount: 3\n',
      'helm-guestbook/templates/deployment.yaml': DEPLOYMENT,
      'other-app/Chart.yaml': 'apiVersion: v2\nname: other\nversion: 0.1.0\n',
      'other-app/templates/deployment.yaml': DEPLOYMENT,
    });
    expect(await proposed()).toEqual([
      { name: 'dev', path: 'helm-guestbook', valuesFiles: ['values-dev.yaml'] },
      { name: 'production', path: 'helm-guestbook', valuesFiles: ['values-production.yaml'], promoteFrom: 'dev', promotion: 'pull-request' },
      { name: 'other-app', path: 'other-app' },
    ]);
  });

  it('Flux cluster directories are plain environments, their flux-system kustomization part of them', async () => {
    files({
      'clusters/staging/flux-system/kustomization.yaml': 'resources: [gotk-components.yaml, gotk-sync.yaml]\n',
      'clusters/staging/flux-system/gotk-sync.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system}\n',
      'clusters/staging/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\n',
      'clusters/production/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\n',
      'apps/base/podinfo/kustomization.yaml': 'resources: [release.yaml]\n',
      'apps/base/podinfo/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo}\n',
      'apps/staging/kustomization.yaml': 'resources: [../base/podinfo]\n',
      'apps/production/kustomization.yaml': 'resources: [../base/podinfo]\n',
    });
    expect(await proposed()).toEqual([
      { name: 'apps-production', path: 'apps/production', promoteFrom: 'apps-staging', promotion: 'pull-request' },
      { name: 'apps-staging', path: 'apps/staging' },
      // "clusters" says how the repository is laid out, not which environment: the cluster's name is kept.
      { name: 'production', path: 'clusters/production', promoteFrom: 'staging', promotion: 'pull-request' },
      { name: 'staging', path: 'clusters/staging' },
    ]);
  });

  it('plain directories: the top directory holding manifests is the environment; config files and docs are not', async () => {
    files({
      'envs/dev/deployment.yaml': DEPLOYMENT,
      'envs/dev/jobs/cron.yaml': 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\n',
      'envs/prod/deployment.yaml': DEPLOYMENT,
      'app/config.yaml': 'logLevel: debug\n',
      'docs/readme.md': '# docs\n',
    });
    expect(await proposed()).toEqual([
      { name: 'dev', path: 'envs/dev' },
      { name: 'prod', path: 'envs/prod', promoteFrom: 'dev', promotion: 'pull-request' },
    ]);
  });

  it('monorepo of apps with overlays: names keep the app so environments stay apart and chain per app', async () => {
    for (const app of ['shop', 'blog']) {
      files({
        [`apps/${app}/base/kustomization.yaml`]: 'resources: [d.yaml]\n',
        [`apps/${app}/base/d.yaml`]: DEPLOYMENT,
        [`apps/${app}/overlays/dev/kustomization.yaml`]: 'resources: [../../base]\n',
        [`apps/${app}/overlays/prod/kustomization.yaml`]: 'resources: [../../base]\n',
      });
    }
    expect(await proposed()).toEqual([
      { name: 'blog-dev', path: 'apps/blog/overlays/dev' },
      { name: 'blog-prod', path: 'apps/blog/overlays/prod', promoteFrom: 'blog-dev', promotion: 'pull-request' },
      { name: 'shop-dev', path: 'apps/shop/overlays/dev' },
      { name: 'shop-prod', path: 'apps/shop/overlays/prod', promoteFrom: 'shop-dev', promotion: 'pull-request' },
    ]);
  });
});

describe('initConfig', () => {
  beforeEach(() =>
    files({
      'base/kustomization.yaml': 'resources: [d.yaml]\n',
      'base/d.yaml': DEPLOYMENT,
      'overlays/dev/kustomization.yaml': 'resources: [../../base]\n',
      'overlays/prod/kustomization.yaml': 'resources: [../../base]\n',
    }),
  );

  it('writes a commented config that the loader accepts', async () => {
    const result = await initConfig(root, 'slipway.yaml', { dryRun: false, names: CLI_SETTING_NAMES });
    expect(result.written).toBe(true);
    const text = readFileSync(join(root, 'slipway.yaml'), 'utf8');
    expect(text).toBe(result.text);
    expect(text).toContain('# Written by `slipway init`');
    expect(text).toContain('promoteFrom: dev   # guessed from the names');
    const config = await loadConfig(root, 'slipway.yaml', CLI_SETTING_NAMES);
    expect(config.environments.map((env) => [env.name, env.path, env.promoteFrom, env.promotion])).toEqual([
      ['dev', 'overlays/dev', undefined, 'commit'],
      ['prod', 'overlays/prod', 'dev', 'pull-request'],
    ]);
  });

  it('chart values files become helm.valuesFiles that the loader accepts', async () => {
    files({
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'chart/values-staging.yaml': 'replicaCount: 2\n',
      'chart/templates/d.yaml': DEPLOYMENT,
    });
    await initConfig(root, 'slipway.yaml', { dryRun: false, names: CLI_SETTING_NAMES });
    const config = await loadConfig(root, 'slipway.yaml', CLI_SETTING_NAMES);
    const staging = config.environments.find((env) => env.name === 'staging');
    expect(staging?.helm.valuesFiles).toEqual(['values-staging.yaml']);
    expect(staging?.promoteFrom).toBe('dev');
  });

  it('never overwrites an existing file, and says what to do instead', async () => {
    writeFileSync(join(root, 'slipway.yaml'), 'environments: []\n');
    await expect(initConfig(root, 'slipway.yaml', { dryRun: false, names: CLI_SETTING_NAMES })).rejects.toThrow(
      /slipway.yaml already exists; slipway init never overwrites a config\.\n.*--config other\.yaml/,
    );
    expect(readFileSync(join(root, 'slipway.yaml'), 'utf8')).toBe('environments: []\n');
  });

  it('--dry-run writes nothing', async () => {
    const result = await initConfig(root, 'slipway.yaml', { dryRun: true, names: CLI_SETTING_NAMES });
    expect(result.written).toBe(false);
    expect(result.text).toContain('path: overlays/prod');
    expect(readdirSync(root)).not.toContain('slipway.yaml');
  });

  it('an empty repository is an error naming it', async () => {
    const empty = tempDir();
    try {
      await expect(initConfig(empty, 'slipway.yaml', { dryRun: false, names: CLI_SETTING_NAMES })).rejects.toThrow(/Found no kustomization, Helm chart or directory/);
    } finally {
      removeDir(empty);
    }
  });
});
