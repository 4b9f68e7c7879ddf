/**
 * Lists the API declares as maps (`x-kubernetes-list-type: map`) may not hold two items with the
 * same key once defaults are applied: server-side apply refuses them ("duplicate entries for
 * key"). Sets (`x-kubernetes-list-type: set`) may not repeat a value.
 */
import { isPlainObject } from '../../model/objects.js';
import { formatPath, type PathSegment } from '../json-path.js';
import type { ServerIssue } from './issue.js';

/** Reports each item of `list` whose `keys` (after `defaults`) repeat an earlier item's. */
export function checkListMapKeys(
  list: readonly unknown[],
  path: PathSegment[],
  keys: readonly string[],
  defaults: Readonly<Record<string, unknown>>,
  out: ServerIssue[],
): void {
  if (list.length < 2) return;
  const seen = new Map<unknown, number>();
  list.forEach((item, i) => {
    if (!isPlainObject(item)) return;
    const values = keys.map((key) => item[key] ?? defaults[key]);
    if (values.some((v) => v === undefined || v === null)) return;
    // One scalar key (a name) is its own identity; several are joined unambiguously.
    const identity = values.length === 1 && typeof values[0] !== 'object' ? values[0] : JSON.stringify(values);
    const first = seen.get(identity);
    if (first === undefined) {
      seen.set(identity, i);
      return;
    }
    const shown = keys.map((key, k) => `${key}=${JSON.stringify(values[k])}`).join(', ');
    out.push({
      rule: 'list-map-duplicate',
      path: [...path, i],
      message: `duplicate entries for key [${shown}]: ${formatPath([...path, first])} has the same key; server-side apply refuses the object`,
    });
  });
}

/** Reports each repeated value of a set-typed list. */
export function checkListSet(list: readonly unknown[], path: PathSegment[], out: ServerIssue[]): void {
  if (list.length < 2) return;
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const identity = JSON.stringify(item);
    const first = seen.get(identity);
    if (first === undefined) seen.set(identity, i);
    else out.push({ rule: 'list-map-duplicate', path: [...path, i], message: `duplicate value ${identity} in a set: ${formatPath([...path, first])} holds it already` });
  });
}
