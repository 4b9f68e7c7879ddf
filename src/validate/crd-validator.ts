/**
 * Validation of custom resources against their CRD's structural `openAPIV3Schema`, the way the
 * API server does with `kubectl apply --validate=strict`: unknown fields are errors unless
 * `x-kubernetes-preserve-unknown-fields` says otherwise. `metadata` is left to the ObjectMeta
 * check of the built-in schemas. One ajv validator is compiled per CRD version and cached.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { isPlainObject } from '../model/objects.js';
import type { PathSegment } from './json-path.js';
import type { SchemaIssue } from './schema-walker.js';
import { closestMatch } from '../model/suggest.js';
import { CRD_FORMATS } from './crd/formats.js';

type Schema = Record<string, unknown>;

// Keywords of OpenAPI v3 schemas that ajv can evaluate as they are.
const PASSTHROUGH = [
  'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems',
  'uniqueItems', 'multipleOf', 'minProperties', 'maxProperties', 'required',
] as const;

let ajv: Ajv | undefined;
const compiled = new WeakMap<Schema, ValidateFunction>();
/** Schemas that failed to compile, with why: compiled once, not again for every object. */
const unusable = new WeakMap<Schema, string>();

function getAjv(): Ajv {
  // Only the formats the API server checks are passed on (see toAjvSchema); it ignores the rest.
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, verbose: true, unicodeRegExp: false });
    for (const [name, format] of Object.entries(CRD_FORMATS)) ajv.addFormat(name, format);
  }
  return ajv;
}

/**
 * Validates a custom resource (`object`, without regard to metadata) against `schema`;
 * `schemaName` names the CRD and version (and where it is written) for a schema that cannot be used.
 */
export function validateCustomResource(schema: Schema, object: Record<string, unknown>, schemaName: string): SchemaIssue[] {
  let validate = compiled.get(schema);
  if (!validate) {
    let reason = unusable.get(schema);
    if (reason === undefined) {
      try {
        validate = getAjv().compile(toAjvSchema(schema, { root: true, inJunctor: false }));
        compiled.set(schema, validate);
      } catch (error) {
        reason = (error as Error).message;
        unusable.set(schema, reason);
      }
    }
    if (!validate) return [{ kind: 'invalid-value', path: [], message: `the openAPIV3Schema of ${schemaName} cannot be used: ${reason}; fix the CRD` }];
  }
  if (validate(object)) return [];
  return issuesFromAjv(validate.errors ?? [], object);
}

interface ConvertContext {
  root: boolean;
  /** Inside allOf/anyOf/oneOf/not: those only constrain, they do not declare fields. */
  inJunctor: boolean;
}

