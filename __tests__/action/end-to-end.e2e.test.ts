/**
 * The bundled action, run as the runner runs it, against a real Git repository with a bare
 * origin, the loopback Kubernetes API server and the loopback GitHub API fake.
 */
import { KubeClient } from '../../src/kube/client.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { GitHubApiFake } from '../support/github-api-server.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { BUNDLE_TIMEOUT_MS, prepareBundle } from '../support/bundle.js';
import { runBundledAction, type ActionRunOptions } from '../support/action-run.js';
import { gitopsFiles, READY_DEPLOYMENT_STATUS, STALLED_DEPLOYMENT_STATUS } from './fixture.js';

beforeAll(() => prepareBundle(), BUNDLE_TIMEOUT_MS);

const PR_NUMBER = 12;
const TOKEN = 'ghs_e2eTokenValue0123456789';

let kube: FakeKubeApiServer;
let github: GitHubApiFake;
let repo: TestRepo;

beforeEach(async () => {
  kube = await FakeKubeApiServer.start();
  github = await new GitHubApiFake().start();
  repo = createTestRepo({ files: gitopsFiles() });
  kube.onRead('Deployment', (object) => READY_DEPLOYMENT_STATUS(Number(object.metadata.generation ?? 1)));
});

afterEach(async () => {
  await kube.stop();
  await github.stop();
  repo.cleanup();
});

function run(options: Omit<ActionRunOptions, 'workspace' | 'githubApiUrl'> & { withCluster?: boolean }) {
  const { withCluster = true, inputs, ...rest } = options;
  return runBundledAction({
    workspace: repo.dir,
    githubApiUrl: github.url,
    ...rest,
    inputs: { 'github-token': TOKEN, ...(withCluster ? { kubeconfig: kube.kubeconfig() } : {}), ...inputs },
    env: { SLIPWAY_GITHUB_PACE_WRITES: 'false', ...rest.env },
  });
}

function prPayload(action: string, base: string, head: string, extra: Record<string, unknown> = {}, fork = false) {
  return {
    action,
    number: PR_NUMBER,
    repository: { full_name: 'acme/gitops', default_branch: 'main' },
    pull_request: {
      number: PR_NUMBER,
      html_url: `https://github.example/acme/gitops/pull/${PR_NUMBER}`,
      base: { sha: base, ref: 'main', repo: { full_name: 'acme/gitops' } },
      head: { sha: head, ref: 'feature', repo: { full_name: fork ? 'mallory/gitops' : 'acme/gitops', fork } },
      merged: false,
      ...extra,
    },
  };
}

/** Creates the branch `feature` with `files` changed; returns [base, head]. */
function featureBranch(files: Record<string, string | null>, message = 'change'): [string, string] {
  const base = repo.head();
  repo.git('checkout', '--quiet', '-b', 'feature');
  repo.write(files);
  repo.git('add', '--all');
  repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', message);
  return [base, repo.head()];
}

async function deployAll(): Promise<void> {
  const result = await run({ eventName: 'workflow_dispatch', payload: { repository: { default_branch: 'main' } }, inputs: { environments: 'all' }, sha: repo.head() });
  expect(result.stderr + result.stdout).not.toMatch(/::error/);
  expect(result.exitCode).toBe(0);
}

/** Everything the run printed, less the `::add-mask::` commands that hand secrets to the runner for masking. */
const secretDetails = (r: { stdout: string; stderr: string; summary: string }) =>
  (r.stdout + r.stderr + r.summary)
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');

