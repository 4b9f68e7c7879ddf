/** A kubeconfig for the loopback server: its CA inline and a bearer token, like a service-account kubeconfig. */
import YAML from 'yaml';

export interface KubeconfigOptions {
  context?: string;
  namespace?: string;
  token?: string;
}

export function renderKubeconfig(url: string, caPem: string, token: string, options: KubeconfigOptions = {}): string {
  const context = options.context ?? 'fake';
  const cluster = `${context}-cluster`;
  const user = `${context}-user`;
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: user, user: { token: options.token ?? token } }],
    contexts: [{ name: context, context: { cluster, user, ...(options.namespace ? { namespace: options.namespace } : {}) } }],
    'current-context': context,
    preferences: {},
  });
}
