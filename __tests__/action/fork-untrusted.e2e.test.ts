/**
 * A pull request from a fork, previewed with `pull_request_target` (secrets present): its head
 * links to files outside the repository, names an outside directory as a kustomize resource,
 * reads /proc/self/environ and an outside file through a chart's .Files.Get, and uses a remote
 * base. Run through the bundled action with the runner's tokens in its environment: no byte of
 * the outside file and no runner variable reaches any output or any request to GitHub.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GitHubApiFake } from '../support/github-api-server.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { runBundledAction } from '../support/action-run.js';
import { gitopsFiles } from './fixture.js';
import { removeDir, tempDir } from '../exec/temp-repo.js';

const PR_NUMBER = 31;
const OUTSIDE_SECRET = 'outside-file-bytes-7c41e9d2';
const RUNNER_SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'actions-runtime-token-5b1f0a93e7',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-c28d7e4410',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/token?audience=x-3a9f',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-key-wJalrXUtnFEMI-K7MDENG',
};
const TOKEN = 'ghs_forkTestTokenValue0123456789';

let github: GitHubApiFake;
let repo: TestRepo;
let outside: string;
let runnerTemp: string;

beforeEach(async () => {
  github = await new GitHubApiFake().start();
  outside = tempDir('slipway-outside-');
  runnerTemp = tempDir('slipway-runner-temp-');
  writeFileSync(join(outside, 'secret.txt'), `${OUTSIDE_SECRET}\n`);
  writeFileSync(join(outside, 'kustomization.yaml'), 'resources: [stolen.yaml]\n');
  writeFileSync(join(outside, 'stolen.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: stolen}\ndata: {value: ${OUTSIDE_SECRET}}\n`);
  const files = gitopsFiles();
  files['slipway.yaml'] = files['slipway.yaml'].replace(
    'defaults:',
    [
      '  - name: web',
      '    path: charts/web',
      '    namespace: web',
      '  - name: plain',
      '    path: envs/plain',
      '    namespace: plain',
      '  - name: platform',
      '    path: envs/platform',
      '    namespace: platform',
      'defaults:',
    ].join('\n'),
  );
  files['charts/web/Chart.yaml'] = 'apiVersion: v2\nname: web\nversion: 0.1.0\n';
  files['charts/web/templates/config.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  level: info\n';
  files['envs/plain/config.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  level: info\n';
  files['envs/platform/kustomization.yaml'] = 'resources:\n  - https://github.com/acme/platform//base?ref=v1.4.0\n';
  repo = createTestRepo({ files });
});

afterEach(async () => {
  await github.stop();
  repo.cleanup();
  removeDir(outside);
  removeDir(runnerTemp);
});

/** The fork's head: every way out of the repository at once. Returns [base, head]; the working tree stays on the base. */
function hostileHead(): [string, string] {
  const base = repo.head();
  repo.git('checkout', '--quiet', '-b', 'fork-head');
  const dir = repo.dir;
  // 1. An environment directory replaced by a link out of the repository.
  rmSync(join(dir, 'envs/prod'), { recursive: true });
  symlinkSync(outside, join(dir, 'envs/prod'));
  // 2. Kustomize resources outside the repository: by absolute path, and climbing out of the checkout.
  writeFileSync(join(dir, 'envs/dev/kustomization.yaml'), `resources:\n  - ../../base\n  - namespace.yaml\n  - ${outside}\n  - ${relative(join(dir, 'envs/dev'), outside)}\n`);
  // 3. A chart reading an outside file and the process environment through .Files.Get, and a template that is a link.
  symlinkSync(join(outside, 'secret.txt'), join(dir, 'charts/web/stolen.txt'));
  symlinkSync('/proc/self/environ', join(dir, 'charts/web/environ.txt'));
  symlinkSync(join(outside, 'stolen.yaml'), join(dir, 'charts/web/templates/stolen.yaml'));
  writeFileSync(
    join(dir, 'charts/web/templates/config.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  level: debug\n  stolen: {{ .Files.Get "stolen.txt" | quote }}\n  environ: {{ .Files.Get "environ.txt" | quote }}\n',
  );
  // 4. A plain directory with a link to an outside manifest.
  mkdirSync(join(dir, 'envs/plain'), { recursive: true });
  symlinkSync(join(outside, 'stolen.yaml'), join(dir, 'envs/plain/stolen.yaml'));
  repo.git('add', '--all');
  repo.git('-c', 'user.name=Mallory', '-c', 'user.email=m@fork.example', 'commit', '--quiet', '-m', 'innocent change');
  const head = repo.head();
  repo.git('checkout', '--quiet', 'main');
  return [base, head];
}

function forkPayload(base: string, head: string) {
  return {
    action: 'opened',
    number: PR_NUMBER,
    repository: { full_name: 'acme/gitops', default_branch: 'main' },
    pull_request: {
      number: PR_NUMBER,
      title: 'innocent change',
      html_url: `https://github.example/acme/gitops/pull/${PR_NUMBER}`,
      base: { sha: base, ref: 'main', repo: { full_name: 'acme/gitops' } },
      head: { sha: head, ref: 'main', repo: { full_name: 'mallory/gitops', fork: true } },
      merged: false,
    },
  };
}

it('a fork preview under pull_request_target leaks no outside file and no runner variable anywhere', async () => {
  const [base, head] = hostileHead();
  const result = await runBundledAction({
    workspace: repo.dir,
    githubApiUrl: github.url,
    eventName: 'pull_request_target',
    payload: forkPayload(base, head),
    sha: base,
    inputs: { 'github-token': TOKEN },
    env: { SLIPWAY_GITHUB_PACE_WRITES: 'false', RUNNER_TEMP: runnerTemp, ...RUNNER_SECRETS },
  });

  const [comment] = github.commentsOn(PR_NUMBER);
  expect(comment).toBeDefined();
  const reportPath = result.outputs.report;
  expect(reportPath).toBeTruthy();
  const report = readFileSync(reportPath, 'utf8');
  const everything: Record<string, string> = {
    stdout: result.stdout,
    stderr: result.stderr,
    summary: result.summary,
    outputs: JSON.stringify(result.outputs),
    report,
    'GitHub requests': JSON.stringify(github.requests),
  };
  for (const [where, text] of Object.entries(everything)) {
    expect({ where, leaked: text.includes(OUTSIDE_SECRET) }).toEqual({ where, leaked: false });
    for (const [name, value] of Object.entries(RUNNER_SECRETS)) {
      expect({ where, name, leaked: text.includes(value) }).toEqual({ where, name, leaked: false });
    }
  }

  // Each way out is named, at the link or entry, and nothing of those environments was rendered.
  expect(comment.body).toContain('envs/prod is a symlink to');
  expect(comment.body).toContain(`envs/dev/kustomization.yaml: resources entry &quot;${outside}&quot; leads to ${outside}, outside the repository`);
  expect(comment.body).toMatch(/envs\/dev\/kustomization\.yaml: resources entry &quot;(\.\.\/)+[^&]*&quot; leads to .*, outside the repository/);
  expect(comment.body).toContain('charts/web/environ.txt is a symlink to /proc/self/environ');
  expect(comment.body).toContain('charts/web/stolen.txt is a symlink to');
  expect(comment.body).toContain('charts/web/templates/stolen.yaml is a symlink to');
  expect(comment.body).toContain('envs/plain/stolen.yaml is a symlink to');
  // The remote base is not fetched for a fork, and the comment says so.
  expect(comment.body).toMatch(/platform[\s\S]*uses remote content \(envs\/platform\/kustomization\.yaml: https:\/\/github\.com\/acme\/platform\/\/base\?ref=v1\.4\.0\)[\s\S]*fork renders no remote content/);
  expect(comment.body).toMatch(/fork/i);
  // An environment that did not render is reported as such, not as "everything deleted".
  expect(comment.body).not.toMatch(/to delete/);
  expect(comment.body).toMatch(/\| \*\*prod\*\* \| – \| – \| – \| – \| ❌ \d+ \| ❌ could not diff \|/);
  expect(result.exitCode).not.toBe(0);
});