describe('pull request preview', () => {
  it('comments on the affected environment only, then updates the same comment when the shared base changes', async () => {
    await deployAll();
    kube.clearRequests();
    const [base, head] = featureBranch({ 'envs/dev/kustomization.yaml': gitopsFiles()['envs/dev/kustomization.yaml'].replace('configMapGenerator: []', 'replicas:\n  - name: web\n    count: 3') });
    const first = await run({ eventName: 'pull_request', payload: prPayload('opened', base, head), sha: head });
    expect(first.exitCode).toBe(0);
    expect(JSON.parse(first.outputs.environments)).toEqual(['dev']);
    const comments = github.commentsOn(PR_NUMBER);
    expect(comments).toHaveLength(1);
    expect(comments[0].body).toContain('<!-- slipway:preview -->');
    expect(comments[0].body).toMatch(/dev/);
    expect(comments[0].body).toMatch(/replicas: 3/);
    expect(comments[0].body).not.toMatch(/\|\s*`?prod`?\s*\|/);
    // The preview never writes to the cluster.
    expect(kube.requests.filter((r) => r.method !== 'GET' && !r.dryRun)).toHaveLength(0);

    repo.write({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });
    repo.git('add', '--all');
    repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', 'shared base');
    const second = await run({ eventName: 'pull_request', payload: prPayload('synchronize', base, repo.head()), sha: repo.head() });
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.outputs.environments)).toEqual(['dev', 'prod']);
    const after = github.commentsOn(PR_NUMBER);
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(comments[0].id);
    expect(after[0].body).toMatch(/LOG_LEVEL: debug/);
    expect(after[0].body).toMatch(/prod/);
    // At most three API calls for the comment, whatever the size of the pull request.
    const commentCalls = github.requests.filter((r) => r.path.includes('/comments'));
    expect(commentCalls.length).toBeLessThanOrEqual(2 * 3);
  });

  it('previews only what the pull request changes when the base branch moved on after the branch was cut', async () => {
    const [, head] = featureBranch({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });
    // Meanwhile main gains a change of its own in prod.
    repo.git('checkout', '--quiet', 'main');
    repo.write({ 'envs/prod/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: { tier: gold }\n' });
    const movedBase = repo.commit('label prod on main');
    const result = await run({ eventName: 'pull_request', payload: prPayload('synchronize', movedBase, head), sha: head, withCluster: false });
    expect(result.exitCode).toBe(0);
    const [comment] = github.commentsOn(PR_NUMBER);
    expect(comment.body).toMatch(/LOG_LEVEL: debug/);
    // The label main added is not this pull request's change, so it must not show as removed.
    expect(comment.body).not.toMatch(/tier: gold/);
  });

  it('stays quiet on a pull request that changes no environment when configured so, but brings an earlier comment up to date', async () => {
    repo.write({ 'slipway.yaml': `${gitopsFiles()['slipway.yaml']}preview:\n  commentWithoutChanges: false\n` });
    const base = repo.commit('quiet previews');
    // A comment-only edit renders the same objects: no environment changes.
    const [, quietHead] = featureBranch({ 'base/config.yaml': `# owned by the web team\n${gitopsFiles()['base/config.yaml']}` });
    const quiet = await run({ eventName: 'pull_request', payload: prPayload('opened', base, quietHead), sha: quietHead, withCluster: false });
    expect(quiet.exitCode).toBe(0);
    expect(JSON.parse(quiet.outputs.environments)).toEqual([]);
    expect(github.commentsOn(PR_NUMBER)).toHaveLength(0);

    repo.write({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });
    repo.git('add', '--all');
    repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', 'debug');
    const changed = await run({ eventName: 'pull_request', payload: prPayload('synchronize', base, repo.head()), sha: repo.head(), withCluster: false });
    expect(changed.exitCode).toBe(0);
    expect(github.commentsOn(PR_NUMBER)).toHaveLength(1);

    repo.write({ 'base/config.yaml': gitopsFiles()['base/config.yaml'] });
    repo.git('add', '--all');
    repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', 'revert');
    const reverted = await run({ eventName: 'pull_request', payload: prPayload('synchronize', base, repo.head()), sha: repo.head(), withCluster: false });
    expect(reverted.exitCode).toBe(0);
    const [comment] = github.commentsOn(PR_NUMBER);
    expect(github.commentsOn(PR_NUMBER)).toHaveLength(1);
    expect(comment.body).toMatch(/No environment changes/);
  });

  it('keeps a huge diff under the comment limit, names what it left out, and puts everything in the summary', async () => {
    const many: Record<string, string> = {};
    const resources: string[] = ['../../base', 'namespace.yaml'];
    for (let i = 0; i < 150; i++) {
      many[`envs/dev/big-${i}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big-${i}\ndata:\n${Array.from({ length: 40 }, (_, j) => `  key${j}: "${'x'.repeat(60)}-${i}-${j}"`).join('\n')}\n`;
      resources.push(`big-${i}.yaml`);
    }
    many['envs/dev/kustomization.yaml'] = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: dev\nresources:\n${resources.map((r) => `  - ${r}`).join('\n')}\n`;
    const [base, head] = featureBranch(many);
    const result = await run({ eventName: 'pull_request', payload: prPayload('opened', base, head), sha: head, withCluster: false });
    expect(result.exitCode).toBe(0);
    const [comment] = github.commentsOn(PR_NUMBER);
    expect(comment.body.length).toBeLessThanOrEqual(65_536);
    expect(comment.body).toMatch(/not shown/i);
    expect(comment.body).toMatch(/big-\d+/);
    expect(result.summary).toContain('big-149');
  });

  it('never uses cluster credentials for a pull request from a fork, and diffs renders instead', async () => {
    const [base, head] = featureBranch({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'warn') });
    const result = await run({ eventName: 'pull_request_target', payload: prPayload('opened', base, head, {}, true), sha: head });
    expect(result.exitCode).toBe(0);
    expect(kube.requests).toHaveLength(0);
    const [comment] = github.commentsOn(PR_NUMBER);
    expect(comment.body).toMatch(/fork/i);
    expect(comment.body).toMatch(/LOG_LEVEL: warn/);
    expect(secretDetails(result)).not.toContain(TOKEN);
  });

  it('sets the plan output to a JSON array of affected environments', async () => {
    const [base, head] = featureBranch({ 'envs/prod/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: { tier: gold }\n' });
    const result = await run({ eventName: 'pull_request', payload: prPayload('opened', base, head), sha: head, inputs: { command: 'plan' } });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.outputs.environments)).toEqual(['prod']);
    expect(github.commentsOn(PR_NUMBER)).toHaveLength(0);
  });
});

describe('deploy', () => {
  it('deploys both environments of a merged pull request, records deployments, and reports the unhealthy one', async () => {
    kube.onRead('Deployment', (object) =>
      object.metadata.namespace === 'prod' ? STALLED_DEPLOYMENT_STATUS(Number(object.metadata.generation ?? 1)) : READY_DEPLOYMENT_STATUS(Number(object.metadata.generation ?? 1)),
    );
    const [base] = featureBranch({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });
    repo.git('checkout', '--quiet', 'main');
    repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'merge', '--quiet', '--no-ff', '-m', 'Merge pull request #12', 'feature');
    const merge = repo.head();
    const result = await run({
      eventName: 'pull_request',
      payload: prPayload('closed', base, 'f'.repeat(40), { merged: true, merge_commit_sha: merge }),
      sha: merge,
    });
    expect(result.exitCode).toBe(1);
    expect(kube.getObject('apps/v1', 'Deployment', 'web', 'dev')).toBeDefined();
    expect(kube.getObject('v1', 'ConfigMap', 'web-config', 'prod')?.data).toEqual({ LOG_LEVEL: 'debug' });
    const states = Object.fromEntries(github.deployments.map((d) => [d.environment, d.statuses.map((s: { state: string }) => s.state)]));
    expect(states.dev).toEqual(expect.arrayContaining(['in_progress', 'success']));
    expect(states.prod).toEqual(expect.arrayContaining(['in_progress', 'failure']));
    const [comment] = github.commentsOn(PR_NUMBER);
    expect(comment.body).toContain('<!-- slipway:deploy -->');
    expect(comment.body).toMatch(/ProgressDeadlineExceeded|timed out progressing/);
    expect(JSON.parse(result.outputs.environments)).toEqual(['dev', 'prod']);
  });

  it('deploys a push to the default branch and comments on the pull request it was merged from', async () => {
    const [base] = featureBranch({ 'envs/dev/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n  labels: { team: web }\n' });
    repo.git('checkout', '--quiet', 'main');
    repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'merge', '--quiet', '--no-ff', '-m', 'Merge pull request #3', 'feature');
    const merge = repo.head();
    const pull = github.seedPull({ head: 'feature', title: 'Label dev', mergeCommitSha: merge });
    const result = await run({
      eventName: 'push',
      payload: { ref: 'refs/heads/main', before: base, after: merge, repository: { default_branch: 'main' } },
      sha: merge,
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.outputs.environments)).toEqual(['dev']);
    expect(kube.getObject('v1', 'Namespace', 'dev')?.metadata.labels).toMatchObject({ team: 'web' });
    expect(kube.getObject('apps/v1', 'Deployment', 'web', 'prod')).toBeUndefined();
    const [comment] = github.commentsOn(pull.number);
    expect(comment.body).toContain('<!-- slipway:deploy -->');
    expect(comment.body).toMatch(/dev/);
  });

  it('deploys the environments named by a manual dispatch, and a re-run changes nothing', async () => {
    const first = await run({ eventName: 'workflow_dispatch', payload: { repository: { default_branch: 'main' } }, inputs: { environments: 'dev' }, sha: repo.head() });
    expect(first.exitCode).toBe(0);
    expect(kube.getObject('apps/v1', 'Deployment', 'web', 'dev')).toBeDefined();
    expect(kube.getObject('apps/v1', 'Deployment', 'web', 'prod')).toBeUndefined();
    const writes = kube.writeCount();
    const again = await run({ eventName: 'workflow_dispatch', payload: { repository: { default_branch: 'main' } }, inputs: { environments: 'dev' }, sha: repo.head() });
    expect(again.exitCode).toBe(0);
    expect(kube.writeCount() - writes).toBe(0);
    expect(secretDetails(first)).not.toContain(TOKEN);
  });
});

describe('drift', () => {
  it('reports an object changed in the cluster and fails the run', async () => {
    await deployAll();
    // Someone edits the live object by hand.
    const client = await KubeClient.connect({ kubeconfig: kube.kubeconfig() });
    await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'prod' }, data: { LOG_LEVEL: 'trace' } }, { fieldManager: 'kubectl-edit', force: true });
    client.close();
    const result = await run({ eventName: 'schedule', payload: {} });
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.outputs.environments)).toEqual(['prod']);
    expect(result.summary).toMatch(/drift/i);
    expect(result.summary).toMatch(/LOG_LEVEL/);
    expect(result.stdout).toMatch(/::warning.*[Dd]rift/);
  });
});
