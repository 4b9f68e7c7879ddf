/**
 * Preview benchmark: a repository with 20 kustomize environments over one shared base; a pull
 * request changes the base. Measures the bundled action from process start to the comment
 * posted (loopback Kubernetes and GitHub servers) and counts GitHub API calls, for two sizes of
 * environment to show the call count does not grow with the number of resources.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { FakeKubeApiServer } from '../__tests__/support/kube-api-server.js';
import { GitHubApiFake } from '../__tests__/support/github-api-server.js';
import { createTestRepo } from '../__tests__/support/git-repo.js';
import { runBundledAction } from '../__tests__/support/action-run.js';
import { prepareBundle } from '../__tests__/support/bundle.js';

export interface PreviewBenchRow {
  area: string;
  measure: string;
  value: string;
  target: string;
}

const ENVIRONMENTS = 20;

function repositoryFiles(resourcesPerEnv: number): Record<string, string> {
  const files: Record<string, string> = {};
  const resources: string[] = [];
  for (let i = 0; i < resourcesPerEnv; i++) {
    files[`base/config-${i}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\ndata:\n  LEVEL: info\n  INDEX: "${i}"\n`;
    resources.push(`config-${i}.yaml`);
  }
  files['base/kustomization.yaml'] = `resources:\n${resources.map((r) => `  - ${r}`).join('\n')}\n`;
  const envs: string[] = [];
  for (let e = 0; e < ENVIRONMENTS; e++) {
    const name = `env-${String(e).padStart(2, '0')}`;
    envs.push(`  - name: ${name}\n    path: envs/${name}\n    namespace: ${name}`);
    files[`envs/${name}/kustomization.yaml`] = `namespace: ${name}\nresources:\n  - ../../base\n  - namespace.yaml\n`;
    files[`envs/${name}/namespace.yaml`] = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`;
  }
  files['slipway.yaml'] = `environments:\n${envs.join('\n')}\n`;
  return files;
}

async function onePreview(resourcesPerEnv: number): Promise<{ ms: number; apiCalls: number; commentLength: number }> {
  const kube = await FakeKubeApiServer.start({ latencyMs: 1 });
  const github = await new GitHubApiFake().start();
  const repo = createTestRepo({ files: repositoryFiles(resourcesPerEnv) });
  try {
    const base = repo.head();
    repo.git('checkout', '--quiet', '-b', 'feature');
    repo.write({ 'base/config-0.yaml': repositoryFiles(resourcesPerEnv)['base/config-0.yaml'].replace('info', 'debug') });
    repo.git('add', '--all');
    repo.git('-c', 'user.name=B', '-c', 'user.email=b@e', 'commit', '--quiet', '-m', 'change the shared base');
    const head = repo.head();
    // Building (or finding) the bundle is not part of the run being measured.
    await prepareBundle();
    const started = performance.now();
    const result = await runBundledAction({
      workspace: repo.dir,
      githubApiUrl: github.url,
      eventName: 'pull_request',
      sha: head,
      payload: {
        action: 'opened',
        number: 1,
        repository: { default_branch: 'main' },
        pull_request: { number: 1, base: { sha: base, repo: { full_name: 'acme/gitops' } }, head: { sha: head, repo: { full_name: 'acme/gitops' } } },
      },
      inputs: { 'github-token': 'bench-token-0123456789', kubeconfig: kube.kubeconfig() },
      env: { SLIPWAY_GITHUB_PACE_WRITES: 'false' },
    });
    const ms = performance.now() - started;
    const comments = github.commentsOn(1);
    if (result.exitCode !== 0 || comments.length !== 1) {
      throw new Error(`preview run failed (exit ${result.exitCode}): ${result.stdout.split('\n').filter((l) => l.startsWith('::error')).join(' ')}`);
    }
    return { ms, apiCalls: github.requests.length, commentLength: comments[0].body.length };
  } finally {
    repo.cleanup();
    await github.stop();
    await kube.stop();
  }
}

export async function benchPreview(): Promise<{ rows: PreviewBenchRow[] }> {
  const small = await onePreview(5);
  const large = await onePreview(50);
  return {
    rows: [
      { area: 'preview', measure: `PR changing a shared base, ${ENVIRONMENTS} environments x 5 resources: process start to comment posted`, value: `${Math.round(small.ms)} ms`, target: '< 5 s' },
      { area: 'preview', measure: `same, ${ENVIRONMENTS} environments x 50 resources`, value: `${Math.round(large.ms)} ms`, target: '< 5 s' },
      { area: 'preview', measure: 'GitHub API calls (5 / 50 resources per environment)', value: `${small.apiCalls} / ${large.apiCalls}`, target: 'independent of resources' },
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { rows } = await benchPreview();
  for (const row of rows) console.log(`${row.measure}: ${row.value}`);
}
