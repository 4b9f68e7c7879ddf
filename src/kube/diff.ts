/** Unified diff of two objects as YAML with a stable key order, Secret values masked. */

import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { ChangeEntry } from '../model/changeset.js';
import type { KubeObject, ObjectRef } from '../model/objects.js';
import { describeRef, isPlainObject } from '../model/objects.js';
import { redactPair } from './redact.js';

/** Top-level fields people expect first; the rest alphabetical. */
const LEADING_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

function sortKeys(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const keys = Object.keys(value).sort((a, b) => {
    if (depth === 0) {
      const ia = LEADING_KEYS.indexOf(a);
      const ib = LEADING_KEYS.indexOf(b);
      if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const sorted: Record<string, unknown> = {};
  for (const key of keys) sorted[key] = sortKeys(value[key], depth + 1);
  return sorted;
}

/** YAML must quote `*** (before)` (a leading `*` is an alias); the diff is for people, so show the markers bare. */
const QUOTED_MASK = /(["'])(\*\*\*(?: \((?:before|after)\))?)\1/g;

export function toStableYaml(object: KubeObject | undefined): string {
  return object === undefined ? '' : stringify(sortKeys(object), { lineWidth: 0 }).replace(QUOTED_MASK, '$2');
}

/** What the two sides of a diff are: the cluster against Git, or two renders. */
export type DiffSides = { before: 'live'; after: 'desired' } | { before: 'base'; after: 'head' };
export const CLUSTER_SIDES: DiffSides = { before: 'live', after: 'desired' };
export const RENDER_SIDES: DiffSides = { before: 'base', after: 'head' };

/**
 * `entry` with its `diff` written on first read, then kept: a deploy that reports only counts
 * never renders the YAML of every object it creates. The property is enumerable, so copies,
 * JSON and comparisons see the text as if it had been there from the start.
 */
export function withLazyDiff(entry: Omit<ChangeEntry, 'diff'>, render: () => string): ChangeEntry {
  let text: string | undefined;
  return Object.defineProperty(entry, 'diff', {
    enumerable: true,
    configurable: true,
    get: () => (text ??= render()),
    set: (value: string) => (text = value),
  }) as ChangeEntry;
}

/**
 * Diff of normalised objects (`before` live or base, `after` desired or head; either may be
 * undefined). Returns '' when they print the same. Secret values are masked before anything is printed.
 */
export function diffObjects(ref: ObjectRef, before: KubeObject | undefined, after: KubeObject | undefined, context = 3, sides: DiffSides = CLUSTER_SIDES): string {
  const redacted = redactPair(before, after);
  const left = toStableYaml(redacted.before);
  const right = toStableYaml(redacted.after);
  if (left === right) return '';
  const name = describeRef(ref);
  const patch = createTwoFilesPatch(`${sides.before}/${name}`, `${sides.after}/${name}`, left, right, undefined, undefined, { context });
  // Drop jsdiff's "=====" separator line; keep ---/+++ and hunks.
  return patch.replace(/^=+\n/, '');
}
