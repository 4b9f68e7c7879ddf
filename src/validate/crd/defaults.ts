/**
 * `default`s of a structural schema applied to a custom resource, as the API server does before
 * it validates: missing fields of present objects get their default, recursively.
 */
import { isPlainObject } from '../../model/objects.js';

type Schema = Record<string, unknown>;

const hasDefaultsCache = new WeakMap<Schema, boolean>();

/** Whether any node of `schema` declares a `default` (computed once per schema). */
export function schemaHasDefaults(schema: Schema): boolean {
  let known = hasDefaultsCache.get(schema);
  if (known === undefined) {
    known = 'default' in schema || childSchemas(schema).some(schemaHasDefaults);
    hasDefaultsCache.set(schema, known);
  }
  return known;
}

/** A copy of `value` with the defaults of `schema` filled in; `value` itself is left alone. */
export function withDefaults(schema: Schema, value: unknown): unknown {
  if (!schemaHasDefaults(schema)) return value;
  if (Array.isArray(value)) {
    const items = isPlainObject(schema.items) ? schema.items : undefined;
    return items ? value.map((item) => withDefaults(items, item)) : value;
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = { ...value };
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  for (const [name, sub] of Object.entries(properties)) {
    if (!isPlainObject(sub)) continue;
    if (out[name] === undefined && sub.default !== undefined) out[name] = structuredClone(sub.default);
    if (out[name] !== undefined) out[name] = withDefaults(sub, out[name]);
  }
  if (isPlainObject(schema.additionalProperties)) {
    const additional = schema.additionalProperties;
    for (const key of Object.keys(out)) if (!(key in properties)) out[key] = withDefaults(additional, out[key]);
  }
  return out;
}

function childSchemas(schema: Schema): Schema[] {
  const out: Schema[] = [];
  if (isPlainObject(schema.properties)) for (const sub of Object.values(schema.properties)) if (isPlainObject(sub)) out.push(sub);
  if (isPlainObject(schema.items)) out.push(schema.items);
  if (isPlainObject(schema.additionalProperties)) out.push(schema.additionalProperties);
  return out;
}
