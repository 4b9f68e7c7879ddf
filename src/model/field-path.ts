/**
 * Paths to fields of an object, as `ignoreDifferences` names them: a JSON pointer (RFC 6901,
 * `/metadata/annotations/deployment.kubernetes.io~1revision`, `~1` for `/` and `~0` for `~`) or a
 * dotted path (`spec.replicas`, `webhooks[*].clientConfig.caBundle`,
 * `metadata.annotations["deployment.kubernetes.io/revision"]`). `*` is any key or list item.
 * Field sets from `managedFields` become the same segments (a list item by its key fields).
 */

import { isPlainObject } from './objects.js';

export type FieldSegment =
  /** A map key; on a list, an index when it is all digits. */
  | { key: string }
  /** Every key of a map, every item of a list. */
  | { any: true }
  /** The list item whose fields equal these (a managedFields `k:` key). */
  | { item: Record<string, unknown> }
  /** The list item equal to this value (a managedFields `v:` key). */
  | { value: unknown };

export type FieldPath = readonly FieldSegment[];

/** The segments of `text`, or what is wrong with it. */
export function parseFieldPath(text: string): FieldPath | { problem: string } {
  if (text === '' || text === '/') return { problem: 'points at the whole object; name a field, e.g. /spec/replicas' };
  return text.startsWith('/') ? parsePointer(text) : parseDotted(text);
}

function parsePointer(text: string): FieldPath | { problem: string } {
  const segments: FieldSegment[] = [];
  for (const token of text.slice(1).split('/')) {
    const escape = /~(?![01])./.exec(token) ?? (token.endsWith('~') ? ['~'] : null);
    if (escape) return { problem: `has "${escape[0]}", which is no JSON pointer escape: write ~1 for "/" and ~0 for "~"` };
    if (token === '') return { problem: 'has an empty segment (a doubled or trailing "/")' };
    if (token === '-') return { problem: 'has "-" (the end of a list), which names no field' };
    segments.push(token === '*' ? { any: true } : { key: token.replace(/~1/g, '/').replace(/~0/g, '~') });
  }
  return segments;
}

function parseDotted(text: string): FieldPath | { problem: string } {
  const segments: FieldSegment[] = [];
  let i = text.startsWith('.') ? 1 : 0;
  while (i < text.length) {
    if (text[i] === '[') {
      const quote = text[i + 1];
      if (quote === '"' || quote === "'") {
        const end = text.indexOf(`${quote}]`, i + 2);
        if (end < 0) return { problem: `has an unclosed [${quote}...${quote}]` };
        segments.push({ key: text.slice(i + 2, end) });
        i = end + 2;
      } else {
        const end = text.indexOf(']', i);
        const inner = end < 0 ? '' : text.slice(i + 1, end);
        if (!/^(\d+|\*)$/.test(inner)) return { problem: `has [${inner}${end < 0 ? '' : ']'}: inside brackets write an index ([0]), [*], or a quoted key (["app.kubernetes.io/name"])` };
        segments.push(inner === '*' ? { any: true } : { key: inner });
        i = end + 1;
      }
    } else {
      let end = i;
      while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
      const name = text.slice(i, end);
      if (name === '') return { problem: 'has an empty segment (a doubled or trailing ".")' };
      if (name.includes('/') || name.includes(']')) {
        return { problem: `has "${name}": a path with "/" is a JSON pointer and starts with "/" (/spec/replicas); in a dotted path, quote keys holding "." or "/" (metadata.annotations["deployment.kubernetes.io/revision"])` };
      }
      segments.push(name === '*' ? { any: true } : { key: name });
      i = end;
    }
    if (text[i] === '.') {
      i++;
      if (i === text.length) return { problem: 'has an empty segment (a doubled or trailing ".")' };
    } else if (i < text.length && text[i] !== '[') return { problem: `cannot be read at "${text.slice(i)}"` };
  }
  return segments;
}

