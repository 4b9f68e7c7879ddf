/**
 * `ignoreDifferences:` entries (per environment and under `defaults:`), checked where they are
 * written: each pointer parses, each glob compiles, each key is one Slipway knows.
 */
import { isSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { parseFieldPath } from '../model/field-path.js';
import { compileGlob } from '../model/glob.js';
import type { NodeReader } from './reader.js';
import type { IgnoreDifferencesRule } from './types.js';

const RULE_KEYS = ['group', 'kind', 'name', 'namespace', 'jsonPointers', 'managedFieldsManagers'] as const;
const OBJECT_KEYS = ['group', 'kind', 'name', 'namespace'] as const;

export function readIgnoreDifferences(reader: NodeReader, node: YamlNode | null, what: string): IgnoreDifferencesRule[] | undefined {
  if (!isSeq(node)) {
    reader.problem(node, `${what} must be a list of entries such as { group: apps, kind: Deployment, jsonPointers: [/spec/replicas] }`);
    return undefined;
  }
  const rules: IgnoreDifferencesRule[] = [];
  node.items.forEach((item, index) => {
    const rule = readRule(reader, item as YamlNode | null, `${what}[${index}]`);
    if (rule) rules.push(rule);
  });
  return rules;
}

function readRule(reader: NodeReader, node: YamlNode | null, what: string): IgnoreDifferencesRule | undefined {
  const jq = isMapWithKey(node, 'jqPathExpressions');
  if (jq) {
    reader.problem(jq, `${what}: jqPathExpressions is not supported; write the fields as jsonPointers, where * matches any key or list item (/webhooks/*/clientConfig/caBundle)`);
  }
  const entries = reader.pairs(node, what, jq ? [...RULE_KEYS, 'jqPathExpressions'] : RULE_KEYS);
  entries.delete('jqPathExpressions');
  if (entries.size === 0 && !jq) return undefined;
  const rule: IgnoreDifferencesRule = { jsonPointers: [], managedFieldsManagers: [] };
  let valid = !jq;
  for (const key of OBJECT_KEYS) {
    const entry = entries.get(key);
    if (!entry) continue;
    const text = key === 'group' ? groupText(entry.value) : reader.string(entry.value, `${what}: ${key}`);
    if (text === undefined) {
      if (key === 'group') reader.problem(entry.value, `${what}: group must be a string: an API group such as apps, or "" for the core group`);
      valid = false;
      continue;
    }
    if (text !== '') {
      const compiled = compileGlob(text);
      if (typeof compiled === 'string') {
        reader.problem(entry.value, `${what}: ${key}: ${compiled}`);
        valid = false;
        continue;
      }
    }
    rule[key] = text;
  }
  const pointers = entries.get('jsonPointers');
  if (pointers) {
    const texts = reader.strings(pointers.value, `${what}: jsonPointers`) ?? [];
    texts.forEach((text, index) => {
      const parsed = parseFieldPath(text);
      if ('problem' in parsed) {
        reader.problem(isSeq(pointers.value) ? (pointers.value.items[index] as YamlNode) : pointers.value, `${what}: jsonPointers[${index}] "${text}" ${parsed.problem}`);
        valid = false;
      } else rule.jsonPointers.push(text);
    });
  }
  const managers = entries.get('managedFieldsManagers');
  if (managers) rule.managedFieldsManagers = reader.strings(managers.value, `${what}: managedFieldsManagers`) ?? [];
  if (!pointers && !managers && !jq) {
    reader.problem(node, `${what} names no fields: add jsonPointers (e.g. [/spec/replicas]) or managedFieldsManagers (e.g. [kube-controller-manager])`);
    return undefined;
  }
  return valid ? rule : undefined;
}

/** `group: ""` (core) is allowed, unlike other empty strings. */
function groupText(node: YamlNode | null): string | undefined {
  const value = (node as { value?: unknown } | null)?.value;
  if (typeof value === 'string') return value;
  return undefined;
}

function isMapWithKey(node: YamlNode | null, key: string): YamlNode | undefined {
  const items = (node as { items?: { key?: { value?: unknown } }[] } | null)?.items;
  const pair = Array.isArray(items) ? items.find((p) => p.key?.value === key) : undefined;
  return pair?.key as YamlNode | undefined;
}
