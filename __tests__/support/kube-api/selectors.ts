/** Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors (=, ==, !=) on list requests. */
import { isPlainObject, type KubeObject } from '../../../src/model/objects.js';
import { errors } from './status.js';

type Predicate = (object: KubeObject) => boolean;

/** Splits on commas that are not inside `in (...)` parentheses. */
function requirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

export function labelSelector(selector: string | undefined): Predicate {
  if (!selector) return () => true;
  const checks = requirements(selector).map((req): ((labels: Record<string, string>) => boolean) => {
    let m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
    if (m) {
      const [, key, op, list] = m;
      const values = list.split(',').map((v) => v.trim()).filter(Boolean);
      return op === 'in' ? (l) => key in l && values.includes(l[key]) : (l) => !(key in l) || !values.includes(l[key]);
    }
    m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(req);
    if (m) {
      const [, key, op, value] = m;
      return op === '!=' ? (l) => l[key] !== value : (l) => l[key] === value;
    }
    m = /^!\s*([^\s!=(),]+)$/.exec(req);
    if (m) {
      const key = m[1];
      return (l) => !(key in l);
    }
    m = /^([^\s!=(),]+)$/.exec(req);
    if (m) {
      const key = m[1];
      return (l) => key in l;
    }
    throw errors.badRequest(`unable to parse requirement: found '${req}', expected: in, notin, =, ==, !=, gt, lt`);
  });
  return (object) => {
    const labels = object.metadata?.labels ?? {};
    return checks.every((check) => check(labels));
  };
}

function valueAt(object: unknown, path: string): string {
  let node = object;
  for (const part of path.split('.')) node = isPlainObject(node) ? node[part] : undefined;
  return node === undefined || node === null ? '' : String(node);
}

/** Field selectors on any dotted path (the real server allows only a few per kind). */
export function fieldSelector(selector: string | undefined): Predicate {
  if (!selector) return () => true;
  const checks = requirements(selector).map((req): Predicate => {
    const m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(req);
    if (!m) throw errors.badRequest(`invalid selector: '${selector}'; can't understand '${req}'`);
    const [, path, op, value] = m;
    return op === '!=' ? (o) => valueAt(o, path) !== value : (o) => valueAt(o, path) === value;
  });
  return (object) => checks.every((check) => check(object));
}
