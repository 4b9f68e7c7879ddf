/**
 * Why the library could not produce credentials for a cluster, fit for an error message that may
 * end up in a public PR comment. An exec credential plugin's stderr is its own debug output: it is
 * masked, then cut to its last lines (where the reason usually is), each of bounded length. A
 * plugin's stdout carries the credential itself, so a parse error (which quotes the start of it)
 * is never shown.
 */
import type { SecretMask } from '../exec/secrets.js';

const KEPT_LINES = 10;
const MAX_LINE_CHARS = 300;

/** `secrets`: masked before lines are cut, so a cut never leaves part of a secret. */
export function describeAuthFailure(error: unknown, secrets: SecretMask): string {
  if (error instanceof SyntaxError) {
    return 'the exec plugin printed something that is not an ExecCredential (JSON with status.token or a client certificate); its output is not shown because it may hold a credential';
  }
  const text = secrets.mask(error instanceof Error ? error.message : String(error));
  const lines = text.trim().split(/\r?\n/);
  const kept = lines.slice(-KEPT_LINES).map((line) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… (line cut)` : line));
  const dropped = lines.length - kept.length;
  return (dropped > 0 ? `(${dropped} earlier lines of the plugin's stderr are not shown)\n` : '') + kept.join('\n');
}
