/**
 * Field paths and field sets as server-side apply sees them (structured-merge-diff), and
 * their `fieldsV1` encoding in managedFields.
 *
 * A path element is kept in its fieldsV1 spelling: `f:name` (map/struct field),
 * `k:{"name":"web"}` (associative list item by key), `v:"x"` (set member), `i:0` (index).
 * A set holds leaves and associative-list items, as the real ToFieldSet does.
 *
 * The server has no schemas, so list types come from the list's field name (see LIST_KEYS):
 * the lists Kubernetes marks `x-kubernetes-list-type: map` in the built-in kinds are
 * associative by their keys; `finalizers` is a set; every other list is atomic.
 */
import { isPlainObject } from '../../../src/model/objects.js';

export type Path = readonly string[];

/** Associative lists of the built-in kinds, by field name, with their key fields. */
const LIST_KEYS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  conditions: ['type'],
  hostAliases: ['ip'],
  resourceClaims: ['name'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
  ownerReferences: ['uid'],
  webhooks: ['name'],
  versions: ['name'],
  readinessGates: ['conditionType'],
};
const SET_LISTS = new Set(['finalizers']);
/** Maps and structs marked atomic (label selectors, Service selector): owned and replaced whole. */
const ATOMIC_MAPS = new Set(['selector', 'podSelector', 'namespaceSelector', 'labelSelector', 'objectSelector', 'roleRef']);

export function isAtomicMap(fieldName: string | undefined): boolean {
  return fieldName !== undefined && ATOMIC_MAPS.has(fieldName);
}

type ListType = { keys: string[] } | 'set' | 'atomic';

function keyValues(item: unknown, keys: string[], defaults: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!isPlainObject(item)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = item[key] ?? defaults[key];
    if (value === undefined) return undefined;
    out[key] = value;
  }
  return out;
}

/** Protocol is part of port keys and defaults to TCP, as the schema's default says. */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

export function listType(fieldName: string | undefined, items: readonly unknown[]): ListType {
  if (fieldName === undefined) return 'atomic';
  if (SET_LISTS.has(fieldName)) return items.every((i) => !isPlainObject(i) && !Array.isArray(i)) ? 'set' : 'atomic';
  let keys = LIST_KEYS[fieldName];
  if (fieldName === 'ports') {
    // Container ports key on containerPort+protocol, Service ports on port+protocol.
    keys = items.every((i) => isPlainObject(i) && i.containerPort !== undefined) ? ['containerPort', 'protocol'] : ['port', 'protocol'];
  }
  if (!keys) return 'atomic';
  const seen = new Set<string>();
  for (const item of items) {
    const key = keyValues(item, keys, KEY_DEFAULTS);
    if (!key) return 'atomic';
    const element = keyElement(key);
    if (seen.has(element)) return 'atomic';
    seen.add(element);
  }
  return { keys };
}

function keyElement(key: Record<string, unknown>): string {
  const sorted = Object.fromEntries(Object.keys(key).sort().map((k) => [k, key[k]]));
  return `k:${JSON.stringify(sorted)}`;
}

export function itemElement(item: unknown, keys: string[]): string {
  return keyElement(keyValues(item, keys, KEY_DEFAULTS) ?? {});
}

function fieldNameOf(path: Path): string | undefined {
  const last = path[path.length - 1];
  return last?.startsWith('f:') ? last.slice(2) : undefined;
}

/**
 * A set of paths; members are compared by their JSON spelling. Set operations reuse the
 * members' spellings instead of spelling every path again.
 */
export class FieldSet {
  private readonly members: Map<string, Path>;

  constructor(members?: Map<string, Path>) {
    this.members = members ?? new Map();
  }

