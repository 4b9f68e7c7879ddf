/**
 * Secret values never leave Slipway: not in diffs, logs, comments or error messages.
 * A Secret's `data` / `stringData` values are replaced by markers that still tell a reviewer
 * whether each key was added, removed, changed or kept.
 */

import type { KubeObject } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { isSecret } from './normalize.js';

export const MASK = '***';
export const MASK_BEFORE = '*** (before)';
export const MASK_AFTER = '*** (after)';

const VALUE_FIELDS = ['data', 'stringData'] as const;

/**
 * Masked copies of the two sides of a Secret comparison (either may be undefined for a
 * create or a delete). Non-Secrets are returned as they are.
 */
export function redactPair(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): { before: KubeObject | undefined; after: KubeObject | undefined } {
  if (!isSecret(before) && !isSecret(after)) return { before, after };
  const left = before ? (structuredClone(before) as KubeObject) : undefined;
  const right = after ? (structuredClone(after) as KubeObject) : undefined;
  for (const field of VALUE_FIELDS) {
    const leftValues = left && isPlainObject(left[field]) ? (left[field] as Record<string, unknown>) : undefined;
    const rightValues = right && isPlainObject(right[field]) ? (right[field] as Record<string, unknown>) : undefined;
    for (const key of Object.keys(leftValues ?? {})) {
      const same = rightValues !== undefined && key in rightValues && rightValues[key] === leftValues![key];
      leftValues![key] = same || !rightValues || !(key in rightValues) ? MASK : MASK_BEFORE;
    }
    for (const key of Object.keys(rightValues ?? {})) {
      const original = after && isPlainObject(after[field]) ? (after[field] as Record<string, unknown>)[key] : undefined;
      const previous = before && isPlainObject(before[field]) ? (before[field] as Record<string, unknown>)[key] : undefined;
      rightValues![key] = previous === undefined || previous === original ? MASK : MASK_AFTER;
    }
  }
  for (const side of [left, right]) {
    const annotations = side?.metadata?.annotations;
    if (annotations) delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  }
  return { before: left, after: right };
}

/**
 * Every form in which a Secret's values might be echoed back (by us or by an API server's
 * error message): the base64 text, the decoded text, its JSON-escaped form and its longer lines.
 */
export function secretValuesOf(objects: readonly (KubeObject | undefined)[]): string[] {
  const values = new Set<string>();
  const add = (text: string): void => {
    if (text.length < 3) return;
    values.add(text);
    values.add(JSON.stringify(text).slice(1, -1));
    for (const line of text.split(/\r?\n/)) if (line.trim().length >= 6) values.add(line.trim());
  };
  for (const object of objects) {
    if (!isSecret(object)) continue;
    for (const field of VALUE_FIELDS) {
      const entries = isPlainObject(object![field]) ? Object.values(object![field] as Record<string, unknown>) : [];
      for (const raw of entries) {
        const text = String(raw);
        add(text);
        if (field === 'data') add(Buffer.from(text, 'base64').toString('utf8'));
        else add(Buffer.from(text, 'utf8').toString('base64'));
      }
    }
    const lastApplied = object!.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'];
    if (lastApplied) add(lastApplied);
  }
  return [...values].filter((value) => value.length >= 3);
}

/** Replaces each of `values` (longest first) in `text` with `***`. */
export function maskValues(text: string, values: readonly string[]): string {
  let masked = text;
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (masked.includes(value)) masked = masked.split(value).join(MASK);
  }
  return masked;
}
