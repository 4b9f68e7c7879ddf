/**
 * The bundled action behind a proxy: with `http_proxy` set on the runner, every request to
 * GitHub goes through it (the proxy-capable fetch is a chunk of its own, loaded only then), and
 * the proxy's password is masked.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBundledAction } from '../support/action-run.js';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { GitHubApiFake } from '../support/github-api-server.js';
import { gitopsFiles } from './fixture.js';

const PR_NUMBER = 12;
let github: GitHubApiFake;
let proxy: ConnectProxy;
let repo: TestRepo;

beforeEach(async () => {
  github = await new GitHubApiFake().start();
  // github.test does not resolve here: only the proxy can reach it.
  proxy = await startConnectProxy({ upstreamHost: '127.0.0.1' });
  repo = createTestRepo({ files: gitopsFiles() });
});
afterEach(async () => {
  await proxy.close();
  await github.stop();
  repo.cleanup();
});

it('sends every GitHub request of a preview through the proxy that http_proxy names', async () => {
  const base = repo.head();
  repo.git('checkout', '--quiet', '-b', 'bump');
  writeFileSync(join(repo.dir, 'base/config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  LOG_LEVEL: debug\n');
  const head = repo.commit('debug logs');
  const apiUrl = github.url.replace('127.0.0.1', 'github.test');
  const result = await runBundledAction({
    workspace: repo.dir,
    githubApiUrl: apiUrl,
    eventName: 'pull_request',
    payload: {
      action: 'opened',
      number: PR_NUMBER,
      repository: { full_name: 'acme/gitops', default_branch: 'main' },
      pull_request: { number: PR_NUMBER, title: 'debug logs', base: { sha: base, ref: 'main' }, head: { sha: head, ref: 'bump' }, merged: false },
    },
    sha: head,
    inputs: { 'github-token': 'ghs_proxyTestToken0123456789' },
    env: { http_proxy: proxy.url, SLIPWAY_GITHUB_PACE_WRITES: 'false' },
  });
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(github.commentsOn(PR_NUMBER)).toHaveLength(1);
  expect(proxy.tunnels.length).toBeGreaterThan(0);
  expect(new Set(proxy.tunnels)).toEqual(new Set([new URL(apiUrl).host]));
  // The proxy's password is masked for the runner's log, and printed nowhere.
  expect(result.stdout).toContain('::add-mask::s3cret');
  expect(result.stdout.replace('::add-mask::s3cret', '')).not.toContain('s3cret');
  expect(result.summary).not.toContain('s3cret');
});
