/**
 * Workflow-command injection: the runner takes any output line that starts with `::` (after white
 * space), or holds `##[name]` anywhere, as a command. Values from inputs, the event payload and
 * the repository are fed with forged commands through the bundled action; no line it prints may
 * be a command the action did not mean to issue.
 */
import { kubeconfigSecrets } from '../../src/exec/kubeconfig-secrets.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { GitHubApiFake } from '../support/github-api-server.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { BUNDLE_TIMEOUT_MS, prepareBundle } from '../support/bundle.js';
import { runBundledAction, type ActionRun } from '../support/action-run.js';
import { workflowCommands } from '../support/workflow-commands.js';
import { gitopsFiles, READY_DEPLOYMENT_STATUS } from './fixture.js';

const TOKEN = 'ghs_injectionTokenValue0123456789';
/** Forged commands after a line break, a percent-encoded line break, a carriage return and the legacy form. */
const EVIL = 'prod\n::warning title=INJECTED::x\n::add-mask::main%0A::error title=INJECTED::x\r::stop-commands::INJECTED ##[add-mask]main ##[warning]INJECTED';
/** The same, where the value itself starts a line. */
const LEADING = '::add-mask::main\n::warning title=INJECTED::x';

/** What the action itself issues; anything else on a command line was injected. */
const INTENDED = new Set(['add-mask', 'group', 'endgroup', 'warning', 'error', 'notice', 'debug']);

let kube: FakeKubeApiServer;
let github: GitHubApiFake;
let repo: TestRepo;

beforeAll(() => prepareBundle(), BUNDLE_TIMEOUT_MS);

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

interface Case {
  eventName: string;
  payload: Record<string, unknown>;
  inputs?: Record<string, string>;
  sha?: string;
}

async function run(c: Case): Promise<{ result: ActionRun; masks: Set<string> }> {
  const inputs = { 'github-token': TOKEN, kubeconfig: kube.kubeconfig(), ...c.inputs };
  const result = await runBundledAction({
    workspace: repo.dir,
    githubApiUrl: github.url,
    eventName: c.eventName,
    payload: c.payload,
    sha: c.sha ?? repo.head(),
    inputs,
    env: { SLIPWAY_GITHUB_PACE_WRITES: 'false' },
  });
  // The action hands the runner its credentials to mask: those add-mask commands are its own.
  return { result, masks: new Set([TOKEN, ...kubeconfigSecrets(inputs.kubeconfig)]) };
}

/** Every command line the runner would act on that the action did not mean to print. */
function injected({ result, masks }: { result: ActionRun; masks: Set<string> }): string[] {
  const found: string[] = [];
  for (const command of workflowCommands(`${result.stdout}\n${result.stderr}`)) {
    const forged =
      command.legacy ||
      !INTENDED.has(command.name) ||
      Object.values(command.properties).some((value) => value.includes('INJECTED')) ||
      (command.name === 'add-mask' && !masks.has(command.data)) ||
      command.data === 'x';
    if (forged) found.push(JSON.stringify(command.line));
  }
  return found;
}

const dispatch = (inputs: Record<string, string>): Case => ({ eventName: 'workflow_dispatch', payload: { repository: { default_branch: 'main' }, inputs }, inputs });

function pullRequest(action: string, fields: Record<string, unknown>, head = repo.head(), base = repo.head()) {
  return {
    action,
    number: 12,
    repository: { full_name: 'acme/gitops', default_branch: 'main', name: EVIL },
    sender: { login: EVIL },
    pull_request: {
      number: 12,
      html_url: 'https://github.example/acme/gitops/pull/12',
      title: EVIL,
      body: EVIL,
      user: { login: EVIL },
      base: { sha: base, ref: EVIL, label: EVIL, repo: { full_name: 'acme/gitops' } },
      head: { sha: head, ref: EVIL, label: EVIL, repo: { full_name: 'acme/gitops', fork: false } },
      merged: false,
      ...fields,
    },
  };
}

/** A branch whose commit message is a forged command; returns [base, head]. */
function evilCommit(files: Record<string, string>): [string, string] {
  const base = repo.head();
  repo.git('checkout', '--quiet', '-b', 'feature');
  repo.write(files);
  repo.git('add', '--all');
  repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '--quiet', '-m', EVIL);
  return [base, repo.head()];
}

