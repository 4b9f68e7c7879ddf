/**
 * What the server does to an object besides storing it: server-set metadata, status and
 * spec scoping for the /status subresource, generation, Secret stringData, and the
 * validation rules engines depend on (required selectors, immutable fields).
 */
import { isPlainObject, type KubeObject } from '../../../src/model/objects.js';
import { deepEqual } from './fields.js';
import { clone } from './clone.js';
import type { ResourceType } from './registry.js';
import { errors } from './status.js';

export type Scope = 'main' | 'status';

const SERVER_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
]);

/**
 * The part of an object that field ownership covers: identity and server-set metadata are
 * left out, and so is status for the main resource of a kind with a /status subresource
 * (and everything but status for /status). The view shares values with `object` (it is only
 * ever read, to collect and compare fields), so it costs no deep copy.
 */
export function ownedView(object: unknown, type: ResourceType, scope: Scope): Record<string, unknown> {
  if (!isPlainObject(object)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (type.status && scope === 'main' && key === 'status') continue;
    if (type.status && scope === 'status' && key !== 'status') continue;
    if (key === 'metadata' && isPlainObject(value)) {
      const meta = Object.fromEntries(Object.entries(value).filter(([k]) => !SERVER_METADATA.has(k)));
      if (Object.keys(meta).length > 0) out.metadata = meta;
      continue;
    }
    out[key] = value;
  }
  return out;
}

/** Everything that is not metadata or status: what bumps metadata.generation. */
function specView(object: KubeObject, type: ResourceType): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object).filter(([k]) => k !== 'metadata' && k !== 'apiVersion' && k !== 'kind' && !(type.status && k === 'status')),
  );
}