/** A JSON pointer for people (`*` for any, a list item by its key fields). */
export function formatFieldPath(path: FieldPath): string {
  return path
    .map((segment) => {
      if ('key' in segment) return `/${segment.key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if ('any' in segment) return '/*';
      if ('item' in segment) return `/[${Object.entries(segment.item).map(([k, v]) => `${k}=${String(v)}`).join(',')}]`;
      return `/[${JSON.stringify(segment.value)}]`;
    })
    .join('');
}

/** The indices of `list` a segment selects. */
function indicesOf(list: unknown[], segment: FieldSegment): number[] {
  if ('any' in segment) return list.map((_, i) => i);
  if ('key' in segment) return /^\d+$/.test(segment.key) && Number(segment.key) < list.length ? [Number(segment.key)] : [];
  if ('item' in segment) {
    const match = segment.item;
    return list.flatMap((item, i) => (isPlainObject(item) && Object.entries(match).every(([k, v]) => jsonEqual(item[k], v)) ? [i] : []));
  }
  return list.flatMap((item, i) => (jsonEqual(item, segment.value) ? [i] : []));
}

/** The keys of `map` a segment selects. */
function keysOf(map: Record<string, unknown>, segment: FieldSegment): string[] {
  if ('any' in segment) return Object.keys(map);
  if ('key' in segment) return Object.prototype.hasOwnProperty.call(map, segment.key) ? [segment.key] : [];
  return [];
}

/**
 * Each field of `value` that `path` reaches, as a path without `*`: a map key, or a list item by
 * the segment that chose it (`k:` items stay selected by their keys, so both sides of a diff agree).
 */
export function expandFieldPath(value: unknown, path: FieldPath): FieldSegment[][] {
  if (path.length === 0) return [[]];
  const [head, ...rest] = path;
  const out: FieldSegment[][] = [];
  if (Array.isArray(value)) {
    for (const index of indicesOf(value, head!)) {
      const chosen: FieldSegment = 'item' in head! || 'value' in head! ? head! : { key: String(index) };
      for (const tail of expandFieldPath(value[index], rest)) out.push([chosen, ...tail]);
    }
  } else if (isPlainObject(value)) {
    for (const key of keysOf(value, head!)) for (const tail of expandFieldPath(value[key], rest)) out.push([{ key }, ...tail]);
  }
  return out;
}

/** The value at a path without `*`, if it is there. */
export function valueAt(value: unknown, path: FieldPath): { found: boolean; value?: unknown } {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current)) {
      const [index] = indicesOf(current, segment);
      if (index === undefined) return { found: false };
      current = current[index];
    } else if (isPlainObject(current)) {
      const [key] = keysOf(current, segment);
      if (key === undefined) return { found: false };
      current = current[key];
    } else return { found: false };
  }
  return { found: true, value: current };
}

/** Sets the value at a path without `*` whose parent exists; returns whether it could. */
export function setValueAt(value: unknown, path: FieldPath, next: unknown): boolean {
  const parent = valueAt(value, path.slice(0, -1));
  const last = path[path.length - 1];
  if (!parent.found || !last) return false;
  if (Array.isArray(parent.value)) {
    const [index] = indicesOf(parent.value, last);
    if (index === undefined) return false;
    parent.value[index] = next;
    return true;
  }
  if (isPlainObject(parent.value) && 'key' in last) {
    parent.value[last.key] = next;
    return true;
  }
  return false;
}

/**
 * Removes every field `paths` reach from `value` (in place). A map or list left empty by the
 * removal goes too, so "emptied" and "absent" compare equal; one that was empty before stays.
 */
export function removeFieldPaths(value: unknown, paths: readonly FieldPath[]): void {
  const touched = new Set<unknown>();
  for (const path of paths) {
    for (const concrete of expandFieldPath(value, path)) {
      const parent = valueAt(value, concrete.slice(0, -1));
      const last = concrete[concrete.length - 1];
      if (!parent.found || !last) continue;
      if (Array.isArray(parent.value)) {
        for (const index of indicesOf(parent.value, last)) parent.value[index] = REMOVED;
        touched.add(parent.value);
      } else if (isPlainObject(parent.value) && 'key' in last) {
        delete parent.value[last.key];
        touched.add(parent.value);
      }
    }
  }
  compact(value, touched);
}

const REMOVED = Symbol('removed');

/** Drops removed list items, then containers the removal emptied; true when `node` itself should go. */
function compact(node: unknown, touched: Set<unknown>): boolean {
  if (Array.isArray(node)) {
    for (let i = node.length - 1; i >= 0; i--) {
      if (node[i] === REMOVED || compact(node[i], touched)) {
        node.splice(i, 1);
        touched.add(node);
      }
    }
    return touched.has(node) && node.length === 0;
  }
  if (isPlainObject(node)) {
    for (const [key, child] of Object.entries(node)) {
      if (compact(child, touched)) {
        delete node[key];
        touched.add(node);
      }
    }
    return touched.has(node) && Object.keys(node).length === 0;
  }
  return false;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}
