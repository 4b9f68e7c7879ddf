/**
 * The ways a request body combines with a stored object: the server-side apply merge,
 * JSON merge patch (RFC 7386), JSON patch (RFC 6902), and strategic merge patch approximated
 * as a merge patch that merges associative lists by key instead of replacing them.
 */
import { isPlainObject } from '../../../src/model/objects.js';
import { isAtomicMap, itemElement, listType } from './fields.js';
import { clone } from './clone.js';
import { errors } from './status.js';

/**
 * Merges an applied configuration into the live object: maps recursively, associative lists
 * item by item (live order kept, new items appended), everything else replaced.
 * `null` in the configuration removes the field.
 */
export function applyMerge(live: unknown, config: unknown, fieldName?: string): unknown {
  if (isPlainObject(live) && isPlainObject(config) && !isAtomicMap(fieldName)) {
    const out: Record<string, unknown> = { ...live };
    for (const [key, value] of Object.entries(config)) {
      if (value === null) delete out[key];
      else out[key] = applyMerge(live[key], value, key);
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(config) && live.length > 0) {
    const type = listType(fieldName, live);
    const configType = listType(fieldName, config);
    if (type === 'set' && configType === 'set') {
      const seen = new Set(live.map((v) => JSON.stringify(v)));
      return [...clone(live), ...config.filter((v) => !seen.has(JSON.stringify(v)))];
    }
    if (type !== 'atomic' && type !== 'set' && JSON.stringify(type) === JSON.stringify(configType)) {
      const byKey = new Map(config.map((item) => [itemElement(item, type.keys), item]));
      const out = live.map((item) => {
        const element = itemElement(item, type.keys);
        const update = byKey.get(element);
        byKey.delete(element);
        return update === undefined ? clone(item) : applyMerge(item, update);
      });
      return [...out, ...[...byKey.values()].map((item) => clone(item))];
    }
  }
  return clone(config);
}

/** RFC 7386. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/**
 * Strategic merge patch without schemas: a merge patch whose associative lists (containers by
 * name, ports by port, ...) merge by key. `$patch`, `$retainKeys` and
 * `$setElementOrder` directives are dropped (approximation).
 */
export function strategicMergePatch(target: unknown, patch: unknown, fieldName?: string): unknown {
  if (isPlainObject(patch)) {
    const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) continue;
      if (key.startsWith('$setElementOrder/')) continue;
      if (value === null) delete out[key];
      else out[key] = strategicMergePatch(out[key], value, key);
    }
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(target) && target.length > 0) {
    const type = listType(fieldName, target);
    if (type !== 'atomic' && type !== 'set' && JSON.stringify(type) === JSON.stringify(listType(fieldName, patch))) {
      const byKey = new Map(patch.map((item) => [itemElement(item, type.keys), item]));
      const out: unknown[] = [];
      for (const item of target) {
        const element = itemElement(item, type.keys);
        const update = byKey.get(element);
        byKey.delete(element);
        if (isPlainObject(update) && update.$patch === 'delete') continue;
        out.push(update === undefined ? clone(item) : strategicMergePatch(item, update));
      }
      return [...out, ...[...byKey.values()].filter((i) => !(isPlainObject(i) && i.$patch === 'delete'))];
    }
  }
  return clone(patch);
}

interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw errors.badRequest(`json patch path ${JSON.stringify(path)} must start with /`);
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, tokens: string[], op: string): { parent: unknown; last: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : isPlainObject(node) ? node[token] : undefined;
    if (node === undefined) throw jsonPatchError(op, tokens);
  }
  return { parent: node, last: tokens[tokens.length - 1] };
}

function jsonPatchError(op: string, tokens: string[]): Error {
  return errors.unprocessable(`${op} operation does not apply: doc is missing path: "/${tokens.join('/')}": missing value`);
}

/** RFC 6902: add, remove, replace, move, copy, test. */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw errors.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  const get = (tokens: string[]): unknown => {
    let node = doc;
    for (const t of tokens) {
      node = Array.isArray(node) ? node[Number(t)] : isPlainObject(node) ? node[t] : undefined;
      if (node === undefined) return undefined;
    }
    return node;
  };
  const remove = (tokens: string[], op: string): unknown => {
    const { parent, last } = parentOf(doc, tokens, op);
    if (Array.isArray(parent)) return parent.splice(Number(last), 1)[0];
    if (!isPlainObject(parent) || !(last in parent)) throw jsonPatchError(op, tokens);
    const value = parent[last];
    delete parent[last];
    return value;
  };
  const add = (tokens: string[], value: unknown, op: string, replace: boolean) => {
    if (tokens.length === 0) {
      doc = clone(value);
      return;
    }
    const { parent, last } = parentOf(doc, tokens, op);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (replace) parent[index] = clone(value);
      else parent.splice(index, 0, clone(value));
    } else if (isPlainObject(parent)) {
      if (replace && !(last in parent)) throw jsonPatchError(op, tokens);
      parent[last] = clone(value);
    } else throw jsonPatchError(op, tokens);
  };
  for (const raw of operations as JsonPatchOperation[]) {
    const tokens = pointer(raw.path);
    switch (raw.op) {
      case 'add':
        add(tokens, raw.value, raw.op, false);
        break;
      case 'remove':
        remove(tokens, raw.op);
        break;
      case 'replace':
        add(tokens, raw.value, raw.op, true);
        break;
      case 'move':
        add(tokens, remove(pointer(raw.from ?? ''), raw.op), raw.op, false);
        break;
      case 'copy':
        add(tokens, get(pointer(raw.from ?? '')), raw.op, false);
        break;
      case 'test':
        if (JSON.stringify(get(tokens)) !== JSON.stringify(raw.value)) throw errors.unprocessable('testing value failed');
        break;
      default:
        throw errors.badRequest(`Unexpected kind: ${raw.op}`);
    }
  }
  return doc;
}
