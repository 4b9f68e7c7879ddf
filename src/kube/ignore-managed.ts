/** Field paths from `metadata.managedFields` (fieldsV1): what a manager owns, as FieldPath segments. */

import { type FieldPath, type FieldSegment, valueAt } from '../model/field-path.js';
import { deepEqual } from './normalize.js';
import type { KubeObject } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { parseJsonOrUndefined } from '../model/json.js';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
}

export function managedEntries(object: KubeObject | undefined): ManagedFieldsEntry[] {
  const entries = object?.metadata?.managedFields;
  return Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : [];
}

/** The leaf fields of a fieldsV1 set; a node owned itself (`.`) with no children is a leaf too. */
export function ownedPaths(fieldsV1: unknown): FieldPath[] {
  const out: FieldPath[] = [];
  walk(fieldsV1, [], out);
  return out;
}

function walk(node: unknown, prefix: FieldSegment[], out: FieldPath[]): void {
  if (!isPlainObject(node)) return;
  const keys = Object.keys(node).filter((key) => key !== '.');
  if (keys.length === 0) {
    if (prefix.length > 0) out.push(prefix);
    return;
  }
  for (const key of keys) {
    const segment = segmentOf(key);
    if (segment) walk(node[key], [...prefix, segment], out);
  }
}

function segmentOf(key: string): FieldSegment | undefined {
  const body = key.slice(2);
  switch (key.slice(0, 2)) {
    case 'f:':
      return { key: body };
    case 'i:':
      return { key: body };
    case 'k:': {
      const item = parseJsonOrUndefined(body);
      return isPlainObject(item) ? { item } : undefined;
    }
    case 'v:': {
      const value = parseJsonOrUndefined(body);
      return value === undefined ? undefined : { value };
    }
    default:
      return undefined;
  }
}

/**
 * Whether `manager` owns the field at `path` of `object` (a path without `*`, as
 * expandFieldPath gives it): its fieldsV1 reaches that field, list items matched by key.
 */
export function ownsField(live: KubeObject, manager: string, path: FieldPath): boolean {
  return managedEntries(live).some((entry) => entry.manager === manager && reaches(entry.fieldsV1, live, path));
}

function reaches(fields: unknown, value: unknown, path: FieldPath): boolean {
  let node = fields;
  let current = value;
  for (const segment of path) {
    if (!isPlainObject(node)) return false;
    if (Array.isArray(current)) {
      const picked = valueAt(current, [segment]);
      if (!picked.found) return false;
      const item = picked.value;
      const index = current.indexOf(item);
      const next = Object.keys(node).find((key) => {
        const owned = segmentOf(key);
        if (!owned) return false;
        if ('item' in owned) return isPlainObject(item) && Object.entries(owned.item).every(([k, v]) => deepEqual(item[k], v));
        if ('value' in owned) return deepEqual(owned.value, item);
        return key.startsWith('i:') && 'key' in owned && Number(owned.key) === index;
      });
      if (next === undefined) return false;
      node = node[next];
      current = item;
    } else {
      if (!('key' in segment)) return false;
      node = node[`f:${segment.key}`];
      current = isPlainObject(current) ? current[segment.key] : undefined;
    }
    if (node === undefined) return false;
  }
  return true;
}
