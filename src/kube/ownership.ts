/**
 * Who owns which field, read from `metadata.managedFields` (fieldsV1), to report which fields
 * a forced server-side apply took from which other managers.
 */

import type { KubeObject } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

/** fieldsV1 `{"f:spec":{"f:replicas":{}}}` -> `spec.replicas`; list keys `k:{"name":"web"}` -> `[name=web]`. */
function leafPaths(fields: unknown, prefix: string, out: Set<string>): void {
  if (!isPlainObject(fields)) return;
  const keys = Object.keys(fields).filter((key) => key !== '.');
  if (keys.length === 0 && prefix) out.add(prefix);
  for (const key of keys) {
    let segment: string;
    if (key.startsWith('f:')) segment = `${prefix ? `${prefix}.` : ''}${key.slice(2)}`;
    else if (key.startsWith('k:')) {
      let label = key.slice(2);
      try {
        label = Object.entries(JSON.parse(label) as Record<string, unknown>)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(',');
      } catch {
        // Keep the raw key.
      }
      segment = `${prefix}[${label}]`;
    } else if (key.startsWith('v:')) segment = `${prefix}[${key.slice(2)}]`;
    else if (key.startsWith('i:')) segment = `${prefix}[${key.slice(2)}]`;
    else segment = `${prefix}.${key}`;
    leafPaths(fields[key], segment, out);
  }
}

/** Manager name -> leaf field paths it owns (main resource only, not subresources like status). */
export function fieldOwners(object: KubeObject | undefined): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  const entries = (object?.metadata?.managedFields ?? []) as ManagedFieldsEntry[];
  for (const entry of entries) {
    if (entry.subresource || !entry.manager) continue;
    const paths = owners.get(entry.manager) ?? new Set<string>();
    leafPaths(entry.fieldsV1, '', paths);
    owners.set(entry.manager, paths);
  }
  return owners;
}

export interface TakenFields {
  manager: string;
  fields: string[];
}

/** Fields `manager` owns after the apply that another manager owned before and no longer does. */
export function fieldsTaken(before: KubeObject | undefined, after: KubeObject | undefined, manager: string): TakenFields[] {
  const previous = fieldOwners(before);
  const current = fieldOwners(after);
  const ours = current.get(manager) ?? new Set<string>();
  const taken: TakenFields[] = [];
  for (const [other, paths] of previous) {
    if (other === manager) continue;
    const still = current.get(other) ?? new Set<string>();
    const fields = [...paths].filter((path) => ours.has(path) && !still.has(path)).sort();
    if (fields.length) taken.push({ manager: other, fields });
  }
  return taken.sort((a, b) => a.manager.localeCompare(b.manager));
}

export function describeTaken(taken: readonly TakenFields[]): string {
  return taken.map((t) => `${t.fields.join(', ')} from "${t.manager}"`).join('; ');
}
