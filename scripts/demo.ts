/**
 * `npm run demo`: the whole job on the example repository, offline, in a temporary Git
 * repository (examples/gitops is never touched): validate, preview a pull request (the comment
 * as GitHub would show it, also written to a Markdown file), merge, promote dev -> staging as a
 * commit, and the promotion pull request for prod. With `--cluster` and a reachable cluster in
 * KUBECONFIG it also deploys dev there, waits, and detects drift after a manual `kubectl scale`.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/main.js';
import { loadConfig } from '../src/config/load.js';
import { Git } from '../src/exec/git.js';
import { processRunner } from '../src/exec/run.js';
import { SecretMask } from '../src/exec/secrets.js';
import { locateTool } from '../src/exec/tools.js';
import { CLI_SETTING_NAMES } from '../src/model/setting-names.js';
import { promote } from '../src/promote/promote.js';
import type { PullRequestApi } from '../src/promote/pull-request.js';
import { refuseRenderErrors } from '../src/promote/render-adapter.js';
import { renderEnvironment } from '../src/render/render.js';

const project = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const withCluster = process.argv.includes('--cluster');
// One mask for the demo's own output (each `slipway` command it runs makes its own).
const secrets = new SecretMask();
const runner = processRunner(process.env, secrets);
const say = (text = '') => process.stdout.write(`${secrets.mask(text)}\n`);
const step = (title: string) => say(`\n\u001b[1m== ${title}\u001b[0m`);

const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stdout.write(text), isTty: false };

async function cli(args: string[]): Promise<number> {
  say(`$ slipway ${args.filter((arg) => arg !== '--repo' && arg !== repo).join(' ')}`);
  return runCli([...args, '--repo', repo], io);
}

async function git(args: string[], cwd = repo): Promise<string> {
  return (await runner.run('git', args, { cwd })).stdout;
}

const workspace = mkdtempSync(join(tmpdir(), 'slipway-demo-'));
const origin = join(workspace, 'origin.git');
const repo = join(workspace, 'gitops');
const commentFile = join(workspace, 'preview-comment.md');

async function main(): Promise<number> {
  // Asked first, so a cluster that is not there fails the demo before anything else runs.
  const cluster = withCluster ? await reachableCluster() : undefined;
  if (typeof cluster === 'string') {
    say(cluster);
    return 2;
  }
  say(`Slipway demo: a copy of examples/gitops in ${repo}, with ${origin} as its GitHub remote.`);
  cpSync(join(project, 'examples', 'gitops'), repo, { recursive: true });
  await git(['init', '--bare', '--initial-branch=main', origin], workspace);
  await git(['init', '--initial-branch=main']);
  await git(['config', 'user.name', 'Demo User']);
  await git(['config', 'user.email', 'demo@example.com']);
  await git(['add', '-A']);
  await git(['commit', '-qm', 'The shop: platform, dev, staging and prod']);
  await git(['remote', 'add', 'origin', origin]);
  await git(['push', '-q', 'origin', 'main']);

  step('1. Validate every environment offline (what a pull request check runs)');
  await cli(['validate']);

  step('2. A pull request: bump the dev image and change the shared base');
  await git(['checkout', '-qb', 'bump-web']);
  const devKustomization = join(repo, 'envs/dev/kustomization.yaml');
  writeFileSync(devKustomization, readFileSync(devKustomization, 'utf8').replace('newTag: "1.5.0"', 'newTag: "1.6.0"'));
  const configMap = join(repo, 'base/configmap.yaml');
  writeFileSync(configMap, `${readFileSync(configMap, 'utf8')}  FEATURE_CHECKOUT_V2: "on"\n`);
  await git(['commit', '-qam', 'web 1.6.0 in dev; checkout v2 flag for every environment']);
  say(await git(['show', '--stat', '--format=%s', 'HEAD']));

  step('3. The preview comment Slipway posts on that pull request');
  say('(No cluster credentials in this demo: each environment is compared with the base branch\'s render.)');
  await cli(['diff', '--base', 'main', '--head', 'bump-web', '--render-only', '--markdown', commentFile]);
  say(`\n---------------- ${commentFile} ----------------`);
  say(readFileSync(commentFile, 'utf8'));
  say('-------------------------------------------------------------------------');

  step('4. The pull request is merged');
  await git(['checkout', '-q', 'main']);
  await git(['merge', '-q', '--no-ff', '-m', 'Merge pull request #1 from bump-web', 'bump-web']);
  await git(['push', '-q', 'origin', 'main']);
  say('On merge, the action deploys the affected environments, then runs the promotion chain.');

  if (cluster) {
    const code = await clusterSteps(cluster);
    if (code !== 0) return code;
  }

  step('5. Promote dev -> staging (staging promotes by commit)');
  await cli(['promote', '--from', 'dev', '--to', 'staging', '--commit']);
  say('\nThe promotion commit changes exactly one line:');
  say(await git(['show', '--unified=0', '--format=%h %s%n%n%b', 'HEAD']));

  step('6. Promote staging -> prod (prod promotes by pull request)');
  await promoteProdByPullRequest();

  step('What to try next');
  say('- On your own repository: `npx slipway init --repo PATH` writes a starting slipway.yaml (it never overwrites one).');
  say('- Then `npx slipway validate --repo PATH` and `npx slipway diff --repo PATH --base main --render-only`.');
  say('- With a cluster: `KUBECONFIG=... npm run demo -- --cluster` deploys dev, waits, and detects drift.');
  say(`- The preview comment above is in ${commentFile}; the demo repository stays in ${workspace}.`);
  return 0;
}

/** Prod promotes through a pull request: the real promotion, with GitHub replaced by a printer. */
async function promoteProdByPullRequest(): Promise<void> {
  const config = await loadConfig(repo, 'slipway.yaml', CLI_SETTING_NAMES);
  const printer: PullRequestApi = {
    ensure: async (request) => {
      say(`Slipway pushed ${request.head} and opens this pull request into ${request.base}`);
      say('(GitHub is not reachable from the demo, so here is what it would receive):\n');
      say(`Title: ${request.title}\n`);
      say(request.body);
      return { number: 2, url: 'https://github.com/acme/gitops/pull/2', action: 'created' };
    },
  };
  await promote({
    git: Git.forRepository(runner, repo, config.tools),
    render: refuseRenderErrors((env, ref) => renderEnvironment(env, { root: repo, ref }, { runner, tools: config.tools })),
    root: repo,
    config,
    to: 'prod',
    mode: 'pull-request',
    dryRun: false,
    names: CLI_SETTING_NAMES,
    pullRequests: printer,
    repository: { serverUrl: 'https://github.com', owner: 'acme', repo: 'gitops' },
    author: { name: 'Demo User', email: 'demo@example.com' },
  });
}

