/**
 * The credential values inside a kubeconfig, for masking. Masking the whole file line by line
 * would also mask harmless lines such as `apiVersion: v1` in every diff and log, so only the
 * values of credential fields are taken.
 */
import { parse } from 'yaml';

const CREDENTIAL_KEYS = new Set([
  'token',
  'password',
  'client-key-data',
  'client-certificate-data',
  'id-token',
  'refresh-token',
  'access-token',
  'client-secret',
  'idp-certificate-authority-data',
]);

export function kubeconfigSecrets(content: string): string[] {
  let document: unknown;
  try {
    document = parse(content, { maxAliasCount: 100 });
  } catch {
    // Not YAML we can read: mask every substantial line rather than risk a leak.
    return content.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length >= 16);
  }
  const found: string[] = [];
  collect(document, undefined, found);
  return found;
}

function collect(node: unknown, key: string | undefined, found: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collect(item, key, found);
    return;
  }
  if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    // exec plugin environment: [{ name, value }] where value is often a credential.
    if (key === 'env' && typeof record.value === 'string') found.push(record.value);
    for (const [childKey, value] of Object.entries(record)) collect(value, childKey === 'env' ? 'env' : childKey, found);
    return;
  }
  if (typeof node === 'string' && key !== undefined && CREDENTIAL_KEYS.has(key) && node.length > 0) found.push(node);
}