  static of(paths: Iterable<Path>): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.add(p);
    return set;
  }

  add(path: Path): void {
    this.members.set(JSON.stringify(path), path);
  }
  delete(path: Path): void {
    this.members.delete(JSON.stringify(path));
  }
  has(path: Path): boolean {
    return this.members.has(JSON.stringify(path));
  }
  get size(): number {
    return this.members.size;
  }
  paths(): Path[] {
    return [...this.members.values()];
  }
  /** True when some member lies strictly below `path`. */
  hasDescendant(path: Path): boolean {
    for (const member of this.members.values()) {
      if (member.length > path.length && path.every((e, i) => member[i] === e)) return true;
    }
    return false;
  }
  union(other: FieldSet): FieldSet {
    const members = new Map(this.members);
    for (const [key, path] of other.members) if (!members.has(key)) members.set(key, path);
    return new FieldSet(members);
  }
  difference(other: FieldSet): FieldSet {
    if (other.size === 0) return new FieldSet(new Map(this.members));
    return this.filter((key) => !other.members.has(key));
  }
  intersection(other: FieldSet): FieldSet {
    return this.filter((key) => other.members.has(key));
  }
  equals(other: FieldSet): boolean {
    if (this.size !== other.size) return false;
    for (const key of this.members.keys()) if (!other.members.has(key)) return false;
    return true;
  }
  private filter(keep: (key: string) => boolean): FieldSet {
    const members = new Map<string, Path>();
    for (const [key, path] of this.members) if (keep(key)) members.set(key, path);
    return new FieldSet(members);
  }
}

/** Leaves and associative-list items of `value`, below `path`. */
export function collectFields(value: unknown, path: Path = [], into: FieldSet = new FieldSet()): FieldSet {
  if (isPlainObject(value) && isAtomicMap(fieldNameOf(path))) {
    into.add(path);
  } else if (isPlainObject(value)) {
    const keys = Object.keys(value);
    // An empty map is itself a leaf (except the root, which is never a member).
    if (keys.length === 0 && path.length > 0) into.add(path);
    for (const key of keys) collectFields(value[key], [...path, `f:${key}`], into);
  } else if (Array.isArray(value)) {
    const type = listType(fieldNameOf(path), value);
    if (type === 'atomic' || value.length === 0) into.add(path);
    else if (type === 'set') for (const item of value) into.add([...path, `v:${JSON.stringify(item)}`]);
    else {
      for (const item of value) {
        const itemPath = [...path, itemElement(item, type.keys)];
        into.add(itemPath);
        if (isPlainObject(item)) for (const key of Object.keys(item)) collectFields(item[key], [...itemPath, `f:${key}`], into);
      }
    }
  } else if (path.length > 0) {
    into.add(path);
  }
  return into;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function isEmptyComparison(c: Comparison): boolean {
  return c.added.size === 0 && c.modified.size === 0 && c.removed.size === 0;
}

/** Which fields `after` adds, changes or drops relative to `before`. */
export function compareFields(before: unknown, after: unknown): Comparison {
  const out: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareInto(before, after, [], out);
  return out;
}

function compareInto(a: unknown, b: unknown, path: Path, out: Comparison): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void collectFields(b, path, out.added);
  if (b === undefined) return void collectFields(a, path, out.removed);
  if (isPlainObject(a) && isPlainObject(b) && !isAtomicMap(fieldNameOf(path))) {
    const aKeys = Object.keys(a);
    const bKeys = Object.keys(b);
    if (path.length > 0 && (aKeys.length === 0) !== (bKeys.length === 0)) {
      // An empty map is a leaf; becoming non-empty (or empty) changes that leaf.
      if (aKeys.length === 0) out.removed.add(path);
      else out.added.add(path);
    }
    for (const key of new Set([...aKeys, ...bKeys])) compareInto(a[key], b[key], [...path, `f:${key}`], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const name = fieldNameOf(path);
    const ta = listType(name, a);
    const tb = listType(name, b);
    if (ta !== 'atomic' && tb !== 'atomic' && a.length > 0 && b.length > 0 && JSON.stringify(ta) === JSON.stringify(tb)) {
      const elementOf = (item: unknown) => (ta === 'set' ? `v:${JSON.stringify(item)}` : itemElement(item, (ta as { keys: string[] }).keys));
      const before = new Map(a.map((item) => [elementOf(item), item]));
      const after = new Map(b.map((item) => [elementOf(item), item]));
      for (const [element, item] of before) {
        if (!after.has(element)) {
          out.removed.add([...path, element]);
          if (ta !== 'set') collectItemFields(item, [...path, element], out.removed);
        }
      }
      for (const [element, item] of after) {
        const itemPath = [...path, element];
        if (!before.has(element)) {
          out.added.add(itemPath);
          if (ta !== 'set') collectItemFields(item, itemPath, out.added);
        } else if (ta !== 'set') {
          const old = before.get(element) as Record<string, unknown>;
          const now = item as Record<string, unknown>;
          for (const key of new Set([...Object.keys(old), ...Object.keys(now)])) compareInto(old[key], now[key], [...itemPath, `f:${key}`], out);
        }
      }
      return;
    }
  }
  if (!deepEqual(a, b)) {
    if (isPlainObject(a) || Array.isArray(a) || isPlainObject(b) || Array.isArray(b)) {
      // The shape changed: the old leaves are gone and the new ones are new.
      const oldFields = collectFields(a, path);
      const newFields = collectFields(b, path);
      for (const p of oldFields.paths()) if (!newFields.has(p)) out.removed.add(p);
      for (const p of newFields.paths()) (oldFields.has(p) ? out.modified : out.added).add(p);
    } else {
      out.modified.add(path);
    }
  }
}

function collectItemFields(item: unknown, itemPath: Path, into: FieldSet): void {
  if (isPlainObject(item)) for (const key of Object.keys(item)) collectFields(item[key], [...itemPath, `f:${key}`], into);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The fieldsV1 tree: `{"f:spec":{"f:replicas":{}}}`, with `.` where a node is a member and has children. */
export function encodeFieldsV1(set: FieldSet): Record<string, unknown> {
  interface Node {
    member: boolean;
    children: Map<string, Node>;
  }
  const root: Node = { member: false, children: new Map() };
  for (const path of set.paths()) {
    let node = root;
    for (const element of path) {
      let child = node.children.get(element);
      if (!child) node.children.set(element, (child = { member: false, children: new Map() }));
      node = child;
    }
    node.member = true;
  }
  const render = (node: Node): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (node.member && node.children.size > 0) out['.'] = {};
    for (const key of [...node.children.keys()].sort()) out[key] = render(node.children.get(key) as Node);
    return out;
  };
  return render(root);
}

export function decodeFieldsV1(tree: unknown): FieldSet {
  const set = new FieldSet();
  const walk = (node: unknown, path: string[]) => {
    if (!isPlainObject(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) set.add(path);
    for (const key of keys) {
      if (key === '.') set.add(path);
      else walk(node[key], [...path, key]);
    }
  };
  walk(tree, []);
  return set;
}

/** `.spec.template.spec.containers[name="web"].image`, the spelling of conflict messages. */
export function pathString(path: Path): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      if (element.startsWith('f:')) return `.${body}`;
      if (element.startsWith('i:')) return `[${body}]`;
      if (element.startsWith('v:')) return `[=${body}]`;
      const key = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    })
    .join('');
}

