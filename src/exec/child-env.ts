/**
 * The environment external programs (git, kustomize, helm, kubectl) start with: an allow-list
 * taken from this process's environment, never all of it. The runner's environment holds
 * tokens (ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN, AWS_*, GITHUB_TOKEN, ...) that a
 * chart or kustomization from an untrusted pull request could otherwise read (e.g. through a
 * link to /proc/self/environ) and print into a public comment.
 */
import { tmpdir } from 'node:os';

/** Variables a program needs to find its files, the network and its language. */
const ALLOWED_NAMES = new Set([
  'PATH',
  'HOME',
  'TMPDIR',
  'TMP',
  'TEMP',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'LANG',
  'LANGUAGE',
  'TZ',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'SSH_AUTH_SOCK',
  // Windows cannot start most programs without these.
  'SYSTEMROOT',
  'SystemRoot',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
]);

/** Locale variables, and each tool's own settings as the user set them. */
const ALLOWED_PREFIXES = ['LC_', 'HELM_', 'KUSTOMIZE_', 'GIT_'];

/**
 * The allow-listed part of `parent`, a temporary directory always set, then `extra` (what the
 * caller sets for this one command, e.g. git credentials) on top.
 */
export function childEnvironment(
  parent: Readonly<Record<string, string | undefined>>,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    if (ALLOWED_NAMES.has(name) || ALLOWED_PREFIXES.some((prefix) => name.startsWith(prefix))) env[name] = value;
  }
  env.TMPDIR ??= tmpdir();
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
