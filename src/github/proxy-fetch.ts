// Loaded only when the runner sets a proxy variable (see proxy.ts).
import { HttpClient } from '@actions/http-client';
import { fetch as undiciFetch } from 'undici';
import type { GitHubFetch } from './client.js';

/**
 * A fetch through the proxy `@actions/http-client` picks for `apiUrl` from the proxy variables,
 * or straight to GitHub when `no_proxy` lists the host (no dispatcher: undici's default).
 */
export function fetchThroughProxy(apiUrl: string): GitHubFetch {
  const dispatcher = new HttpClient().getAgentDispatcher(apiUrl);
  return ((input: Parameters<GitHubFetch>[0], init?: Parameters<GitHubFetch>[1]) =>
    undiciFetch(input as never, { ...(init as object), dispatcher } as never)) as unknown as GitHubFetch;
}
