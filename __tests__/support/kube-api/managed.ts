/**
 * managedFields bookkeeping: who owns which field, updated the way the real field manager
 * does for apply (with conflicts) and for every other write (ownership moves to the writer).
 */
import { isPlainObject, type KubeObject } from '../../../src/model/objects.js';
import { compareFields, decodeFieldsV1, encodeFieldsV1, FieldSet, isEmptyComparison, pathString, type Comparison, type Path } from './fields.js';
import { errors, type StatusCause } from './status.js';

export interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  set: FieldSet;
}

function managerId(m: Pick<Manager, 'manager' | 'operation' | 'subresource'>): string {
  return `${m.manager}\u0000${m.operation}\u0000${m.subresource ?? ''}`;
}

export function readManagers(object: KubeObject | undefined): Manager[] {
  const entries = object?.metadata?.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries.filter(isPlainObject).map((e) => ({
    manager: String(e.manager ?? ''),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: String(e.apiVersion ?? ''),
    time: String(e.time ?? ''),
    ...(e.subresource ? { subresource: String(e.subresource) } : {}),
    set: decodeFieldsV1(e.fieldsV1),
  }));
}

export function writeManagers(managers: Manager[]): Record<string, unknown>[] {
  return managers.map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    time: m.time,
    fieldsType: 'FieldsV1',
    fieldsV1: encodeFieldsV1(m.set),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}

function sameManagers(a: Manager[], b: Manager[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((m) => {
    const other = b.find((o) => managerId(o) === managerId(m));
    return other !== undefined && other.set.equals(m.set) && other.apiVersion === m.apiVersion;
  });
}

/** How conflict messages name a manager: appliers by name, updaters with their API version. */
function describeManager(m: Manager): string {
  let text = JSON.stringify(m.manager);
  if (m.subresource) text += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${text} using ${m.apiVersion}` : text;
}

function conflictError(conflicts: { manager: Manager; path: Path }[]): Error {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.manager)}`,
    field: pathString(c.path),
  }));
  if (conflicts.length === 1) {
    const [c] = conflicts;
    return errors.applyConflict(`Apply failed with 1 conflict: conflict with ${describeManager(c.manager)}: ${pathString(c.path)}`, causes);
  }
  const byManager = new Map<string, { manager: Manager; paths: string[] }>();
  for (const c of conflicts) {
    const id = managerId(c.manager);
    const entry = byManager.get(id) ?? { manager: c.manager, paths: [] };
    entry.paths.push(pathString(c.path));
    byManager.set(id, entry);
  }
  const lines: string[] = [];
  for (const entry of [...byManager.values()].sort((a, b) => a.manager.manager.localeCompare(b.manager.manager))) {
    lines.push(`conflicts with ${describeManager(entry.manager)}:`);
    for (const p of entry.paths.sort()) lines.push(`- ${p}`);
  }
  return errors.applyConflict(`Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`, causes);
}

export interface OwnershipChange {
  managers: Manager[];
  comparison: Comparison;
  /** Object content or ownership changed: the write must happen. */
  changed: boolean;
}

/**
 * Ownership after an apply by `applier` whose configuration covers `configSet`, given the
 * object's fields before (`before`) and after the merge (`after`), both already reduced to
 * the fields that count (see `ownedView`). Throws the real 409 on conflicts unless forced.
 */
export function applyOwnership(args: {
  managers: Manager[];
  applier: Omit<Manager, 'set' | 'time'>;
  configSet: FieldSet;
  before: unknown;
  after: unknown;
  force: boolean;
  now: string;
}): OwnershipChange {
  const comparison = compareFields(args.before, args.after);
  const changedFields = comparison.modified.union(comparison.added);
  const id = managerId(args.applier);
  const conflicts: { manager: Manager; path: Path }[] = [];
  const next: Manager[] = [];
  for (const m of args.managers) {
    if (managerId(m) === id) continue;
    const clash = m.set.intersection(changedFields);
    for (const path of clash.paths()) conflicts.push({ manager: m, path });
    next.push({ ...m, set: m.set.difference(clash).difference(comparison.removed) });
  }
  if (conflicts.length > 0 && !args.force) throw conflictError(conflicts);
  const previous = args.managers.find((m) => managerId(m) === id);
  const mine: Manager = { ...args.applier, time: previous?.time ?? args.now, set: args.configSet };
  const managers = [...next, mine].filter((m) => m.set.size > 0);
  // Keep the applier where it was in the list, as the real server does.
  const ordered = orderLike(args.managers, managers);
  const changed = !isEmptyComparison(comparison) || !sameManagers(args.managers, ordered);
  if (changed) for (const m of ordered) if (managerId(m) === id) m.time = args.now;
  return { managers: ordered, comparison, changed };
}

/** Ownership after a non-apply write by `updater`: it takes every field it changed. */
export function updateOwnership(args: {
  managers: Manager[];
  updater: Omit<Manager, 'set' | 'time'>;
  before: unknown;
  after: unknown;
  now: string;
}): OwnershipChange {
  const comparison = compareFields(args.before, args.after);
  const taken = comparison.modified.union(comparison.added);
  const id = managerId(args.updater);
  const next: Manager[] = [];
  let mine: Manager | undefined;
  for (const m of args.managers) {
    if (managerId(m) === id) mine = m;
    else next.push({ ...m, set: m.set.difference(taken).difference(comparison.removed) });
  }
  const changed = !isEmptyComparison(comparison);
  const set = (mine?.set ?? new FieldSet()).difference(comparison.removed).union(taken);
  const updated: Manager = { ...args.updater, time: changed ? args.now : (mine?.time ?? args.now), set };
  const managers = orderLike(args.managers, [...next, updated].filter((m) => m.set.size > 0));
  return { managers, comparison, changed: changed || !sameManagers(args.managers, managers) };
}

function orderLike(previous: Manager[], managers: Manager[]): Manager[] {
  const rank = (m: Manager) => {
    const i = previous.findIndex((p) => managerId(p) === managerId(m));
    return i < 0 ? previous.length : i;
  };
  return [...managers].sort((a, b) => rank(a) - rank(b));
}