/** Structural OpenAPI v3 schema (Kubernetes flavour) -> JSON Schema for ajv. */
export function toAjvSchema(schema: Schema, context: ConvertContext): Schema {
  const out: Schema = {};
  for (const key of PASSTHROUGH) if (schema[key] !== undefined) out[key] = schema[key];

  // OpenAPI 3.0 spells exclusive bounds as booleans next to minimum/maximum.
  if (schema.exclusiveMinimum === true && typeof schema.minimum === 'number') {
    out.exclusiveMinimum = schema.minimum;
    delete out.minimum;
  }
  if (schema.exclusiveMaximum === true && typeof schema.maximum === 'number') {
    out.exclusiveMaximum = schema.maximum;
    delete out.maximum;
  }

  if (typeof schema.format === 'string' && Object.hasOwn(CRD_FORMATS, schema.format)) out.format = schema.format;

  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  let type: unknown = schema.type;
  if (schema['x-kubernetes-int-or-string'] === true) type = ['integer', 'string'];
  if (type !== undefined) {
    const types = Array.isArray(type) ? [...(type as string[])] : [type as string];
    if (schema.nullable === true) types.push('null');
    out.type = types.length === 1 ? types[0] : types;
  }

  const properties: Record<string, Schema> = {};
  if (isPlainObject(schema.properties)) {
    for (const [name, sub] of Object.entries(schema.properties))
      if (isPlainObject(sub)) properties[name] = toAjvSchema(sub, { root: false, inJunctor: context.inJunctor });
  }
  if (context.root || embedded) {
    // apiVersion, kind and metadata exist on every object whether or not the schema lists them.
    properties.apiVersion = { type: 'string' };
    properties.kind = { type: 'string' };
    properties.metadata = {};
    if (Array.isArray(out.required)) out.required = (out.required as string[]).filter((r) => r !== 'metadata');
    // An embedded resource needs apiVersion and kind, as the server checks (metadata stays optional).
    if (embedded && !context.root) out.required = [...new Set([...((out.required as string[] | undefined) ?? []), 'apiVersion', 'kind'])];
  }
  if (Object.keys(properties).length > 0) out.properties = properties;

  if (isPlainObject(schema.additionalProperties)) {
    out.additionalProperties = toAjvSchema(schema.additionalProperties, { root: false, inJunctor: context.inJunctor });
  } else if (schema.additionalProperties === true || preserve || context.inJunctor) {
    // Fields are kept as they are.
  } else if (schema.type === 'object' || out.properties) {
    out.additionalProperties = false;
  }
  if (isPlainObject(schema.items)) out.items = toAjvSchema(schema.items, { root: false, inJunctor: context.inJunctor });

  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[junctor];
    if (Array.isArray(list))
      out[junctor] = list.filter(isPlainObject).map((s) => toAjvSchema(s, { root: false, inJunctor: true }));
  }
  if (isPlainObject(schema.not)) out.not = toAjvSchema(schema.not, { root: false, inJunctor: true });
  return out;
}

function issuesFromAjv(errors: readonly ErrorObject[], data: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const path = pathOf(error.instancePath, data);
    if (path[0] === 'metadata') continue;
    const issue = issueOf(error, path);
    if (!issue) continue;
    const key = `${issue.kind}|${issue.path.join('\u0000')}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function issueOf(error: ErrorObject, path: PathSegment[]): SchemaIssue | undefined {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const parent = error.parentSchema as Schema | undefined;
      const allowed = isPlainObject(parent?.properties) ? Object.keys(parent.properties) : [];
      const guess = closestMatch(key, allowed);
      const hint = guess ? `; did you mean "${guess}"?` : allowed.length ? `; allowed fields: ${allowed.sort().join(', ')}` : '';
      return { kind: 'unknown-field', path: [...path, key], message: `unknown field "${key}"${hint}` };
    }
    case 'required':
      return { kind: 'missing-required', path, message: `missing required field "${String(params.missingProperty)}"` };
    case 'type': {
      const expected = Array.isArray(params.type) ? params.type.join(' or ') : String(params.type);
      return { kind: 'wrong-type', path, message: `expected ${expected}, got ${jsonType(error.data)}` };
    }
    case 'format':
      return { kind: 'invalid-value', path, message: `value does not match format "${String(params.format)}"` };
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map((v) => JSON.stringify(v)).join(', ') : '';
      return { kind: 'invalid-value', path, message: `value is not allowed; allowed values: ${allowed}` };
    }
    case 'anyOf':
    case 'oneOf':
    case 'allOf':
      // The failing branches were reported already; a summary line adds nothing.
      return undefined;
    default:
      // ajv's messages name the limit (e.g. "must be <= 10"), never the value.
      return { kind: 'invalid-value', path, message: `value ${error.message ?? 'is invalid'}` };
  }
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** JSON pointer -> segments, with array indexes as numbers (decided by walking the data). */
function pathOf(pointer: string, data: unknown): PathSegment[] {
  if (!pointer) return [];
  const path: PathSegment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const index = Number(key);
      path.push(index);
      node = node[index];
    } else {
      path.push(key);
      node = isPlainObject(node) ? node[key] : undefined;
    }
  }
  return path;
}
