/**
 * `ignoreDifferences`: fields left out of every comparison (preview diffs, drift, the "changed"
 * decision) and, like Argo CD's RespectIgnoreDifferences, not applied over the live value.
 * One set of rules per environment: the config's (`defaults:` then the environment's) plus the
 * built-in ones (ignore-defaults.ts).
 */

import type { EnvironmentConfig, IgnoreDifferencesRule } from '../config/types.js';
import { expandFieldPath, type FieldPath, parseFieldPath, removeFieldPaths, setValueAt, valueAt } from '../model/field-path.js';
import { compileGlob } from '../model/glob.js';
import type { KubeObject, ObjectRef, RenderedObject } from '../model/objects.js';
import { FIELD_MANAGER } from './client.js';
import { type AutoscaledTargets, autoscaledTargets, builtInIgnored } from './ignore-defaults.js';
import { managedEntries, ownedPaths, ownsField } from './ignore-managed.js';
import { deepEqual, isSecret, secretToDataForm } from './normalize.js';

type Match = (text: string) => boolean;

interface CompiledRule {
  group?: Match;
  kind?: Match;
  name?: Match;
  namespace?: Match;
  paths: FieldPath[];
  managers: Match[];
}

export interface IgnoreRules {
  rules: CompiledRule[];
  autoscaled: AutoscaledTargets;
}

/** The environment's rules, with the render's autoscalers (whose targets' replicas are ignored). */
export function ignoreRulesOf(env: Pick<EnvironmentConfig, 'ignoreDifferences'>, objects: readonly RenderedObject[]): IgnoreRules {
  return { rules: (env.ignoreDifferences ?? []).map(compileRule), autoscaled: autoscaledTargets(objects) };
}

function compileRule(rule: IgnoreDifferencesRule): CompiledRule {
  const paths = rule.jsonPointers.flatMap((text) => {
    const parsed = parseFieldPath(text);
    return 'problem' in parsed ? [] : [parsed];
  });
  return {
    group: rule.group === undefined ? undefined : rule.group === '' ? (group) => group === '' : glob(rule.group),
    kind: glob(rule.kind),
    name: glob(rule.name),
    namespace: glob(rule.namespace),
    paths,
    managers: rule.managedFieldsManagers.map((manager) => glob(manager)!),
  };
}

/** Config loading checked every glob, so one that does not compile matches nothing. */
function glob(pattern: string | undefined): Match | undefined {
  if (pattern === undefined) return undefined;
  const compiled = compileGlob(pattern);
  return typeof compiled === 'string' ? () => false : compiled;
}

function matches(rule: CompiledRule, ref: ObjectRef): boolean {
  return (
    (!rule.group || rule.group(ref.group)) &&
    (!rule.kind || rule.kind(ref.kind)) &&
    (!rule.name || rule.name(ref.name)) &&
    (!rule.namespace || rule.namespace(ref.namespace))
  );
}

/** The fields ignored for one object: its rules' pointers, the fields their managers own in `live`, the built-in ones. */
export function ignoredFields(ignore: IgnoreRules, ref: ObjectRef, desired: KubeObject | undefined, live: KubeObject | undefined): FieldPath[] {
  const paths: FieldPath[] = [];
  for (const rule of ignore.rules) {
    if (!matches(rule, ref)) continue;
    paths.push(...rule.paths);
    if (rule.managers.length === 0 || !live) continue;
    for (const entry of managedEntries(live)) {
      // Slipway's own fields are what the manifest sets: a glob as wide as `*` must not hide them all.
      if (!entry.manager || entry.manager === FIELD_MANAGER) continue;
      if (rule.managers.some((manager) => manager(entry.manager!))) paths.push(...ownedPaths(entry.fieldsV1));
    }
  }
  paths.push(...builtInIgnored(ref, desired, live, ignore.autoscaled));
  return paths;
}

export interface IgnoredPair {
  before: KubeObject;
  after: KubeObject;
  /** Fields that differ between the two sides and were left out. */
  ignored: number;
}

/** Copies of `before` and `after` without the ignored fields, and how many of those differed. */
export function withoutIgnored(before: KubeObject, after: KubeObject, paths: readonly FieldPath[]): IgnoredPair {
  if (paths.length === 0) return { before, after, ignored: 0 };
  const fields = new Map<string, FieldPath>();
  for (const path of paths) {
    for (const field of [...expandFieldPath(before, path), ...expandFieldPath(after, path)]) fields.set(JSON.stringify(field), field);
  }
  let ignored = 0;
  for (const field of fields.values()) {
    const was = valueAt(before, field);
    const is = valueAt(after, field);
    if (was.found !== is.found || !deepEqual(was.value, is.value)) ignored++;
  }
  const left = structuredClone(before);
  const right = structuredClone(after);
  removeFieldPaths(left, paths);
  removeFieldPaths(right, paths);
  return { before: left, after: right, ignored };
}

/**
 * How many fields the manifest sets to something other than the live value that are ignored:
 * the cluster side of the count (the dry-run of respectIgnored's body shows no such difference).
 */
export function ignoredDifferences(rendered: KubeObject, live: KubeObject, paths: readonly FieldPath[]): number {
  const desired = inDataForm(rendered, paths);
  const fields = new Map<string, FieldPath>();
  for (const path of paths) for (const field of expandFieldPath(desired, path)) fields.set(JSON.stringify(field), field);
  let differing = 0;
  for (const field of fields.values()) {
    const is = valueAt(live, field);
    if (!is.found || !deepEqual(valueAt(desired, field).value, is.value)) differing++;
  }
  return differing;
}

/**
 * What to apply over an existing object so ignored fields keep their live value. A field
 * `manager` owns is sent with the live value (left out, server-side apply would release and
 * so delete it); one it does not own is left out (sent, Slipway would take ownership from the
 * controller that writes it). Either way the apply changes nothing there. With no `manager`
 * (an object deleted to be created again) every ignored field with a live value carries it.
 */
export function respectIgnored(desired: KubeObject, live: KubeObject, paths: readonly FieldPath[], manager?: string): KubeObject {
  if (paths.length === 0) return desired;
  const body = inDataForm(desired, paths);
  const leaveOut: FieldPath[] = [];
  for (const path of paths) {
    for (const field of expandFieldPath(body, path)) {
      const current = valueAt(live, field);
      if (current.found && (manager === undefined || ownsField(live, manager, field)) && setValueAt(body, field, structuredClone(current.value))) continue;
      leaveOut.push(field);
    }
  }
  removeFieldPaths(body, leaveOut);
  return body;
}

/**
 * A copy; a Secret whose ignored fields are under `data` in the `data` form the live object has,
 * so those rules reach keys the manifest writes as `stringData` (and the value applied is the live one).
 */
function inDataForm(object: KubeObject, paths: readonly FieldPath[]): KubeObject {
  const copy = structuredClone(object);
  const underData = (path: FieldPath) => {
    const head = path[0];
    return head !== undefined && 'key' in head && head.key === 'data';
  };
  if (isSecret(copy) && paths.some(underData)) secretToDataForm(copy);
  return copy;
}
