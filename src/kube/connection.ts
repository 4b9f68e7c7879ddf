/**
 * Which cluster to talk to and as whom: a kubeconfig from the `kubeconfig` input (content),
 * else $KUBECONFIG, else ~/.kube/config, narrowed to one context. Authentication (token,
 * client certificate, exec plugin, basic auth) is @kubernetes/client-node's; every credential
 * it reads is registered with the run's mask before anything is printed.
 */

import type * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { kubeconfigSecrets } from '../exec/kubeconfig-secrets.js';
import { SecretMask } from '../exec/secrets.js';
import { UserError } from '../model/errors.js';
import { describeAuthFailure } from './auth-failure.js';

export interface ConnectOptions {
  /** Kubeconfig content (YAML). When absent: $KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  /** Context name; default: the kubeconfig's current-context. */
  context?: string;
  /** Where `kubeconfig` came from, for messages; default "the kubeconfig input". */
  kubeconfigSource?: string;
  /** The value of $KUBECONFIG (paths joined by the platform's delimiter), read when no content is given; else ~/.kube/config. */
  kubeconfigPaths?: string;
  /** How the user passes a kubeconfig where they are, for hints; default the action's input. */
  kubeconfigSetting?: string;
  /** The run's mask: every credential the kubeconfig holds is registered here. Default: one of this call's own. */
  secrets?: SecretMask;
}

/** What a request needs to reach the cluster: where, which TLS settings, which headers. */
export interface ConnectionSettings {
  server: URL;
  context: string;
  /** Namespace named by the context, if any. */
  namespace?: string;
  tls: Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'>;
  /** Authorization and other headers; recomputed per request because exec-plugin tokens expire. */
  headers: Record<string, string>;
  /** The library's own agent when a proxy is configured (it knows how to tunnel); else undefined. */
  proxyAgent?: https.Agent;
  /** The kubeconfig's `proxy-url`, for the HTTP/2 transport's own CONNECT tunnel. */
  proxyUrl?: string;
}

/** There is no kubeconfig at all: no content given, no $KUBECONFIG file, no ~/.kube/config. */
export class NoKubeconfigError extends UserError {}

/** A kubeconfig exists but does not parse: an error in every command, never a silent fallback. */
export class KubeconfigUnreadableError extends UserError {}

/** The kubeconfig parses but has no context of that name (or selects none). */
export class KubeconfigContextError extends UserError {}

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

type KubeConfigClass = typeof KubeConfig;

/**
 * Only the library's kubeconfig module, loaded when a kubeconfig is first read: the package root
 * also re-exports every generated API class, which Slipway never uses, and keeps them all in the
 * bundle. (The package has no `exports` map, so this path is as public as the root.)
 */
async function kubeConfigClass(): Promise<KubeConfigClass> {
  const { KubeConfig: KubeConfigImpl } = await import('@kubernetes/client-node/dist/config.js');
  return KubeConfigImpl;
}

/**
 * Parses the kubeconfig without choosing a context: content given, else each existing file of
 * $KUBECONFIG (missing ones are skipped, as kubectl does), else ~/.kube/config, else the pod's
 * service account when running in a cluster. A run reads it once and connects to each
 * environment's context from that (`forContext`).
 */
export async function readKubeconfig(options: Pick<ConnectOptions, 'kubeconfig' | 'kubeconfigSource' | 'kubeconfigPaths' | 'kubeconfigSetting' | 'secrets'>): Promise<ParsedKubeconfig> {
  const secrets = options.secrets ?? new SecretMask();
  const files = options.kubeconfig === undefined ? defaultKubeconfigFiles(options.kubeconfigPaths) : [];
  const source = options.kubeconfig !== undefined ? (options.kubeconfigSource ?? 'the kubeconfig input') : options.kubeconfigPaths ? `$KUBECONFIG (${options.kubeconfigPaths})` : '~/.kube/config';
  // Before parsing: a parse error quotes the lines around it, credentials included.
  for (const content of options.kubeconfig !== undefined ? [options.kubeconfig] : files.map((file) => readFileSync(file, 'utf8'))) {
    for (const value of kubeconfigSecrets(content)) secrets.add(value);
  }
  const inCluster = options.kubeconfig === undefined && files.length === 0;
  if (inCluster && !existsSync(SERVICE_ACCOUNT_TOKEN)) {
    const looked = options.kubeconfigPaths ? `$KUBECONFIG (${options.kubeconfigPaths}: no such file)` : '$KUBECONFIG (not set), then ~/.kube/config (no such file)';
    throw new NoKubeconfigError(
      `No kubeconfig: looked for ${looked}, then an in-cluster service account (none).`,
      `Pass ${options.kubeconfigSetting ?? 'one in the `kubeconfig` input (a secret)'}, or set $KUBECONFIG.`,
    );
  }
  // Loaded only now: no kubeconfig at all is answered without it.
  const KubeConfigImpl = await kubeConfigClass();
  const config = new KubeConfigImpl();
  if (inCluster) {
    config.loadFromCluster();
    return new ParsedKubeconfig(config, 'the pod\'s service account', KubeConfigImpl);
  }
  try {
    if (options.kubeconfig !== undefined) config.loadFromString(options.kubeconfig);
    else {
      config.loadFromFile(files[0]);
      for (const file of files.slice(1)) {
        const more = new KubeConfigImpl();
        more.loadFromFile(file);
        config.mergeConfig(more);
      }
    }
  } catch (error) {
    // Only the first line (reason and line:column): the parser goes on to quote the lines around
    // the error, and a quoted credential may be cut short, where masking whole values cannot see it.
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new KubeconfigUnreadableError(
      secrets.mask(`Cannot read the kubeconfig from ${source}: ${reason}`),
      'Pass valid kubeconfig YAML in the `kubeconfig` input or set $KUBECONFIG.',
    );
  }
  return new ParsedKubeconfig(config, source, KubeConfigImpl);
}