/** Finds the container and position `element` names inside `container` (an object or a list). */
function locate(container: unknown, element: string, fieldName: string | undefined): { list?: unknown[]; index?: number; key?: string } {
  if (element.startsWith('f:')) return isPlainObject(container) && element.slice(2) in container ? { key: element.slice(2) } : {};
  if (!Array.isArray(container)) return {};
  if (element.startsWith('i:')) return { list: container, index: Number(element.slice(2)) };
  if (element.startsWith('v:')) {
    const wanted = element.slice(2);
    const index = container.findIndex((item) => JSON.stringify(item) === wanted);
    return index >= 0 ? { list: container, index } : {};
  }
  const type = listType(fieldName, container);
  if (type === 'atomic' || type === 'set') return {};
  const index = container.findIndex((item) => itemElement(item, type.keys) === element);
  return index >= 0 ? { list: container, index } : {};
}

/** Removes the field or list item at `path` from `root` in place; drops maps it leaves empty unless `keep` says otherwise. */
export function removePath(root: Record<string, unknown>, path: Path, keep: (path: Path) => boolean): void {
  const chain: { container: unknown; element: string }[] = [];
  let current: unknown = root;
  for (let i = 0; i < path.length; i++) {
    chain.push({ container: current, element: path[i] });
    const where = locate(current, path[i], fieldNameOf(path.slice(0, i)));
    if (where.key !== undefined) current = (current as Record<string, unknown>)[where.key];
    else if (where.list && where.index !== undefined) current = where.list[where.index];
    else return;
  }
  for (let depth = chain.length - 1; depth >= 0; depth--) {
    const { container, element } = chain[depth];
    const where = locate(container, element, fieldNameOf(path.slice(0, depth)));
    if (where.key !== undefined) delete (container as Record<string, unknown>)[where.key];
    else if (where.list && where.index !== undefined) where.list.splice(where.index, 1);
    // Walk up only while the parent map is now empty and nobody owns it as a leaf.
    const parentPath = path.slice(0, depth);
    if (depth === 0 || !isPlainObject(container) || Object.keys(container).length > 0 || keep(parentPath)) return;
    if (parentPath[parentPath.length - 1]?.startsWith('k:')) return;
  }
}
