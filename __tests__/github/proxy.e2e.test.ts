/**
 * GitHub through the runner's proxy variables: Node's own fetch when none is set; through the
 * proxy (a CONNECT tunnel) when one applies; straight to GitHub for a host the proxy rules
 * exempt. `@actions/http-client` reads the variables from the process environment, so the
 * tests that need them set them there for their own duration.
 */
import { createGitHubClient } from '../../src/github/client.js';
import { proxyAwareFetch } from '../../src/github/proxy.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js';
import { GitHubApiFake } from '../support/github-api-server.js';

let fake: GitHubApiFake;
let proxy: ConnectProxy;
const saved = { http_proxy: process.env.http_proxy, no_proxy: process.env.no_proxy };

beforeEach(async () => {
  fake = await new GitHubApiFake().start();
  proxy = await startConnectProxy({ upstreamHost: '127.0.0.1' });
});
afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await proxy.close();
  await fake.stop();
});

function clientFor(apiUrl: string, env: Record<string, string>) {
  return createGitHubClient({ token: 'ghs_faketoken123456', secrets: new SecretMask(), baseUrl: apiUrl, paceWrites: false, retries: 0, fetch: proxyAwareFetch(apiUrl, env) });
}

describe('proxyAwareFetch', () => {
  it('is Node\'s fetch when no proxy variable is set', () => {
    expect(proxyAwareFetch('https://api.github.com', { NO_PROXY: 'example.com' })).toBe(globalThis.fetch);
  });

  it('sends requests through the proxy that http_proxy names, tunnelled with its credentials', async () => {
    const apiUrl = fake.url.replace('127.0.0.1', 'github.test');
    const env = { http_proxy: proxy.url };
    Object.assign(process.env, env);
    const { data } = await clientFor(apiUrl, env).rest.repos.get({ owner: 'acme', repo: 'gitops' });
    expect(data.default_branch).toBe('main');
    expect(proxy.tunnels).toEqual([new URL(apiUrl).host]);
    expect(proxy.auth[0]).toBe(`Basic ${Buffer.from('tunnel-user:s3cret').toString('base64')}`);
    expect(fake.requestsTo('GET', '/repos/acme/gitops')).toHaveLength(1);
  });

  it('goes straight to a host that no_proxy lists, and to a loopback one, with the proxy set', async () => {
    const env = { http_proxy: proxy.url, no_proxy: 'github.test' };
    Object.assign(process.env, env);
    await clientFor(fake.url, env).rest.repos.get({ owner: 'acme', repo: 'gitops' });
    // github.test does not resolve here: asked directly, it fails without reaching the proxy.
    const exempt = fake.url.replace('127.0.0.1', 'github.test');
    await expect(clientFor(exempt, env).rest.repos.get({ owner: 'acme', repo: 'gitops' })).rejects.toMatchObject({ status: 500 });
    expect(proxy.tunnels).toEqual([]);
    expect(fake.requestsTo('GET', '/repos/acme/gitops')).toHaveLength(1);
  });
});