/** A kubeconfig as read once for a run; `source` names where it came from, for messages. */
export class ParsedKubeconfig {
  constructor(
    private readonly parsed: KubeConfig,
    readonly source: string,
    private readonly KubeConfigImpl: KubeConfigClass,
  ) {}

  /** A copy narrowed to `context` (default: the current-context), or an error naming the contexts there are. */
  forContext(context: string | undefined): KubeConfig {
    const config = new this.KubeConfigImpl();
    config.loadFromOptions({ clusters: this.parsed.clusters, users: this.parsed.users, contexts: this.parsed.contexts, currentContext: this.parsed.getCurrentContext() });
    const contexts = config.getContexts().map((c) => c.name);
    if (context) {
      if (!contexts.includes(context)) {
        throw new KubeconfigContextError(
          `Kubeconfig context "${context}" does not exist in ${this.source}.`,
          `Available contexts: ${contexts.length ? contexts.join(', ') : '(none)'}. Fix the environment's \`context\` in slipway.yaml.`,
        );
      }
      config.setCurrentContext(context);
    }
    const cluster = config.getCurrentCluster();
    if (!cluster) {
      throw new KubeconfigContextError(
        `No cluster is selected in ${this.source} (current context: "${config.getCurrentContext() || 'none'}").`,
        `Set \`context\` for the environment; available contexts: ${contexts.join(', ') || '(none)'}.`,
      );
    }
    return config;
  }
}

/** Reads the kubeconfig and narrows it to `options.context`: for one connection; a run reads once (readKubeconfig). */
export async function loadKubeConfig(options: ConnectOptions): Promise<KubeConfig> {
  return (await readKubeconfig(options)).forContext(options.context);
}

/** The existing files among $KUBECONFIG's paths, else ~/.kube/config if it exists. */
function defaultKubeconfigFiles(kubeconfigPaths: string | undefined): string[] {
  const paths = kubeconfigPaths ? kubeconfigPaths.split(delimiter).filter(Boolean) : [join(homedir(), '.kube', 'config')];
  return paths.filter((path) => existsSync(path));
}

/** Asks the library for TLS options and auth headers (running an exec plugin if configured) and registers the credential it returns. */
export async function resolveSettings(config: KubeConfig, secrets: SecretMask = new SecretMask()): Promise<ConnectionSettings> {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new UserError('The kubeconfig selects no cluster.');
  const options: https.RequestOptions = {};
  try {
    // Reads CA and client-certificate files and runs exec plugins: any of them can fail.
    await config.applyToHTTPSOptions(options);
  } catch (error) {
    throw new UserError(
      secrets.mask(`Cannot authenticate to cluster ${cluster.server} with kubeconfig context "${config.getCurrentContext()}": ${describeAuthFailure(error, secrets)}`),
      'Check the context\'s certificate files and exec plugin (it must be installed on this runner), or the credentials in the kubeconfig.',
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  const authorization = headers.Authorization ?? headers.authorization;
  if (authorization) secrets.add(authorization.replace(/^(Bearer|Basic)\s+/i, ''));
  const contextName = config.getCurrentContext();
  const context = config.getContexts().find((c) => c.name === contextName);
  return {
    server: new URL(cluster.server),
    context: contextName,
    namespace: context?.namespace,
    tls: {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      pfx: options.pfx,
      passphrase: options.passphrase,
      rejectUnauthorized: options.rejectUnauthorized,
      servername: options.servername,
    },
    headers,
    proxyAgent: cluster.proxyUrl ? (options.agent as https.Agent | undefined) : undefined,
    ...(cluster.proxyUrl ? { proxyUrl: cluster.proxyUrl } : {}),
  };
}
