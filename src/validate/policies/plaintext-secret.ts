/**
 * Policy `plaintext-secret`: a Secret whose values sit in the repository (base64 is an encoding,
 * not encryption). Messages name the keys, never the values.
 */
import type { EnvironmentConfig } from '../../config/types.js';
import type { Finding } from '../../model/findings.js';
import { isPlainObject, splitApiVersion, type RenderedObject } from '../../model/objects.js';
import { objectFinding } from '../object-finding.js';
import { policySeverity } from './levels.js';

export function checkPlaintextSecrets(objects: readonly RenderedObject[], env: Pick<EnvironmentConfig, 'policies'>): Finding[] {
  const severity = policySeverity(env, 'plaintext-secret');
  if (!severity) return [];
  const findings: Finding[] = [];
  for (const rendered of objects) {
    const object = rendered.object;
    if (object.kind !== 'Secret' || splitApiVersion(String(object.apiVersion ?? '')).group !== '') continue;
    for (const field of ['data', 'stringData'] as const) {
      const values = object[field];
      if (!isPlainObject(values)) continue;
      const keys = Object.keys(values).filter((k) => values[k] !== null && values[k] !== '');
      if (keys.length === 0) continue;
      const shown = keys.length > 5 ? `${keys.slice(0, 5).join(', ')}, … (${keys.length} keys)` : keys.join(', ');
      findings.push(
        objectFinding(
          rendered,
          severity,
          'plaintext-secret',
          `Secret has literal values in ${field} (keys: ${shown}) committed to the repository; keep secret values out of Git with Sealed Secrets, External Secrets or SOPS`,
          [field],
        ),
      );
    }
  }
  return findings;
}
