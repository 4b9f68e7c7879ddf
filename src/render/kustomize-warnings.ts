/**
 * kustomize's warnings (deprecated fields and the like) as notices. kustomize prints them on
 * stderr without saying which kustomization they are about; when a warning quotes a field
 * (`'patchesStrategicMerge' is deprecated`), the notice points at each kustomization of the
 * environment that uses that key, else at the environment's own kustomization.
 */
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { isMap, isPair, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Finding } from '../model/findings.js';

const WARNING = /^\s*(?:#\s*)?Warning:\s*(.+)$/i;
const QUOTED_FIELD = /'([A-Za-z0-9]+)'/;

/** One notice per warning and kustomization; `kustomizations` are absolute, the environment's own first. */
export async function kustomizeWarnings(stderr: string, kustomizations: readonly string[], rootReal: string, envPath: string): Promise<Finding[]> {
  const warnings = [...new Set(stderr.split('\n').flatMap((line) => WARNING.exec(line)?.[1]?.trim() ?? []))];
  if (warnings.length === 0) return [];
  const keyLines = await Promise.all(kustomizations.map((file) => topLevelKeys(file)));
  const findings: Finding[] = [];
  for (const warning of warnings) {
    const message = `kustomize: ${warning}`;
    const field = QUOTED_FIELD.exec(warning)?.[1];
    const users = field ? kustomizations.flatMap((file, i) => (keyLines[i]!.has(field) ? [{ file, line: keyLines[i]!.get(field)! }] : [])) : [];
    if (users.length === 0) {
      const own = kustomizations[0];
      findings.push({ severity: 'notice', rule: 'kustomize-warning', message, file: own ? repoPath(rootReal, own) : envPath });
      continue;
    }
    for (const user of users) findings.push({ severity: 'notice', rule: 'kustomize-warning', message, file: repoPath(rootReal, user.file), line: user.line, column: 1 });
  }
  return findings;
}

/** Top-level keys of a kustomization file and their lines. */
async function topLevelKeys(file: string): Promise<Map<string, number>> {
  const keys = new Map<string, number>();
  const text = await readFile(file, 'utf8').catch(() => '');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (!isMap(doc.contents)) return keys;
  for (const pair of doc.contents.items) {
    if (isPair(pair) && isScalar(pair.key) && pair.key.range) keys.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
  }
  return keys;
}

function repoPath(rootReal: string, file: string): string {
  return relative(rootReal, file).split(sep).join('/');
}
