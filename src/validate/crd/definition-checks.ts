/**
 * A CustomResourceDefinition's own validity, as the API server checks it before it accepts
 * the CRD: its name is `<plural>.<group>`, exactly one storage version, a schema for every
 * version, and schemas that are structural (every node typed, `properties` only on objects,
 * `items` on arrays, list-map keys that every item has).
 */
import { isPlainObject } from '../../model/objects.js';
import type { PathSegment } from '../json-path.js';
import { dns1123Label } from '../server/formats.js';
import type { ServerIssue } from '../server/issue.js';

type Schema = Record<string, unknown>;

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const LIST_TYPES = ['atomic', 'set', 'map'];

export function checkCrdDefinition(object: Record<string, unknown>, out: ServerIssue[]): void {
  const spec = object.spec;
  if (!isPlainObject(spec)) return;
  const push = (path: PathSegment[], message: string) => out.push({ rule: 'crd-schema', path, message });
  const names = isPlainObject(spec.names) ? spec.names : {};
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  if (typeof names.plural === 'string' && typeof spec.group === 'string' && typeof metadata.name === 'string') {
    const expected = `${names.plural}.${spec.group}`;
    if (metadata.name !== expected) push(['metadata', 'name'], `must be spec.names.plural + "." + spec.group, here "${expected}"`);
  }
  if (typeof names.plural === 'string') {
    const problem = dns1123Label(names.plural);
    if (problem) push(['spec', 'names', 'plural'], `invalid plural "${names.plural}": ${problem}`);
  }
  if (!Array.isArray(spec.versions)) return;
  const storage = spec.versions.filter((v) => isPlainObject(v) && v.storage === true).length;
  if (storage !== 1) push(['spec', 'versions'], `must have exactly one version marked as storage version, has ${storage}`);
  const seen = new Set<string>();
  spec.versions.forEach((version, i) => {
    if (!isPlainObject(version)) return;
    const at: PathSegment[] = ['spec', 'versions', i];
    if (typeof version.name === 'string') {
      if (seen.has(version.name)) push([...at, 'name'], `version "${version.name}" is listed twice`);
      seen.add(version.name);
      const problem = dns1123Label(version.name);
      if (problem) push([...at, 'name'], `invalid version name "${version.name}": ${problem}`);
    }
    const schema = isPlainObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
    if (!isPlainObject(schema)) {
      push([...at, 'schema'], 'schema.openAPIV3Schema is required in apiextensions.k8s.io/v1 (use {type: object, x-kubernetes-preserve-unknown-fields: true} to accept anything)');
      return;
    }
    const schemaPath = [...at, 'schema', 'openAPIV3Schema'];
    if (schema.type !== 'object') push([...schemaPath, 'type'], 'the root of the schema must be of type object');
    checkStructural(schema, schemaPath, false, push);
  });
}

function checkStructural(schema: Schema, path: PathSegment[], inJunctor: boolean, push: (path: PathSegment[], message: string) => void): void {
  const { type } = schema;
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (type !== undefined && (typeof type !== 'string' || !TYPES.includes(type)))
    push([...path, 'type'], `unsupported type ${JSON.stringify(type)}: supported types: ${TYPES.map((t) => `"${t}"`).join(', ')}`);
  else if (type === undefined && !inJunctor && !intOrString && !preserve)
    push(path, 'type is required in a structural schema (or x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields: true)');
  if (isPlainObject(schema.properties) && type !== undefined && type !== 'object')
    push([...path, 'properties'], `properties are only allowed on type object, this node is type ${JSON.stringify(type)}`);
  if (isPlainObject(schema.properties) && isPlainObject(schema.additionalProperties))
    push([...path, 'additionalProperties'], 'additionalProperties and properties are mutually exclusive');
  if (type === 'array' && !isPlainObject(schema.items) && !inJunctor) push(path, 'items is required for type array');
  checkListType(schema, path, push);

  if (isPlainObject(schema.properties))
    for (const [name, sub] of Object.entries(schema.properties)) if (isPlainObject(sub)) checkStructural(sub, [...path, 'properties', name], inJunctor, push);
  if (isPlainObject(schema.items)) checkStructural(schema.items, [...path, 'items'], inJunctor, push);
  if (isPlainObject(schema.additionalProperties)) checkStructural(schema.additionalProperties, [...path, 'additionalProperties'], inJunctor, push);
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[junctor];
    if (Array.isArray(list)) list.forEach((sub, i) => isPlainObject(sub) && checkStructural(sub, [...path, junctor, i], true, push));
  }
  if (isPlainObject(schema.not)) checkStructural(schema.not, [...path, 'not'], true, push);
}

function checkListType(schema: Schema, path: PathSegment[], push: (path: PathSegment[], message: string) => void): void {
  const listType = schema['x-kubernetes-list-type'];
  if (listType === undefined) return;
  if (typeof listType !== 'string' || !LIST_TYPES.includes(listType)) {
    push([...path, 'x-kubernetes-list-type'], `unsupported list type ${JSON.stringify(listType)}: supported: "atomic", "set", "map"`);
    return;
  }
  if (listType !== 'map') return;
  const keys = schema['x-kubernetes-list-map-keys'];
  if (!Array.isArray(keys) || keys.length === 0) {
    push([...path, 'x-kubernetes-list-type'], 'x-kubernetes-list-type: map needs x-kubernetes-list-map-keys');
    return;
  }
  const items = isPlainObject(schema.items) ? schema.items : undefined;
  if (!items || items.type !== 'object') {
    push([...path, 'x-kubernetes-list-type'], 'x-kubernetes-list-type: map needs items of type object');
    return;
  }
  const properties = isPlainObject(items.properties) ? items.properties : {};
  const required = Array.isArray(items.required) ? items.required : [];
  for (const key of keys) {
    const property = typeof key === 'string' ? properties[key] : undefined;
    if (!isPlainObject(property)) push([...path, 'x-kubernetes-list-map-keys'], `list-map key ${JSON.stringify(key)} is not a property of the items`);
    else if (!required.includes(key) && property.default === undefined)
      push([...path, 'x-kubernetes-list-map-keys'], `list-map key "${key}" must be required or have a default, so every item has it`);
  }
}