/** Secrets: stringData is write-only; the server folds it into data as base64. */
function foldStringData(object: KubeObject): void {
  if (object.kind !== 'Secret' || !isPlainObject(object.stringData)) return;
  const data = isPlainObject(object.data) ? object.data : {};
  for (const [k, v] of Object.entries(object.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  object.data = data;
  delete object.stringData;
}

/** Fields the real server fills in (its defaulting and its strategies' PrepareForCreate). */
function serverFill(object: KubeObject, type: ResourceType): void {
  const meta = object.metadata;
  if (type.group === '' && object.kind === 'Namespace') {
    meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name ?? '' };
    object.spec = { finalizers: ['kubernetes'], ...(isPlainObject(object.spec) ? object.spec : {}) };
  }
  if (type.group === '' && object.kind === 'Secret' && object.type === undefined) object.type = 'Opaque';
  if (type.group === 'batch' && object.kind === 'Job' && isPlainObject(object.spec)) {
    // Jobs get a generated selector and matching template labels unless manualSelector is set.
    const spec = object.spec;
    if (spec.manualSelector !== true && spec.selector === undefined) {
      const uid = String(meta.uid ?? '');
      spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
      const template = isPlainObject(spec.template) ? spec.template : (spec.template = {});
      const tmeta = isPlainObject(template.metadata) ? template.metadata : (template.metadata = {});
      tmeta.labels = {
        ...(isPlainObject(tmeta.labels) ? tmeta.labels : {}),
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': meta.name ?? '',
        'controller-uid': uid,
        'job-name': meta.name ?? '',
      };
    }
  }
}

let ipCounter = 10;

export interface CreateContext {
  uid: string;
  now: string;
  /** Keep status as given (seeding by tests) instead of clearing it like a create does. */
  keepStatus?: boolean;
}

/** A new object as the server would store it (resourceVersion and managedFields excepted). */
export function prepareCreate(object: KubeObject, type: ResourceType, ctx: CreateContext): KubeObject {
  const out = clone(object);
  const meta = out.metadata;
  meta.uid = ctx.uid;
  meta.creationTimestamp = ctx.now;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  if (type.generation) meta.generation = 1;
  else delete meta.generation;
  if (type.status && !ctx.keepStatus) delete out.status;
  foldStringData(out);
  serverFill(out, type);
  if (type.group === '' && out.kind === 'Namespace' && !ctx.keepStatus) out.status = { phase: 'Active' };
  if (type.group === '' && out.kind === 'Service' && isPlainObject(out.spec) && out.spec.clusterIP === undefined && out.spec.type !== 'ExternalName') {
    const ip = `10.96.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;
    out.spec.clusterIP = ip;
    out.spec.clusterIPs = [ip];
  }
  return out;
}

/** An updated object as the server would store it: identity kept, scope enforced, generation bumped on spec change. */
export function prepareUpdate(old: KubeObject, next: KubeObject, type: ResourceType, scope: Scope): KubeObject {
  let out = clone(next);
  if (type.status && scope === 'main') {
    if (old.status === undefined) delete out.status;
    else out.status = clone(old.status);
  }
  if (type.status && scope === 'status') {
    // /status changes nothing but status.
    out = { ...clone(old), status: clone(next.status) };
    if (next.status === undefined) delete out.status;
  }
  const meta = out.metadata;
  for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'generation'] as const) {
    if (old.metadata[k] === undefined) delete meta[k];
    else meta[k] = old.metadata[k];
  }
  meta.name = old.metadata.name;
  if (old.metadata.namespace !== undefined) meta.namespace = old.metadata.namespace;
  foldStringData(out);
  serverFill(out, type);
  if (type.generation && !deepEqual(specView(old, type), specView(out, type))) {
    meta.generation = Number(old.metadata.generation ?? 0) + 1;
  }
  return out;
}

function get(object: unknown, path: string): unknown {
  let node = object;
  for (const part of path.split('.')) node = isPlainObject(node) ? node[part] : undefined;
  return node;
}

/** `Invalid value: {...}` spells values as JSON (the real server uses Go syntax). */
function invalidValue(value: unknown): string {
  return `Invalid value: ${JSON.stringify(value) ?? 'null'}`;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);
const STATEFULSET_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds', 'revisionHistoryLimit'];

/** Throws 422 Invalid for the rules below; `old` is absent on create. */
export function validate(object: KubeObject, old: KubeObject | undefined, type: ResourceType): void {
  const causes: { field: string; message: string; reason?: string }[] = [];
  const name = object.metadata?.name ?? '';
  if (!name) causes.push({ field: 'metadata.name', message: 'Required value: name or generateName is required', reason: 'FieldValueRequired' });
  else if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) && type.group !== 'rbac.authorization.k8s.io' && !name.includes(':')) {
    causes.push({
      field: 'metadata.name',
      message: `${invalidValue(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  }
  if (type.group === 'apps' && WORKLOADS.has(type.kind)) {
    const selector = get(object, 'spec.selector');
    if (!isPlainObject(selector)) causes.push({ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' });
    else {
      const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
      const labels = get(object, 'spec.template.metadata.labels');
      const templateLabels = isPlainObject(labels) ? labels : {};
      if (Object.entries(matchLabels).some(([k, v]) => templateLabels[k] !== v)) {
        causes.push({ field: 'spec.template.metadata.labels', message: `${invalidValue(templateLabels)}: \`selector\` does not match template \`labels\`` });
      }
    }
    if (old && !deepEqual(get(old, 'spec.selector'), selector)) {
      causes.push({ field: 'spec.selector', message: `${invalidValue(selector)}: field is immutable` });
    }
    if (old && type.kind === 'StatefulSet') {
      const before = Object.entries(isPlainObject(old.spec) ? old.spec : {}).filter(([k]) => !STATEFULSET_MUTABLE.includes(k));
      const after = Object.entries(isPlainObject(object.spec) ? object.spec : {}).filter(([k]) => !STATEFULSET_MUTABLE.includes(k));
      if (!deepEqual(Object.fromEntries(before), Object.fromEntries(after))) {
        causes.push({
          field: 'spec',
          reason: 'FieldValueForbidden',
          message:
            "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        });
      }
    }
  }
  if (old && type.group === 'batch' && type.kind === 'Job') {
    for (const field of ['selector', 'template', 'completions'] as const) {
      const was = get(old, `spec.${field}`);
      const now = get(object, `spec.${field}`);
      if (!deepEqual(was, now)) causes.push({ field: `spec.${field}`, message: `${invalidValue(now)}: field is immutable` });
    }
  }
  if (old && type.group === 'rbac.authorization.k8s.io' && (type.kind === 'RoleBinding' || type.kind === 'ClusterRoleBinding')) {
    if (!deepEqual(old.roleRef, object.roleRef)) causes.push({ field: 'roleRef', message: `${invalidValue(object.roleRef)}: cannot change roleRef` });
  }
  if (old && type.group === '' && (type.kind === 'ConfigMap' || type.kind === 'Secret') && old.immutable === true) {
    if (!deepEqual(old.data, object.data) || !deepEqual(old.binaryData, object.binaryData)) {
      causes.push({ field: 'data', reason: 'FieldValueForbidden', message: 'Forbidden: field is immutable when `immutable` is set' });
    }
  }
  if (old && type.group === '' && type.kind === 'PersistentVolumeClaim') {
    const strip = (o: KubeObject) => {
      const spec = clone(isPlainObject(o.spec) ? o.spec : {});
      delete spec.resources;
      delete spec.volumeAttributesClassName;
      return spec;
    };
    if (!deepEqual(strip(old), strip(object))) {
      causes.push({
        field: 'spec',
        reason: 'FieldValueForbidden',
        message: 'Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
      });
    }
  }
  if (type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition') {
    const group = get(object, 'spec.group');
    const plural = get(object, 'spec.names.plural');
    if (name !== `${String(plural)}.${String(group)}`) {
      causes.push({ field: 'metadata.name', message: `${invalidValue(name)}: must be spec.names.plural+"."+spec.group` });
    }
  }
  if (causes.length > 0) throw errors.invalid(type.kind, type.group, name, causes);
}
