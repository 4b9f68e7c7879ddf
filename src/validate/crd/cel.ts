/**
 * `x-kubernetes-validations` rules evaluated offline with @marcbachmann/cel-js. Each rule is
 * parsed once per schema node (so once per CRD version), and evaluated with `self` bound to the
 * node's value. Rules on `oldSelf` (transition rules) do not apply when an object is created,
 * which is what an offline render is. A rule that does not parse or evaluate here (a Kubernetes
 * library function the evaluator lacks, a missing key) is a notice, never an error: only the
 * API server can tell.
 */
import { Environment } from '@marcbachmann/cel-js';
import { isPlainObject } from '../../model/objects.js';
import { registerKubernetesLibraries } from './cel-libraries.js';

type Schema = Record<string, unknown>;
type Program = (context: Record<string, unknown>) => unknown;

export interface CompiledRule {
  rule: string;
  message?: string;
  messageExpression?: Program;
  /** Relative path (`.spec.name`) the finding points at, from `fieldPath`. */
  fieldPath: string[];
  program?: Program;
  /** Why the rule cannot be evaluated offline (it does not parse here). */
  unusable?: string;
  /** A transition rule: skipped on create. */
  transition: boolean;
}

export type RuleOutcome = { kind: 'pass' } | { kind: 'fail'; message: string } | { kind: 'unknown'; reason: string };

let environment: Environment | undefined;
const compiled = new WeakMap<Schema, CompiledRule[]>();

function celEnvironment(): Environment {
  environment ??= registerKubernetesLibraries(
    new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false, enableOptionalTypes: true }),
  );
  return environment;
}

/** The compiled rules of one schema node (empty when it has none), compiled on first use. */
export function rulesOf(schema: Schema): CompiledRule[] {
  let rules = compiled.get(schema);
  if (rules) return rules;
  rules = [];
  const declared = schema['x-kubernetes-validations'];
  if (Array.isArray(declared)) for (const entry of declared) if (isPlainObject(entry) && typeof entry.rule === 'string') rules.push(compileRule(entry));
  compiled.set(schema, rules);
  return rules;
}

function compileRule(entry: Record<string, unknown>): CompiledRule {
  const rule = entry.rule as string;
  const compiledRule: CompiledRule = {
    rule,
    message: typeof entry.message === 'string' && entry.message ? entry.message : undefined,
    fieldPath: typeof entry.fieldPath === 'string' ? parseFieldPath(entry.fieldPath) : [],
    transition: /\boldSelf\b/.test(rule),
  };
  if (compiledRule.transition) return compiledRule;
  try {
    compiledRule.program = celEnvironment().parse(rule) as Program;
  } catch (error) {
    compiledRule.unusable = firstLine(error);
  }
  if (typeof entry.messageExpression === 'string') {
    try {
      compiledRule.messageExpression = celEnvironment().parse(entry.messageExpression) as Program;
    } catch {
      // The server refuses such a CRD; its message is then the rule's own.
    }
  }
  return compiledRule;
}

export function evaluateRule(rule: CompiledRule, self: unknown): RuleOutcome {
  if (rule.unusable) return { kind: 'unknown', reason: rule.unusable };
  if (!rule.program) return { kind: 'pass' };
  let result: unknown;
  try {
    result = rule.program({ self });
  } catch (error) {
    return { kind: 'unknown', reason: firstLine(error) };
  }
  if (result === true) return { kind: 'pass' };
  if (result !== false) return { kind: 'unknown', reason: 'the rule did not evaluate to a boolean' };
  return { kind: 'fail', message: messageOf(rule, self) };
}

function messageOf(rule: CompiledRule, self: unknown): string {
  if (rule.messageExpression) {
    try {
      const text = rule.messageExpression({ self });
      if (typeof text === 'string' && text.trim()) return text;
    } catch {
      // Falls back to the message, as the server does.
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** `.spec.ports['http']` -> ['spec', 'ports', 'http']; anything else it cannot read is left out. */
function parseFieldPath(text: string): string[] {
  const out: string[] = [];
  const pattern = /\.([A-Za-z_$][\w$-]*)|\[['"]([^'"]*)['"]\]/g;
  for (const match of text.matchAll(pattern)) out.push(match[1] ?? match[2]);
  return out;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}

/** A JSON value as CEL sees it: integers of integer-typed (or int-or-string) fields as BigInt. */
export function toCelValue(schema: Schema | undefined, value: unknown): unknown {
  if (typeof value === 'number') {
    const integer = schema === undefined || schema.type === 'integer' || schema['x-kubernetes-int-or-string'] === true || schema.type === undefined;
    return integer && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = schema && isPlainObject(schema.items) ? schema.items : undefined;
    return value.map((item) => toCelValue(items, item));
  }
  if (!isPlainObject(value)) return value;
  const properties = schema && isPlainObject(schema.properties) ? schema.properties : {};
  const additional = schema && isPlainObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const sub = properties[key];
    out[key] = toCelValue(isPlainObject(sub) ? sub : additional, child);
  }
  return out;
}