describe('no value from outside the action starts a workflow command', () => {
  it.each<[string, Record<string, string>]>([
    ['to', { to: EVIL }],
    ['to (leading)', { to: LEADING }],
    ['from', { to: 'prod', from: EVIL }],
    ['images', { to: 'prod', from: 'dev', images: EVIL }],
    ['environments', { environments: EVIL }],
    ['environments (leading)', { environments: LEADING }],
    ['config', { environments: 'dev', config: EVIL }],
    ['command', { command: EVIL }],
    ['comment', { environments: 'dev', comment: EVIL }],
    ['dry-run', { environments: 'dev', 'dry-run': EVIL }],
    ['timeout', { environments: 'dev', timeout: EVIL }],
    ['kubeconfig', { environments: 'dev', kubeconfig: EVIL }],
  ])('input %s', async (_name, inputs) => {
    expect(injected(await run(dispatch(inputs)))).toEqual([]);
  });

  it('pull request fields: action, title, body, branch names, head commit message', async () => {
    const [base, head] = evilCommit({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });
    expect(injected(await run({ eventName: 'pull_request', payload: pullRequest(EVIL, {}, head, base), sha: head }))).toEqual([]);
    expect(injected(await run({ eventName: 'pull_request', payload: pullRequest('opened', {}, head, base), sha: head }))).toEqual([]);
  });

  it('a merged pull request with forged fields deploys without forged commands', async () => {
    const [base] = evilCommit({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });
    repo.git('checkout', '--quiet', 'main');
    repo.git('-c', 'user.name=T', '-c', 'user.email=t@e', 'merge', '--quiet', '--no-ff', '-m', EVIL, 'feature');
    const merge = repo.head();
    const payload = pullRequest('closed', { merged: true, merge_commit_sha: merge }, 'f'.repeat(40), base);
    expect(injected(await run({ eventName: 'pull_request', payload, sha: merge }))).toEqual([]);
  });

  it('push fields: branch name and commit messages', async () => {
    const [base, head] = evilCommit({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });
    const commit = { id: head, message: EVIL, author: { name: EVIL, email: 'e@x' } };
    const payload = { ref: `refs/heads/${EVIL}`, before: base, after: head, head_commit: commit, commits: [commit], repository: { default_branch: 'main' }, pusher: { name: EVIL } };
    expect(injected(await run({ eventName: 'push', payload, sha: head }))).toEqual([]);
    const leading = { ...payload, ref: `refs/heads/${LEADING}` };
    expect(injected(await run({ eventName: 'push', payload: leading, sha: head }))).toEqual([]);
  });

  it('schedule payload', async () => {
    expect(injected(await run({ eventName: 'schedule', payload: { schedule: EVIL } }))).toEqual([]);
  });

  it('repository names: file names, object names, images, namespaces and contexts in slipway.yaml', async () => {
    const evilManifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${JSON.stringify(EVIL)}
  namespace: ${JSON.stringify(LEADING)}
data: { a: "1" }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: lab
  namespace: lab
spec:
  selector: { matchLabels: { app: lab } }
  template:
    metadata: { labels: { app: lab } }
    spec:
      containers:
        - name: lab
          image: ${JSON.stringify(`ghcr.io/acme/lab:latest${EVIL}`)}
`;
    repo.write({
      'slipway.yaml': `${gitopsFiles()['slipway.yaml']}`.replace(
        'defaults:',
        `  - name: lab\n    path: envs/lab\n    namespace: ${JSON.stringify(EVIL)}\n    context: ${JSON.stringify(LEADING)}\ndefaults:`,
      ),
      [`envs/lab/${EVIL.replace(/\//g, '_')}.yaml`]: evilManifest,
      [`envs/lab/${LEADING.replace(/\//g, '_')}.yaml`]: evilManifest,
    });
    const sha = repo.commit('lab');
    expect(injected(await run({ ...dispatch({ command: 'validate', environments: 'all' }), sha }))).toEqual([]);
    expect(injected(await run({ ...dispatch({ environments: 'lab' }), sha }))).toEqual([]);
    const base = repo.git('rev-parse', 'HEAD~1');
    expect(injected(await run({ eventName: 'pull_request', payload: pullRequest('opened', {}, sha, base), sha }))).toEqual([]);
  });
});
