/**
 * Strict validation of built-in kinds: the generated schema table is compiled, on first use of
 * each type, into closures that walk an object once. No JSON Schema engine runs here: a walk is
 * a few map lookups per field, which keeps validation well under the cost of parsing the YAML.
 */
import { isPlainObject } from '../model/objects.js';
import type { BuiltinSchemaData } from './builtin-schema-data.js';
import type { PathSegment } from './json-path.js';
import { closestMatch } from '../model/suggest.js';

export type SchemaIssueKind = 'unknown-field' | 'wrong-type' | 'missing-required' | 'invalid-value' | 'unsupported-value';

export interface SchemaIssue {
  kind: SchemaIssueKind;
  /** Path of the offending key (unknown field, wrong type) or of the object missing a field. */
  path: PathSegment[];
  /** What is wrong and what is allowed. Never contains the value itself (it may be a secret). */
  message: string;
}

/** Checks `value` (never null or undefined) found at `path`, adding issues to `out`. */
export type Checker = (value: unknown, path: PathSegment[], out: SchemaIssue[]) => void;

// Kubernetes resource.Quantity: decimal with an optional binary/decimal SI suffix or exponent.
const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

const TOP_LEVEL_ONLY = new Set(['apiVersion', 'kind', 'metadata']);

const acceptAll: Checker = () => {};

export class SchemaWalker {
  private readonly compiled = new Map<string, Checker>();
  /** Types of top-level kinds: they also appear embedded (a StatefulSet's volumeClaimTemplates). */
  private readonly rootTypes: Set<string>;

  /**
   * `enums`: allowed values of string fields (and of string-list items) by type and field name,
   * which the schema table does not carry; a value outside them is an `unsupported-value` issue.
   */
  constructor(
    private readonly data: BuiltinSchemaData,
    private readonly enums: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {},
  ) {
    this.rootTypes = new Set(Object.values(data.kinds).flatMap((byKind) => Object.values(byKind).map(([typeName]) => typeName)));
  }

  /** A checker for a named type of the table (e.g. `V1Deployment`), compiled once. */
  checkerFor(typeName: string): Checker {
    return this.compileRef(typeName);
  }

  /** Validates `value` against `typeName`; issue paths start with `prefix`. */
  validate(typeName: string, value: unknown, prefix: PathSegment[] = []): SchemaIssue[] {
    const out: SchemaIssue[] = [];
    if (value !== null && value !== undefined) this.checkerFor(typeName)(value, [...prefix], out);
    return out;
  }

  private compileRef(ref: string): Checker {
    const cached = this.compiled.get(ref);
    if (cached) return cached;
    if (this.data.types[ref]) {
      // Register a forwarder first: types refer to themselves (e.g. JSONSchemaProps).
      let target: Checker = acceptAll;
      this.compiled.set(ref, (v, p, o) => target(v, p, o));
      target = this.compileObject(ref);
      this.compiled.set(ref, target);
      return target;
    }
    const checker = this.compileShape(ref);
    this.compiled.set(ref, checker);
    return checker;
  }

  private compileShape(ref: string): Checker {
    const expected = describeRef(ref);
    const wrongType = (value: unknown, path: PathSegment[], out: SchemaIssue[]) =>
      out.push({ kind: 'wrong-type', path: [...path], message: `expected ${expected}, got ${describeValue(value)}` });
    switch (ref) {
      case 's':
      case 't':
        return (v, p, o) => {
          if (typeof v !== 'string') wrongType(v, p, o);
        };
      case 'i':
        return (v, p, o) => {
          if (!Number.isInteger(v)) wrongType(v, p, o);
        };
      case 'n':
        return (v, p, o) => {
          if (typeof v !== 'number' || !Number.isFinite(v)) wrongType(v, p, o);
        };
      case 'b':
        return (v, p, o) => {
          if (typeof v !== 'boolean') wrongType(v, p, o);
        };
      case 'is':
        return (v, p, o) => {
          if (typeof v !== 'string' && !Number.isInteger(v)) wrongType(v, p, o);
        };
      case 'q':
        return (v, p, o) => {
          if (typeof v === 'number' ? !Number.isFinite(v) : typeof v !== 'string') wrongType(v, p, o);
          else if (typeof v === 'string' && !QUANTITY.test(v))
            o.push({ kind: 'invalid-value', path: [...p], message: `expected a quantity such as 500m, 2, 1.5Gi or 128Mi` });
        };
      case 'a':
        return acceptAll;
    }
    if (ref.startsWith('[')) {
      const item = this.compileRef(ref.slice(1));
      return (v, p, o) => {
        if (!Array.isArray(v)) return wrongType(v, p, o);
        for (let i = 0; i < v.length; i++) {
          const element: unknown = v[i];
          if (element === null || element === undefined) continue;
          p.push(i);
          item(element, p, o);
          p.pop();
        }
      };
    }
    if (ref.startsWith('{')) {
      const entry = this.compileRef(ref.slice(1));
      return (v, p, o) => {
        if (!isPlainObject(v)) return wrongType(v, p, o);
        for (const key in v) {
          const element = v[key];
          if (element === null || element === undefined) continue;
          p.push(key);
          entry(element, p, o);
          p.pop();
        }
      };
    }
    throw new Error(`schema table refers to unknown type ${ref}`);
  }

