/**
 * Requests to GitHub through the runner's proxy (`https_proxy`, `no_proxy`, ...). With no proxy
 * variable set, requests go through Node's own fetch. With one set, the first request loads
 * `@actions/http-client` and undici (a tenth of a second that runs without a proxy never pay),
 * and the proxy is chosen, or bypassed for `no_proxy` hosts, exactly as other actions choose it.
 */
import type { GitHubFetch } from './client.js';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

/**
 * The passwords in the runner's proxy variables (`http://user:password@proxy:3128`), so they
 * can be masked: a proxy error from git, kubectl or a fetch may repeat the proxy's URL.
 */
export function proxyPasswords(env: Readonly<Record<string, string | undefined>>): string[] {
  const passwords = new Set<string>();
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (!value) continue;
    try {
      const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
      if (url.password) passwords.add(url.password).add(decodeURIComponent(url.password));
    } catch {
      // Not a URL: nothing in it is read as a password (http-client ignores it too).
    }
  }
  return [...passwords];
}

/** `apiUrl`: where the client sends requests (GITHUB_API_URL); `env`: the runner's environment. */
export function proxyAwareFetch(apiUrl: string, env: Readonly<Record<string, string | undefined>>): GitHubFetch {
  if (!PROXY_VARIABLES.some((name) => env[name])) return globalThis.fetch;
  let viaProxy: Promise<GitHubFetch> | undefined;
  return async (input, init) => {
    viaProxy ??= import('./proxy-fetch.js').then((module) => module.fetchThroughProxy(apiUrl));
    return (await viaProxy)(input, init);
  };
}
