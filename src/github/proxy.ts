/**
 * Requests to GitHub through the runner's proxy (`https_proxy`, `no_proxy`, ...). With no proxy
 * variable set, requests go through Node's own fetch. With one set, the first request loads
 * `@actions/http-client` and undici (a tenth of a second that runs without a proxy never pay),
 * and the proxy is chosen, or bypassed for `no_proxy` hosts, exactly as other actions choose it.
 */
import type { GitHubFetch } from './client.js';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

/** `apiUrl`: where the client sends requests (GITHUB_API_URL); `env`: the runner's environment. */
export function proxyAwareFetch(apiUrl: string, env: Readonly<Record<string, string | undefined>>): GitHubFetch {
  if (!PROXY_VARIABLES.some((name) => env[name])) return globalThis.fetch;
  let viaProxy: Promise<GitHubFetch> | undefined;
  return async (input, init) => {
    viaProxy ??= import('./proxy-fetch.js').then((module) => module.fetchThroughProxy(apiUrl));
    return (await viaProxy)(input, init);
  };
}