  private compileObject(typeName: string): Checker {
    const [fieldRefs, listed] = this.data.types[typeName];
    // The API server requires apiVersion, kind and metadata of top-level objects only, and
    // validateObjects checks those; embedded copies of a kind's type go without them.
    const required = this.rootTypes.has(typeName) ? listed.filter((name) => !TOP_LEVEL_ONLY.has(name)) : listed;
    const fields = new Map<string, Checker>();
    const enums = this.enums[typeName] ?? {};
    for (const [name, ref] of Object.entries(fieldRefs)) {
      const checker = this.compileRef(ref);
      fields.set(name, enums[name] ? withAllowedValues(checker, enums[name]) : checker);
    }
    const readable = readableTypeName(typeName);
    return (v, p, o) => {
      if (!isPlainObject(v)) {
        o.push({ kind: 'wrong-type', path: [...p], message: `expected object (${readable}), got ${describeValue(v)}` });
        return;
      }
      for (const key in v) {
        const field = fields.get(key);
        if (field === undefined) {
          o.push({ kind: 'unknown-field', path: [...p, key], message: unknownFieldMessage(key, readable, fields.keys()) });
          continue;
        }
        const value = v[key];
        if (value === null || value === undefined) continue;
        p.push(key);
        field(value, p, o);
        p.pop();
      }
      for (const name of required) {
        if (v[name] === undefined || v[name] === null)
          o.push({ kind: 'missing-required', path: [...p], message: `missing required field "${name}" in ${readable}` });
      }
    };
  }
}

/** Adds to `checker` a check that strings (or the strings of a list) are among `allowed`. */
function withAllowedValues(checker: Checker, allowed: readonly string[]): Checker {
  const values = new Set(allowed);
  const list = allowed.map((v) => `"${v}"`).join(', ');
  const check = (v: unknown, p: PathSegment[], o: SchemaIssue[]) => {
    if (typeof v === 'string' && v !== '' && !values.has(v))
      o.push({ kind: 'unsupported-value', path: [...p], message: `unsupported value "${v}": supported values: ${list}` });
  };
  return (v, p, o) => {
    checker(v, p, o);
    if (!Array.isArray(v)) return check(v, p, o);
    for (let i = 0; i < v.length; i++) {
      p.push(i);
      check(v[i], p, o);
      p.pop();
    }
  };
}

function unknownFieldMessage(key: string, typeName: string, allowed: Iterable<string>): string {
  const names = [...allowed];
  const guess = closestMatch(key, names);
  if (guess) return `unknown field "${key}" in ${typeName}; did you mean "${guess}"?`;
  const shown = names.slice().sort();
  const list = shown.length > 12 ? `${shown.slice(0, 12).join(', ')}, … (${shown.length} in all)` : shown.join(', ');
  return `unknown field "${key}" in ${typeName}; allowed fields: ${list}`;
}

/** `V1beta1CronJob` -> `CronJob`, `CoreV1EndpointPort` -> `EndpointPort`. */
export function readableTypeName(typeName: string): string {
  return typeName.replace(/^[A-Z][a-z]*V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])|^V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/, '');
}

function describeRef(ref: string): string {
  switch (ref) {
    case 's':
      return 'string';
    case 't':
      return 'date-time string';
    case 'i':
      return 'integer';
    case 'n':
      return 'number';
    case 'b':
      return 'boolean (true or false)';
    case 'is':
      return 'integer or string';
    case 'q':
      return 'quantity (string such as 500m or 1Gi, or a number)';
    case 'a':
      return 'any value';
  }
  if (ref.startsWith('[')) return `array of ${describeRef(ref.slice(1))}`;
  if (ref.startsWith('{')) return `map of ${describeRef(ref.slice(1))}`;
  return `object (${readableTypeName(ref)})`;
}

/** The JSON type of a value: never the value, which may be secret. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
