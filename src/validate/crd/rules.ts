/**
 * What a CRD's schema asks beyond types, walked once over a (defaulted) custom resource:
 * `x-kubernetes-validations` CEL rules, and list-map keys and sets (`x-kubernetes-list-type`).
 */
import type { Severity } from '../../model/findings.js';
import { isPlainObject } from '../../model/objects.js';
import type { PathSegment } from '../json-path.js';
import type { ServerIssue } from '../server/issue.js';
import { checkListMapKeys, checkListSet } from '../server/list-maps.js';
import { evaluateRule, rulesOf, toCelValue } from './cel.js';

type Schema = Record<string, unknown>;

export interface CrdRuleIssue {
  rule: 'cel' | 'list-map-duplicate';
  severity: Severity;
  path: PathSegment[];
  message: string;
}

const hasRulesCache = new WeakMap<Schema, boolean>();

/** Whether any node of `schema` has CEL rules or list types (computed once per schema). */
function schemaHasRules(schema: Schema): boolean {
  let known = hasRulesCache.get(schema);
  if (known === undefined) {
    known = Array.isArray(schema['x-kubernetes-validations']) || typeof schema['x-kubernetes-list-type'] === 'string' || children(schema).some(schemaHasRules);
    hasRulesCache.set(schema, known);
  }
  return known;
}

export function checkCrdRules(schema: Schema, object: Record<string, unknown>): CrdRuleIssue[] {
  if (!schemaHasRules(schema)) return [];
  const out: CrdRuleIssue[] = [];
  visit(schema, object, [], out);
  return out;
}

function visit(schema: Schema, value: unknown, path: PathSegment[], out: CrdRuleIssue[]): void {
  if (value === undefined || value === null || !schemaHasRules(schema)) return;
  const rules = rulesOf(schema);
  if (rules.length > 0) {
    const self = toCelValue(schema, value);
    for (const rule of rules) {
      if (rule.transition) continue;
      const outcome = evaluateRule(rule, self);
      if (outcome.kind === 'fail') out.push({ rule: 'cel', severity: 'error', path: [...path, ...rule.fieldPath], message: outcome.message });
      else if (outcome.kind === 'unknown')
        out.push({ rule: 'cel', severity: 'notice', path: [...path], message: `rule ${JSON.stringify(rule.rule)} cannot be evaluated offline (${outcome.reason}); the API server checks it` });
    }
  }
  if (Array.isArray(value)) {
    checkListType(schema, value, path, out);
    const items = isPlainObject(schema.items) ? schema.items : undefined;
    if (items) value.forEach((item, i) => visit(items, item, [...path, i], out));
    return;
  }
  if (!isPlainObject(value)) return;
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  for (const [name, sub] of Object.entries(properties)) if (isPlainObject(sub)) visit(sub, value[name], [...path, name], out);
  if (isPlainObject(schema.additionalProperties)) {
    const additional = schema.additionalProperties;
    for (const key of Object.keys(value)) if (!(key in properties)) visit(additional, value[key], [...path, key], out);
  }
}

function checkListType(schema: Schema, list: unknown[], path: PathSegment[], out: CrdRuleIssue[]): void {
  const found: ServerIssue[] = [];
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') checkListSet(list, path, found);
  else if (listType === 'map' && Array.isArray(schema['x-kubernetes-list-map-keys'])) {
    const keys = (schema['x-kubernetes-list-map-keys'] as unknown[]).filter((k): k is string => typeof k === 'string');
    const items = isPlainObject(schema.items) ? schema.items : {};
    const properties = isPlainObject(items.properties) ? items.properties : {};
    const defaults: Record<string, unknown> = {};
    for (const key of keys) {
      const sub = properties[key];
      if (isPlainObject(sub) && sub.default !== undefined) defaults[key] = sub.default;
    }
    checkListMapKeys(list, path, keys, defaults, found);
  }
  for (const issue of found) out.push({ rule: 'list-map-duplicate', severity: 'error', path: issue.path, message: issue.message });
}

function children(schema: Schema): Schema[] {
  const out: Schema[] = [];
  if (isPlainObject(schema.properties)) for (const sub of Object.values(schema.properties)) if (isPlainObject(sub)) out.push(sub);
  if (isPlainObject(schema.items)) out.push(schema.items);
  if (isPlainObject(schema.additionalProperties)) out.push(schema.additionalProperties);
  return out;
}
