/**
 * Values that must never be printed: tokens, kubeconfig credentials. Every piece of output
 * that may carry text from outside (errors, logs, comments, summaries) passes through
 * `maskSecrets`. The action also registers each value with `core.setSecret`.
 */
const registered = new Set<string>();

/** Registers a value (and its base64 form) to be masked; short values are ignored as too noisy to mask. */
export function registerSecret(value: string | undefined): void {
  if (!value) return;
  for (const line of value.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.length >= 6) {
      registered.add(trimmed);
      registered.add(Buffer.from(trimmed, 'utf8').toString('base64'));
    }
  }
}

export function maskSecrets(text: string): string {
  let masked = text;
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...registered].sort((a, b) => b.length - a.length)) {
    if (masked.includes(secret)) masked = masked.split(secret).join('***');
  }
  return masked;
}

/** For tests. */
export function clearSecrets(): void {
  registered.clear();
}
