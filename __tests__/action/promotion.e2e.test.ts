/**
 * The promotion chain through the bundled action: dev deploys healthy, staging (commit mode) gets
 * one promotion commit pushed to the bare origin and is deployed in the same run, prod
 * (pull-request mode) gets one promotion pull request with its preview comment. Real Git, the
 * loopback Kubernetes API server and the loopback GitHub API fake.
 */
import { execFileSync } from 'node:child_process';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { GitHubApiFake } from '../support/github-api-server.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { BUNDLE_TIMEOUT_MS, prepareBundle } from '../support/bundle.js';
import { runBundledAction, type ActionRun, type ActionRunOptions } from '../support/action-run.js';
import { READY_DEPLOYMENT_STATUS, STALLED_DEPLOYMENT_STATUS } from './fixture.js';

beforeAll(() => prepareBundle(), BUNDLE_TIMEOUT_MS);

const TOKEN = 'ghs_promotionE2eToken0123456789';
const WEB = 'ghcr.io/acme/web';
const WORKER = 'ghcr.io/acme/worker';

let kube: FakeKubeApiServer;
let github: GitHubApiFake;
let repo: TestRepo;

const namespace = (env: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${env}\n`;

/** dev and staging set their versions with kustomize `images:`; prod with a patch file over the shared base. */
function promotionFiles(): Record<string, string> {
  return {
    'slipway.yaml': `environments:
  - name: dev
    path: envs/dev
    namespace: dev
  - name: staging
    path: envs/staging
    namespace: staging
    promoteFrom: dev
    promotion: commit
  - name: prod
    path: envs/prod
    namespace: prod
    promoteFrom: staging
    promotion: pull-request
    promotionLabels: [promotion, prod]
defaults:
  wait: { timeout: 20s }
`,
    'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
    'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${WEB}:0.9.0
        - name: worker
          image: ${WORKER}:0.9.0
`,
    'envs/dev/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: dev
resources:
  - ../../base
  - namespace.yaml
images:
  - name: ${WEB}
    newTag: "1.0.0"   # CI bumps this on every merge
  - name: ${WORKER}
    newTag: 1.0.0
`,
    'envs/dev/namespace.yaml': namespace('dev'),
    'envs/staging/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: staging
resources:
  - ../../base
  - namespace.yaml

# Versions: promoted from dev by Slipway.
images:
- name: ${WEB}
  newTag: '1.0.0'
- name: ${WORKER}
  newTag: 1.0.0 # worker
`,
    'envs/staging/namespace.yaml': namespace('staging'),
    'envs/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: prod
resources:
  - ../../base
  - namespace.yaml
patches:
  - path: version.yml
`,
    'envs/prod/version.yml': `# prod versions: merged by hand from the promotion PR
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ${WEB}:1.0.0
        - name: worker
          image: "${WORKER}:1.0.0"
`,
    'envs/prod/namespace.yaml': namespace('prod'),
  };
}

beforeEach(async () => {
  kube = await FakeKubeApiServer.start();
  github = await new GitHubApiFake().start();
  repo = createTestRepo({ files: promotionFiles() });
  kube.onRead('Deployment', (object) => READY_DEPLOYMENT_STATUS(Number(object.metadata.generation ?? 1)));
});

afterEach(async () => {
  await kube.stop();
  await github.stop();
  repo.cleanup();
});

function run(options: Omit<ActionRunOptions, 'workspace' | 'githubApiUrl'>): Promise<ActionRun> {
  const { inputs, ...rest } = options;
  return runBundledAction({
    workspace: repo.dir,
    githubApiUrl: github.url,
    ...rest,
    inputs: { 'github-token': TOKEN, kubeconfig: kube.kubeconfig(), ...inputs },
    env: { SLIPWAY_GITHUB_PACE_WRITES: 'false', ...rest.env },
  });
}

const originGit = (...args: string[]) => execFileSync('git', args, { cwd: repo.origin, encoding: 'utf8' }).trim();

/** Commits new dev versions and pushes them, as a merge to main would; returns the push event run. */
async function pushDevVersions(web: string, worker: string, inputs: Record<string, string> = {}): Promise<{ result: ActionRun; before: string; after: string }> {
  const before = repo.head();
  const files = promotionFiles();
  repo.write({
    'envs/dev/kustomization.yaml': files['envs/dev/kustomization.yaml'].replace('newTag: "1.0.0"', `newTag: "${web}"`).replace('newTag: 1.0.0', `newTag: ${worker}`),
  });
  const after = repo.commit(`dev: web ${web}, worker ${worker}`);
  const result = await run({
    eventName: 'push',
    payload: { ref: 'refs/heads/main', before, after, repository: { full_name: 'acme/gitops', default_branch: 'main' } },
    sha: after,
    inputs,
  });
  return { result, before, after };
}

function deployedImages(env: string): string[] | undefined {
  const object = kube.getObject('apps/v1', 'Deployment', 'web', env) as { spec: { template: { spec: { containers: { image: string }[] } } } } | undefined;
  return object?.spec.template.spec.containers.map((c) => c.image);
}

/** The lines a commit adds and removes (without the file headers). */
function changedLines(sha: string): string[] {
  return originGit('show', '--format=', '-U0', sha)
    .split('\n')
    .filter((line) => /^[+-]/.test(line) && !/^(\+\+\+|---) /.test(line));
}

/** Exit code 0, or a failure that shows what the action printed. */
function expectSuccess(r: ActionRun): void {
  if (r.exitCode !== 0) throw new Error(`the action exited with ${r.exitCode}:\n${r.stdout}\n${r.stderr}`);
}

describe('promotion chain after a deploy', () => {
  it('dev healthy: one commit promotes into staging, staging deploys in the same run, prod gets a labelled pull request with a preview', async () => {
    const { result, after } = await pushDevVersions('1.1.0', '1.1.0');
    expectSuccess(result);

    // Exactly one commit on top of the pushed one: the staging promotion.
    const main = originGit('rev-parse', 'main');
    expect(originGit('rev-parse', 'main^')).toBe(after);
    expect(originGit('log', '-1', '--format=%s', main)).toMatch(/^promote dev -> staging: 2 images \(web, worker\)$/);
    const message = originGit('log', '-1', '--format=%B', main);
    expect(message).toContain(`Slipway-Source-Commit: ${after}`);
    expect(message).toContain('Slipway-From: dev');
    expect(message).toContain('Slipway-To: staging');
    expect(originGit('show', '--format=', '--name-only', main)).toBe('envs/staging/kustomization.yaml');
    expect(changedLines(main)).toEqual([
      "-  newTag: '1.0.0'",
      "+  newTag: '1.1.0'",
      '-  newTag: 1.0.0 # worker',
      '+  newTag: 1.1.0 # worker',
    ]);
    expect(result.outputs.commit).toBe(main);
    // Staging's GitHub deployment records the promotion commit it was deployed from.
    expect(github.deployments.find((d) => d.environment === 'staging')?.sha).toBe(main);
    expect(github.deployments.find((d) => d.environment === 'dev')?.sha).toBe(after);
    // The checkout is at the promotion commit, clean.
    expect(repo.head()).toBe(main);
    expect(repo.git('status', '--porcelain')).toBe('');

    // Both environments run the new versions; prod is left to its pull request.
    expect(deployedImages('dev')).toEqual([`${WEB}:1.1.0`, `${WORKER}:1.1.0`]);
    expect(deployedImages('staging')).toEqual([`${WEB}:1.1.0`, `${WORKER}:1.1.0`]);
    expect(deployedImages('prod')).toBeUndefined();

    // prod: one pull request from slipway/promote-prod into main, labelled, with the preview comment.
    expect(github.pulls).toHaveLength(1);
    const [pull] = github.pulls;
    expect(pull.head.ref).toBe('slipway/promote-prod');
    expect(pull.base.ref).toBe('main');
    expect(pull.title).toBe('Promote staging -> prod: web 1.1.0, worker 1.1.0');
    expect(pull.labels.map((l) => l.name).sort()).toEqual(['prod', 'promotion']);
    expect(result.outputs['pull-request']).toBe(pull.html_url);
    const branch = originGit('rev-parse', 'refs/heads/slipway/promote-prod');
    expect(originGit('rev-parse', `${branch}^`)).toBe(main);
    expect(changedLines(branch)).toEqual([
      `-          image: ${WEB}:1.0.0`,
      `+          image: ${WEB}:1.1.0`,
      `-          image: "${WORKER}:1.0.0"`,
      `+          image: "${WORKER}:1.1.0"`,
    ]);
    const comments = github.commentsOn(pull.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('<!-- slipway:preview -->');
    expect(comments[0].body).toMatch(/prod/);
    expect(comments[0].body).toContain(`${WEB}:1.1.0`);

    // The token reaches the runner only in the `::add-mask::` command that hides it.
    const printed = (result.stdout + result.stderr + result.summary).split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(printed.join('\n')).not.toContain(TOKEN);
  });

  it("a promotion pull request whose preview cannot be posted is a warning: the run's deploys, promotions and summary still stand", async () => {
    github.injectFault({ method: 'POST', path: /\/issues\/\d+\/comments$/, kind: 422, times: 5 });
    const { result } = await pushDevVersions('1.1.0', '1.1.0');
    expectSuccess(result);
    expect(github.pulls).toHaveLength(1);
    const [pull] = github.pulls;
    expect(github.commentsOn(pull.number)).toHaveLength(0);
    expect(result.stdout).toMatch(new RegExp(`::warning::The preview of promotion pull request #${pull.number} \\(prod\\) could not be posted`));
    expect(result.outputs['pull-request']).toBe(pull.html_url);
    expect(deployedImages('staging')).toEqual([`${WEB}:1.1.0`, `${WORKER}:1.1.0`]);
    expect(result.summary).toContain('staging');
  });

  it('a newer dev version updates the same pull request and force-updates its branch', async () => {
    const first = await pushDevVersions('1.1.0', '1.1.0');
    expectSuccess(first.result);
    const firstBranch = originGit('rev-parse', 'refs/heads/slipway/promote-prod');
    const [pull] = github.pulls;

    const second = await pushDevVersions('1.2.0', '1.1.0');
    expectSuccess(second.result);
    const main = originGit('rev-parse', 'main');
    expect(originGit('rev-parse', 'main^')).toBe(second.after);
    expect(originGit('log', '-1', '--format=%s', main)).toBe('promote dev -> staging: web 1.1.0 -> 1.2.0');
    expect(changedLines(main)).toEqual(["-  newTag: '1.1.0'", "+  newTag: '1.2.0'"]);
    expect(deployedImages('staging')).toEqual([`${WEB}:1.2.0`, `${WORKER}:1.1.0`]);

    // Still one pull request, now naming the newer version; its branch was replaced, not stacked.
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0].number).toBe(pull.number);
    expect(github.pulls[0].state).toBe('open');
    expect(github.pulls[0].title).toBe('Promote staging -> prod: web 1.2.0, worker 1.1.0');
    expect(second.result.outputs['pull-request']).toBe(pull.html_url);
    const branch = originGit('rev-parse', 'refs/heads/slipway/promote-prod');
    expect(branch).not.toBe(firstBranch);
    expect(originGit('rev-parse', `${branch}^`)).toBe(main);
    expect(changedLines(branch)).toEqual([
      `-          image: ${WEB}:1.0.0`,
      `+          image: ${WEB}:1.2.0`,
      `-          image: "${WORKER}:1.0.0"`,
      `+          image: "${WORKER}:1.1.0"`,
    ]);
    // The preview comment is edited in place, not repeated.
    const comments = github.commentsOn(pull.number);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain(`${WEB}:1.2.0`);
  });

  it('a merged pull request checked out on a detached HEAD (as actions/checkout does) promotes onto the base branch', async () => {
    const before = repo.head();
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.write({ 'envs/dev/kustomization.yaml': promotionFiles()['envs/dev/kustomization.yaml'].replace('newTag: "1.0.0"', 'newTag: "1.3.0"') });
    repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-am', 'dev: web 1.3.0');
    repo.git('checkout', '--quiet', 'main');
    repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'merge', '--quiet', '--no-ff', '-m', 'Merge pull request #7', 'feature');
    const merge = repo.head();
    repo.git('push', '--quiet', 'origin', 'main');
    repo.git('checkout', '--quiet', '--detach', merge);
    const result = await run({
      eventName: 'pull_request',
      payload: {
        action: 'closed',
        number: 7,
        repository: { full_name: 'acme/gitops', default_branch: 'main' },
        pull_request: {
          number: 7,
          merged: true,
          merge_commit_sha: merge,
          base: { sha: before, ref: 'main', repo: { full_name: 'acme/gitops' } },
          head: { sha: repo.git('rev-parse', 'feature'), ref: 'feature', repo: { full_name: 'acme/gitops', fork: false } },
        },
      },
      sha: merge,
    });
    expectSuccess(result);
    const main = originGit('rev-parse', 'main');
    expect(originGit('rev-parse', 'main^')).toBe(merge);
    expect(originGit('log', '-1', '--format=%s', main)).toBe('promote dev -> staging: web 1.0.0 -> 1.3.0');
    expect(deployedImages('staging')).toEqual([`${WEB}:1.3.0`, `${WORKER}:1.0.0`]);
    expect(github.pulls.map((p) => [p.head.ref, p.base.ref])).toEqual([['slipway/promote-prod', 'main']]);
  });

  it('an unhealthy dev deploy promotes nothing', async () => {
    kube.onRead('Deployment', (object) =>
      object.metadata.namespace === 'dev' ? STALLED_DEPLOYMENT_STATUS(Number(object.metadata.generation ?? 1)) : READY_DEPLOYMENT_STATUS(Number(object.metadata.generation ?? 1)),
    );
    const { result, after } = await pushDevVersions('1.1.0', '1.1.0');
    expect(result.exitCode).toBe(1);
    expect(originGit('rev-parse', 'main')).toBe(after);
    expect(originGit('for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('refs/heads/main');
    expect(deployedImages('staging')).toBeUndefined();
    expect(github.pulls).toHaveLength(0);
    expect(result.outputs.commit).toBeUndefined();
    expect(result.outputs['pull-request']).toBeUndefined();
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('dry-run: the promotion diff is in the summary; nothing is written to Git or the cluster', async () => {
    const { result, after } = await pushDevVersions('1.1.0', '1.1.0', { 'dry-run': 'true' });
    expectSuccess(result);
    expect(originGit('rev-parse', 'main')).toBe(after);
    expect(originGit('for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('refs/heads/main');
    expect(repo.head()).toBe(after);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(kube.requests.filter((r) => r.method !== 'GET' && !r.dryRun)).toHaveLength(0);
    expect(github.pulls).toHaveLength(0);
    expect(result.outputs.commit).toBeUndefined();
    expect(result.summary).toContain('envs/staging/kustomization.yaml');
    expect(result.summary).toContain("-  newTag: '1.0.0'");
    expect(result.summary).toContain("+  newTag: '1.1.0'");
  });
});

describe('promotion by workflow_dispatch', () => {
  it('to: staging with a pinned image commits that version and deploys staging', async () => {
    const before = repo.head();
    const result = await run({
      eventName: 'workflow_dispatch',
      payload: { repository: { full_name: 'acme/gitops', default_branch: 'main' }, inputs: { to: 'staging', images: `${WEB}=2.0.0` } },
      sha: before,
      inputs: { to: 'staging', images: `${WEB}=2.0.0` },
    });
    expectSuccess(result);
    const main = originGit('rev-parse', 'main');
    expect(originGit('rev-parse', 'main^')).toBe(before);
    const message = originGit('log', '-1', '--format=%B', main);
    expect(message).toMatch(/^promote to staging: web 1\.0\.0 -> 2\.0\.0\n/);
    expect(message).toContain('Slipway-To: staging');
    expect(message).not.toContain('Slipway-From:');
    expect(changedLines(main)).toEqual(["-  newTag: '1.0.0'", "+  newTag: '2.0.0'"]);
    expect(result.outputs.commit).toBe(main);
    expect(deployedImages('staging')).toEqual([`${WEB}:2.0.0`, `${WORKER}:1.0.0`]);
    // A dispatched promotion deploys its target only: dev and prod are not touched.
    expect(deployedImages('dev')).toBeUndefined();
    expect(deployedImages('prod')).toBeUndefined();
    // staging deployed healthy, so the chain goes on: prod gets its pull request.
    expect(github.pulls.map((p) => p.title)).toEqual(['Promote staging -> prod: web 2.0.0']);
  });
});