/** Deploy dev to the cluster of the current context, wait, then show drift after a manual scale. */
async function clusterSteps(cluster: Cluster): Promise<number> {
  // The example names one context per environment; the demo deploys to your current context instead.
  const configFile = join(repo, 'slipway.yaml');
  writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/^\s+context: .*\n/gm, ''));
  await git(['commit', '-qam', 'Demo: every environment on the current kubeconfig context']);

  step(`4a. Deploy dev to your cluster (context ${cluster.context}): apply, prune, wait until healthy`);
  const applied = await cli(['apply', '--env', 'platform', '--env', 'dev', '--timeout', '3m']);
  if (applied !== 0) return applied;

  step('4b. Someone scales the Deployment by hand');
  const scale = ['scale', 'deployment/web', '--replicas=5', '-n', 'shop-dev'];
  say(`$ kubectl ${scale.join(' ')}`);
  say((await kubectl(cluster.kubeconfig, scale)).stdout.trimEnd());

  step('4c. Drift detection (what the scheduled run reports)');
  const drift = await cli(['drift', '--env', 'dev']);
  if (drift > 1) return drift;
  say(drift === 1 ? '\n(Exit code 1: drift found. `slipway drift --env dev --heal` re-applies what Git says.)' : '\n(Exit code 0: no drift found.)');
  return 0;
}

/** The real kubectl on the user's kubeconfig; the child's environment is an allow-list, so KUBECONFIG is passed on. */
function kubectl(kubeconfig: string, args: string[], options: { allowFailure?: boolean; timeoutMs?: number } = {}) {
  return runner.run(locateTool('kubectl', { path: runner.path }), args, { env: { KUBECONFIG: kubeconfig }, ...options });
}

interface Cluster {
  kubeconfig: string;
  context: string;
}

/** The kubeconfig and its current context, or what to do when there is none or its cluster does not answer. */
async function reachableCluster(): Promise<Cluster | string> {
  const kubeconfig = process.env['KUBECONFIG'];
  if (!kubeconfig) return '--cluster needs KUBECONFIG pointing at a cluster you may write to (kind, minikube, a test cluster).';
  const context = await kubectl(kubeconfig, ['config', 'current-context'], { allowFailure: true });
  if (context.exitCode !== 0) return `--cluster: KUBECONFIG (${kubeconfig}) has no current context: ${context.stderr.trim()}. Set one with \`kubectl config use-context NAME\`.`;
  const name = context.stdout.trim();
  const version = await kubectl(kubeconfig, ['get', '--raw', '/version', '--request-timeout=15s'], { allowFailure: true, timeoutMs: 60_000 });
  if (version.exitCode !== 0) {
    const reason = version.stderr.trim().split('\n').at(-1) ?? `kubectl exited with ${version.exitCode}`;
    return `--cluster: the cluster of context "${name}" (KUBECONFIG ${kubeconfig}) did not answer: ${reason}\nStart it (kind, minikube) or switch to another context, then run the demo again.`;
  }
  return { kubeconfig, context: name };
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
