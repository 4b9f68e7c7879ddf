/**
 * Whether a server-side apply of `desired` would leave `live` exactly as it is, decided from
 * the live object alone, so an unchanged object costs no dry-run. Server-side apply sets the
 * fields of the applied configuration and removes the fields the manager owned before and no
 * longer sends; nothing else. So when the fields manager `slipway` owns (its one Apply entry
 * in managedFields) are exactly the fields `desired` sets, and every one of them already holds
 * the desired value, the apply has nothing to do.
 *
 * Every doubt answers "may change" (the caller then dry-runs): another entry of the manager,
 * another apiVersion, a value the server may have normalised (`500m` vs `0.5`), a list whose
 * type the managed fields do not show, a key field left to a server default, a reordered list,
 * a null, a status. Correctness over speed: a false "may change" costs one request, a false
 * "unchanged" would skip a write.
 */

import type { KubeObject } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { deepEqual } from './normalize.js';
import { parseJsonOrUndefined } from '../model/json.js';

type Fields = Record<string, unknown>;

interface ManagedEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  fieldsType?: string;
  fieldsV1?: unknown;
  subresource?: string;
}

/** metadata the server sets or that names the object: never part of a field set. */
const IDENTITY_METADATA = new Set(['name', 'namespace']);

export function applyChangesNothing(desired: KubeObject, live: KubeObject, manager: string): boolean {
  if (desired.apiVersion !== live.apiVersion || desired.kind !== live.kind) return false;
  const entries = ((live.metadata?.managedFields ?? []) as ManagedEntry[]).filter((e) => e.manager === manager);
  if (entries.length !== 1) return false;
  const [entry] = entries;
  if (entry.operation !== 'Apply' || entry.subresource || entry.apiVersion !== desired.apiVersion || entry.fieldsType !== 'FieldsV1') return false;
  if (!isPlainObject(entry.fieldsV1)) return false;

  const { apiVersion: _a, kind: _k, metadata, ...rest } = desired;
  const desiredMeta = Object.fromEntries(Object.entries(metadata ?? {}).filter(([key]) => !IDENTITY_METADATA.has(key)));
  const view: Fields = { ...rest };
  if (Object.keys(desiredMeta).length > 0) view.metadata = desiredMeta;
  const liveView: Fields = { ...live, ...(isSecretWithStringData(desired) ? { stringData: decodedData(live) } : {}) };
  return matchMap(view, liveView, entry.fieldsV1);
}

/** Secrets: `stringData` is write-only and stored in `data`, so compare it with the decoded `data`. */
function isSecretWithStringData(object: KubeObject): boolean {
  return object.apiVersion === 'v1' && object.kind === 'Secret' && isPlainObject(object.stringData);
}

function decodedData(live: KubeObject): Fields | undefined {
  if (!isPlainObject(live.data)) return undefined;
  const out: Fields = {};
  for (const [key, value] of Object.entries(live.data)) {
    if (typeof value !== 'string') return undefined;
    out[key] = Buffer.from(value, 'base64').toString('utf8');
  }
  return out;
}

/** Child keys of a fieldsV1 node, without the `.` that marks the node itself. */
function childKeys(node: Fields): string[] {
  return Object.keys(node).filter((key) => key !== '.');
}

function matchMap(desired: Fields, live: unknown, node: Fields): boolean {
  if (!isPlainObject(live)) return false;
  const keys = childKeys(node);
  // Every owned field must still be set (else the apply removes it), and nothing else owned here.
  if (keys.some((key) => !key.startsWith('f:'))) return false;
  const owned = new Set(keys.map((key) => key.slice(2)));
  const wanted = Object.keys(desired);
  if (owned.size !== wanted.length || wanted.some((key) => !owned.has(key))) return false;
  return wanted.every((key) => matchValue(desired[key], live[key], node[`f:${key}`]));
}

function matchValue(desired: unknown, live: unknown, node: unknown): boolean {
  if (!isPlainObject(node)) return false;
  if (desired === null || desired === undefined) return false;
  const leaf = childKeys(node).length === 0;
  if (Array.isArray(desired)) return leaf ? deepEqual(desired, live) : matchList(desired, live, node);
  if (isPlainObject(desired)) {
    // A map that is a leaf of the field set is atomic (a selector) or empty: compared whole.
    if (leaf) return deepEqual(desired, live);
    return matchMap(desired, live, node);
  }
  return leaf && desired === live;
}

function matchList(desired: unknown[], live: unknown, node: Fields): boolean {
  if (!Array.isArray(live)) return false;
  const keys = childKeys(node);
  if (keys.every((key) => key.startsWith('k:'))) return matchKeyedList(desired, live, node, keys);
  if (keys.every((key) => key.startsWith('v:'))) return matchSet(desired, live, keys);
  return false;
}

/**
 * A list of maps keyed by some of their fields (containers by name, ports by containerPort and
 * protocol). A key field the manifest leaves out (protocol) was defaulted when slipway applied
 * it; the item is matched on the fields it names when exactly one owned key fits and slipway
 * does not own the missing field itself (it would if it had once set it explicitly).
 */
function matchKeyedList(desired: unknown[], live: unknown[], node: Fields, keys: string[]): boolean {
  const parsed = keys.map((key) => ({ key, value: parseJsonOrUndefined(key.slice(2)) }));
  if (parsed.some((p) => !isPlainObject(p.value))) return false;
  if (parsed.length !== desired.length) return false;
  const keyNames = Object.keys(parsed[0]?.value as Fields).sort();
  if (parsed.some((p) => Object.keys(p.value as Fields).length !== keyNames.length)) return false;
  let lastIndex = -1;
  const seen = new Set<string>();
  for (const item of desired) {
    if (!isPlainObject(item)) return false;
    const named = keyNames.filter((name) => item[name] !== undefined);
    if (named.length === 0 || keyNames.some((name) => item[name] === null)) return false;
    const candidates = parsed.filter((p) => named.every((name) => deepEqual((p.value as Fields)[name], item[name])));
    if (candidates.length !== 1) return false;
    const [key] = candidates;
    if (seen.has(key.key)) return false;
    seen.add(key.key);
    const itemNode = node[key.key];
    if (!isPlainObject(itemNode)) return false;
    if (keyNames.some((name) => item[name] === undefined && `f:${name}` in itemNode)) return false;
    const fullKey = key.value as Fields;
    // A live item shows the defaulted key field, or (servers that keep it implicit) leaves it out.
    const index = live.findIndex((l) => isPlainObject(l) && keyNames.every((name) => deepEqual(l[name], fullKey[name]) || (l[name] === undefined && item[name] === undefined)));
    // The apply also sets the order of the manager's items: an order that differs is a change.
    if (index <= lastIndex) return false;
    lastIndex = index;
    if (!matchMap(item, live[index], itemNode)) return false;
  }
  return true;
}

/** A list of scalars treated as a set (finalizers, some string lists). */
function matchSet(desired: unknown[], live: unknown[], keys: string[]): boolean {
  if (desired.length !== keys.length) return false;
  const values = keys.map((key) => parseJsonOrUndefined(key.slice(2)));
  let lastIndex = -1;
  for (const item of desired) {
    if (isPlainObject(item) || Array.isArray(item) || item === null) return false;
    if (!values.some((v) => v === item)) return false;
    const index = live.indexOf(item);
    if (index <= lastIndex) return false;
    lastIndex = index;
  }
  return true;
}
