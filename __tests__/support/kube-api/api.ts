/**
 * The API semantics, independent of HTTP: discovery, CRUD, patches, server-side apply and
 * dry-run over an in-memory store. The HTTPS server in ../kube-api-server.ts feeds it.
 */
import { randomUUID } from 'node:crypto';
import { isPlainObject, type KubeObject } from '../../../src/model/objects.js';
import { acceptedStatus, typeFromCrd } from './crds.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, openApiV3GroupVersion, openApiV3Root, SERVER_VERSION } from './discovery.js';
import { collectFields, deepEqual, FieldSet, type Path, removePath } from './fields.js';
import { ownedView, prepareCreate, prepareUpdate, validate, type Scope } from './lifecycle.js';
import { applyOwnership, readManagers, updateOwnership, writeManagers } from './managed.js';
import { clone } from './clone.js';
import { applyMerge, jsonPatch, mergePatch, strategicMergePatch } from './merge.js';
import { Registry, type ResourceType } from './registry.js';
import { parseYamlBody } from './body.js';
import { parseRoute, type ResourceRoute } from './routes.js';
import { fieldSelector, labelSelector } from './selectors.js';
import { ApiError, errors, success } from './status.js';
import { ObjectStore } from './store.js';
import { requestedReplicas, scaleOf } from './scale.js';

export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string;
  userAgent: string;
  body: string;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  contentType?: string;
}

export type ReadBehaviour = (object: KubeObject, readCount: number) => Record<string, unknown> | undefined;

const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

function gv(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

function now(): string {
  // The real server stamps whole seconds (RFC 3339).
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 5; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

export class KubeApi {
  readonly registry = new Registry();
  readonly store = new ObjectStore();
  private readonly readBehaviours = new Map<string, ReadBehaviour>();
  private readonly readCounts = new Map<string, number>();
  /** Container logs by `namespace/pod/container/current|previous`, served by pods/log. */
  readonly podLogs = new Map<string, string>();
  /** Refuse pods/log with 403, as RBAC without `pods/log` does. */
  podLogsRefused = false;

  constructor(private readonly serverAddress: () => string) {
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }

  /** pods/log: the text set with setPodLog, `tailLines` and `previous` as the kubelet reads them. */
  private podLog(req: ApiRequest, route: ResourceRoute): ApiResponse {
    if (this.podLogsRefused) throw errors.forbidden(`pods "${route.name}" is forbidden: cannot get resource "pods/log" in API group "" in the namespace "${route.namespace}"`);
    const namespace = route.namespace ?? 'default';
    if (!this.store.get('', 'Pod', namespace, route.name ?? '')) throw errors.notFound('pods', '', route.name ?? '');
    const previous = req.query.previous === 'true';
    const text = this.podLogs.get(`${namespace}/${route.name}/${req.query.container ?? ''}/${previous ? 'previous' : 'current'}`);
    if (text === undefined) {
      throw errors.badRequest(previous ? `previous terminated container "${req.query.container}" in pod "${route.name}" not found` : `container "${req.query.container}" in pod "${route.name}" has no logs`);
    }
    const tail = req.query.tailLines === undefined ? undefined : Number(req.query.tailLines);
    const lines = text.replace(/\n$/, '').split('\n');
    const shown = tail === undefined ? lines : lines.slice(-tail);
    return { status: 200, body: `${shown.join('\n')}\n`, contentType: 'text/plain' };
  }

  handle(req: ApiRequest): ApiResponse {
    try {
      return this.route(req);
    } catch (error) {
      if (error instanceof ApiError) return { status: error.code, body: error.status };
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, body: errors.internal(message).status };
    }
  }

  private route(req: ApiRequest): ApiResponse {
    const route = parseRoute(req.path, this.registry);
    const ok = (body: unknown | undefined) => {
      if (body === undefined) throw errors.pathNotFound();
      return { status: 200, body };
    };
    if (route.kind !== 'resource' && req.method !== 'GET') throw errors.methodNotAllowed(req.method);
    switch (route.kind) {
      case 'version':
        return ok(SERVER_VERSION);
      case 'health':
        return { status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
      case 'api':
        return ok(apiVersions(this.serverAddress()));
      case 'apis':
        return ok(apiGroupList(this.registry));
      case 'group':
        return ok(apiGroup(this.registry, route.group));
      case 'groupVersion':
        return ok(apiResourceList(this.registry, route.group, route.version));
      case 'openapiV3Root':
        return ok(openApiV3Root(this.registry));
      case 'openapiV3':
        if (this.registry.typesIn(route.group, route.version).length === 0) throw errors.pathNotFound();
        return ok(openApiV3GroupVersion(this.registry, route.group, route.version));
      case 'openapiV2':
      case 'unknown':
        throw errors.pathNotFound();
      case 'resource':
        return this.resource(req, route);
    }
  }

  private resource(req: ApiRequest, route: ResourceRoute): ApiResponse {
    const { type } = route;
    if (route.subresource === 'log' && type.kind === 'Pod' && req.method === 'GET') return this.podLog(req, route);
    const scale = route.subresource === 'scale' && type.scale === true && route.name !== undefined;
    if (route.subresource !== undefined && !(route.subresource === 'status' && type.status) && !scale) throw errors.pathNotFound();
    const scope: Scope = route.subresource === 'status' ? 'status' : 'main';
    const dryRun = req.query.dryRun;
    if (dryRun !== undefined && dryRun !== 'All') throw errors.badRequest(`Invalid dry run value: ${JSON.stringify(dryRun)}; only "All" is supported`);
    const isDryRun = dryRun === 'All';
    const manager = req.query.fieldManager || req.userAgent.split('/')[0] || 'unknown';
    if (scale) return this.scale(req, route, manager, isDryRun);
    switch (req.method) {
      case 'GET':
        return route.name === undefined ? this.list(req, route) : this.get(route);
      case 'POST':
        if (route.name !== undefined) throw errors.methodNotAllowed('POST');
        return this.create(req, route, manager, isDryRun);
      case 'PUT':
        if (route.name === undefined) throw errors.methodNotAllowed('PUT');
        return this.replace(req, route, scope, manager, isDryRun);
      case 'PATCH':
        if (route.name === undefined) throw errors.methodNotAllowed('PATCH');
        return this.patch(req, route, scope, manager, isDryRun);
      case 'DELETE':
        if (scope !== 'main') throw errors.methodNotAllowed('DELETE');
        return route.name === undefined ? this.deleteCollection(req, route, isDryRun) : this.delete(req, route, isDryRun);
      default:
        throw errors.methodNotAllowed(req.method);
    }
  }

  // ---- reads ----------------------------------------------------------------------------

  /** `onRead`: a status behaviour run on every read of an object of `kind`. */
  setReadBehaviour(kind: string, behaviour: ReadBehaviour): void {
    this.readBehaviours.set(kind, behaviour);
  }

  private present(object: KubeObject, type: ResourceType, version: string): KubeObject {
    return { ...object, apiVersion: gv(type.group, version) };
  }

  /** Runs the read behaviour for the object's kind; a returned status is written like a controller would. */
  private observe(object: KubeObject, type: ResourceType): KubeObject {
    const behaviour = this.readBehaviours.get(type.kind);
    if (!behaviour) return object;
    const id = `${type.group}/${type.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
    const count = (this.readCounts.get(id) ?? 0) + 1;
    this.readCounts.set(id, count);
    const status = behaviour(clone(object), count);
    if (status === undefined || deepEqual(status, object.status)) return object;
    const next = { ...clone(object), status: clone(status) };
    return this.write(type, object, next, 'status', 'kube-controller-manager', 'Update', false).object;
  }

  /** What a watch request's path addresses: a collection (all namespaces when none), or undefined. */
  watchRoute(path: string): { type: ResourceType; group: string; version: string; namespace?: string } | undefined {
    const route = parseRoute(path, this.registry);
    if (route.kind !== 'resource' || route.name !== undefined || route.subresource !== undefined) return undefined;
    return { type: route.type, group: route.group, version: route.version, namespace: route.namespace };
  }

  /** An object as a watch event carries it: with the requested apiVersion and its kind. */
  presentInVersion(object: KubeObject, type: ResourceType, version: string): KubeObject {
    return this.present(object, type, version);
  }

  /** Writes `status` on a stored object as a controller would (manager kube-controller-manager, /status); false when the object is gone. */
  writeStatus(group: string, kind: string, namespace: string, name: string, status: (object: KubeObject) => Record<string, unknown>): boolean {
    const type = this.registry.byGroupKind(group, kind);
    const live = type && this.store.peek(group, kind, type.namespaced ? namespace : '', name);
    if (!type || !live) return false;
    const next = { ...clone(live), status: clone(status(clone(live))) };
    this.write(type, live, next, 'status', 'kube-controller-manager', 'Update', false);
    return true;
  }

  private get(route: ResourceRoute): ApiResponse {
    const { type } = route;
    const live = this.store.peek(type.group, type.kind, route.namespace ?? '', route.name ?? '');
    if (!live) throw errors.notFound(type.plural, type.group, route.name ?? '');
    return { status: 200, body: this.present(this.observe(live, type), type, route.version) };
  }

  private list(req: ApiRequest, route: ResourceRoute): ApiResponse {
    const { type } = route;
    const byLabel = labelSelector(req.query.labelSelector);
    const byField = fieldSelector(req.query.fieldSelector);
    let items = this.store
      .scan(type.group, type.kind, route.namespace)
      .filter((o) => byLabel(o) && byField(o))
      .map((o) => this.observe(o, type));
    // Chunking as the real server does it: `limit` and an opaque `continue` token.
    const start = req.query.continue ? Number(Buffer.from(req.query.continue, 'base64').toString('utf8')) || 0 : 0;
    const limit = Number(req.query.limit ?? 0);
    const metadata: Record<string, unknown> = { resourceVersion: String(this.store.currentRevision) };
    if (limit > 0 && items.length - start > limit) {
      metadata.continue = Buffer.from(String(start + limit)).toString('base64');
      metadata.remainingItemCount = items.length - start - limit;
    }
    items = limit > 0 ? items.slice(start, start + limit) : items.slice(start);
    // Typed lists of built-in kinds carry no apiVersion/kind on their items; custom resource lists do.
    const presented = items.map((o) => {
      if (type.crd) return this.present(o, type, route.version);
      const { apiVersion: _a, kind: _k, ...rest } = o;
      return rest;
    });
    return { status: 200, body: { apiVersion: gv(type.group, route.version), kind: type.listKind, metadata, items: presented } };
  }

  // ---- scale ----------------------------------------------------------------------------

  /** /scale: GET reads the Scale; PUT and PATCH (JSON, merge, strategic) set spec.replicas only. */
  private scale(req: ApiRequest, route: ResourceRoute, manager: string, dryRun: boolean): ApiResponse {
    const { type } = route;
    const live = this.live(route);
    const current = scaleOf(live);
    if (req.method === 'GET') return { status: 200, body: current };
    let written: unknown;
    if (req.method === 'PUT') {
      written = this.parseBody(req);
    } else if (req.method === 'PATCH') {
      const contentType = req.contentType.split(';')[0].trim();
      const accepted = [JSON_PATCH, MERGE, STRATEGIC];
      if (!accepted.includes(contentType)) throw errors.unsupportedMediaType(contentType, accepted);
      const patch = this.parseBody(req);
      written = contentType === JSON_PATCH ? jsonPatch(current, patch) : contentType === MERGE ? mergePatch(current, patch) : strategicMergePatch(current, patch);
    } else throw errors.methodNotAllowed(req.method);
    const meta = isPlainObject(written) && isPlainObject(written.metadata) ? written.metadata : {};
    this.checkResourceVersion(route, live, meta.resourceVersion);
    const replicas = requestedReplicas(written, route.name ?? '');
    const next = clone(live);
    next.spec = { ...(isPlainObject(next.spec) ? next.spec : {}), replicas };
    const prepared = prepareUpdate(live, stripManaged(next), type, 'main');
    const { object } = this.write(type, live, prepared, 'main', manager, 'Update', dryRun, undefined, 'scale');
    return { status: 200, body: scaleOf(object) };
  }

  // ---- writes ---------------------------------------------------------------------------

  private parseBody(req: ApiRequest): unknown {
    try {
      if (req.contentType.includes('yaml')) return parseYamlBody(req.body);
      return JSON.parse(req.body);
    } catch (error) {
      throw errors.badRequest(`error decoding ${req.contentType.includes('yaml') ? 'YAML' : 'JSON'}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private bodyObject(req: ApiRequest, route: ResourceRoute): KubeObject {
    const body = this.parseBody(req);
    if (!isPlainObject(body)) throw errors.badRequest('the body of the request is not an object');
    const object = body as KubeObject;
    const expected = gv(route.type.group, route.version);
    if (object.apiVersion !== undefined && object.apiVersion !== expected && !(route.type.group === object.apiVersion.split('/')[0] && route.type.versions.includes(object.apiVersion.split('/')[1]))) {
      throw errors.badRequest(`the API version in the data (${object.apiVersion}) does not match the expected API version (${expected})`);
    }
    if (object.kind !== undefined && object.kind !== route.type.kind) {
      throw errors.badRequest(`the kind in the data (${object.kind}) does not match the expected kind (${route.type.kind})`);
    }
    object.apiVersion = expected;
    object.kind = route.type.kind;
    object.metadata = isPlainObject(object.metadata) ? object.metadata : {};
    const ns = object.metadata.namespace;
    if (route.type.namespaced) {
      if (ns !== undefined && ns !== '' && ns !== route.namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      object.metadata.namespace = route.namespace;
    } else delete object.metadata.namespace;
    if (route.name !== undefined && object.metadata.name !== undefined && object.metadata.name !== route.name) {
      throw errors.badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${route.name})`);
    }
    if (route.name !== undefined) object.metadata.name = route.name;
    return object;
  }

  private requireNamespace(type: ResourceType, namespace: string | undefined): void {
    if (!type.namespaced) return;
    if (!this.store.peek('', 'Namespace', '', namespace ?? '')) throw errors.notFound('namespaces', '', namespace ?? '');
  }

  /**
   * Stores `next` (already prepared) with ownership updated for a non-apply write, unless
   * nothing changed. Returns what the client sees.
   */
  private write(
    type: ResourceType,
    live: KubeObject | undefined,
    next: KubeObject,
    scope: Scope,
    manager: string,
    operation: 'Update',
    dryRun: boolean,
    explicit?: unknown[],
    /** The subresource written through when it is not the scope's own (`scale`). */
    through?: 'scale',
  ): { object: KubeObject; changed: boolean } {
    const subresource = through ?? (scope === 'status' ? 'status' : undefined);
    const ownership = updateOwnership({
      managers: explicit?.length === 0 ? [] : readManagers(live),
      updater: { manager, operation, apiVersion: next.apiVersion, ...(subresource ? { subresource } : {}) },
      before: live ? ownedView(live, type, scope) : {},
      after: ownedView(next, type, scope),
      now: now(),
    });
    const unchanged = live !== undefined && !ownership.changed && equalIgnoringManaged(live, next);
    if (unchanged && explicit === undefined) return { object: live, changed: false };
    // A client that sends managedFields replaces them; an empty list resets ownership to this write.
    const managed = explicit !== undefined && explicit.length > 0 ? explicit : writeManagers(ownership.managers);
    return { object: this.commit(type, live, withManaged(next, managed), dryRun), changed: true };
  }

  /**
   * Assigns resourceVersion and stores, with the side effects of CRDs; dry-run stores nothing.
   * Takes over `next` (callers pass an object built for this write); the store keeps its own
   * copy, so what is returned can go to the client (or a test) without aliasing stored state.
   */
  private commit(type: ResourceType, live: KubeObject | undefined, next: KubeObject, dryRun: boolean): KubeObject {
    const object = next;
    if (dryRun) {
      if (live?.metadata.resourceVersion !== undefined) object.metadata.resourceVersion = live.metadata.resourceVersion;
      else delete object.metadata.resourceVersion;
      return object;
    }
    object.metadata.resourceVersion = this.store.nextRevision();
    this.store.put(type.group, object);
    if (type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition') this.registerCrd(object, live);
    return object;
  }

  private registerCrd(crd: KubeObject, live: KubeObject | undefined): void {
    const before = live ? typeFromCrd(live) : undefined;
    const after = typeFromCrd(crd);
    if (before && (!after || before.group !== after.group || before.plural !== after.plural)) this.registry.remove(before.group, before.plural);
    if (after && !(this.registry.byGroupKind(after.group, after.kind) && !this.registry.byGroupKind(after.group, after.kind)?.crd)) {
      this.registry.add(after);
    }
  }

  private create(req: ApiRequest, route: ResourceRoute, manager: string, dryRun: boolean): ApiResponse {
    const { type } = route;
    const object = this.bodyObject(req, route);
    if (!object.metadata.name && object.metadata.generateName) object.metadata.name = `${object.metadata.generateName}${randomSuffix()}`;
    this.requireNamespace(type, route.namespace);
    validate(object, undefined, type);
    if (this.store.peek(type.group, type.kind, route.namespace ?? '', object.metadata.name ?? '')) {
      throw errors.alreadyExists(type.plural, type.group, object.metadata.name ?? '');
    }
    const prepared = this.withCrdStatus(type, prepareCreate(stripManaged(object), type, { uid: randomUUID(), now: now() }));
    const { object: created } = this.write(type, undefined, prepared, 'main', manager, 'Update', dryRun);
    return { status: 201, body: created };
  }

  /** A CRD is accepted at once: its status says Established and NamesAccepted. */
  private withCrdStatus(type: ResourceType, object: KubeObject): KubeObject {
    if (type.group !== 'apiextensions.k8s.io' || type.kind !== 'CustomResourceDefinition') return object;
    return { ...object, status: acceptedStatus(object, now()) };
  }

  /** The stored object the route names (read-only: see ObjectStore.peek), or 404. */
  private live(route: ResourceRoute): KubeObject {
    const { type } = route;
    const live = this.store.peek(type.group, type.kind, route.namespace ?? '', route.name ?? '');
    if (!live) throw errors.notFound(type.plural, type.group, route.name ?? '');
    return live;
  }

  private checkResourceVersion(route: ResourceRoute, live: KubeObject, wanted: unknown): void {
    if (wanted !== undefined && wanted !== '' && wanted !== live.metadata.resourceVersion) {
      throw errors.conflict(route.type.plural, route.type.group, route.name ?? '');
    }
  }

  private replace(req: ApiRequest, route: ResourceRoute, scope: Scope, manager: string, dryRun: boolean): ApiResponse {
    const { type } = route;
    const body = this.bodyObject(req, route);
    const live = this.live(route);
    this.checkResourceVersion(route, live, body.metadata.resourceVersion);
    return this.update(type, live, body, scope, manager, dryRun);
  }

  private update(type: ResourceType, live: KubeObject, body: KubeObject, scope: Scope, manager: string, dryRun: boolean): ApiResponse {
    const explicit = Array.isArray(body.metadata.managedFields) ? (body.metadata.managedFields as unknown[]) : undefined;
    const next = this.withCrdStatus(type, prepareUpdate(live, stripManaged(body), type, scope));
    validate(next, live, type);
    const { object } = this.write(type, live, next, scope, manager, 'Update', dryRun, explicit);
    return { status: 200, body: object };
  }

  private patch(req: ApiRequest, route: ResourceRoute, scope: Scope, manager: string, dryRun: boolean): ApiResponse {
    const { type } = route;
    const contentType = req.contentType.split(';')[0].trim();
    if (contentType === APPLY) return this.apply(req, route, scope, dryRun);
    const accepted = type.crd ? [JSON_PATCH, MERGE, APPLY] : [JSON_PATCH, MERGE, APPLY, STRATEGIC];
    if (!accepted.includes(contentType)) throw errors.unsupportedMediaType(contentType, accepted);
    const live = this.live(route);
    const patch = this.parseBody(req);
    const base = stripManaged(live);
    let patched: unknown;
    if (contentType === JSON_PATCH) patched = jsonPatch(base, patch);
    else if (contentType === MERGE) patched = mergePatch(base, patch);
    else patched = strategicMergePatch(base, patch);
    if (!isPlainObject(patched)) throw errors.badRequest('the patch did not produce an object');
    const object = patched as KubeObject;
    const meta = isPlainObject(object.metadata) ? object.metadata : {};
    this.checkResourceVersion(route, live, isPlainObject(patch) && isPlainObject(patch.metadata) ? patch.metadata.resourceVersion : undefined);
    object.metadata = { ...meta, name: live.metadata.name, ...(type.namespaced ? { namespace: live.metadata.namespace } : {}) };
    object.apiVersion = live.apiVersion;
    object.kind = live.kind;
    return this.update(type, live, object, scope, manager, dryRun);
  }

  /** Server-side apply: merge, drop what this manager stopped applying, check conflicts, store unless nothing changed. */
  private apply(req: ApiRequest, route: ResourceRoute, scope: Scope, dryRun: boolean): ApiResponse {
    const { type } = route;
    const manager = req.query.fieldManager;
    if (!manager) {
      throw errors.invalid('PatchOptions', 'meta.k8s.io', '', [
        { field: 'fieldManager', message: 'Required value: is required for apply patch', reason: 'FieldValueRequired' },
      ]);
    }
    const force = req.query.force === 'true';
    const config = this.bodyObject(req, route);
    if (!config.metadata.name) throw errors.badRequest('name is required');
    const applier = {
      manager,
      operation: 'Apply' as const,
      apiVersion: config.apiVersion,
      ...(scope === 'status' ? { subresource: 'status' } : {}),
    };
    const configSet = collectFields(ownedView(config, type, scope));
    const live = this.store.peek(type.group, type.kind, route.namespace ?? '', route.name ?? '');
    const { resourceVersion, ...configMeta } = config.metadata;
    const configBody = { ...config, metadata: configMeta };

    if (!live) {
      if (scope === 'status') throw errors.notFound(type.plural, type.group, route.name ?? '');
      this.requireNamespace(type, route.namespace);
      const merged = applyMerge({}, configBody) as KubeObject;
      validate(merged, undefined, type);
      const prepared = this.withCrdStatus(type, prepareCreate(merged, type, { uid: randomUUID(), now: now() }));
      const ownership = applyOwnership({ managers: [], applier, configSet, before: {}, after: ownedView(prepared, type, scope), force, now: now() });
      const created = this.commit(type, undefined, withManaged(prepared, writeManagers(ownership.managers)), dryRun);
      return { status: 201, body: created };
    }

    this.checkResourceVersion(route, live, resourceVersion);
    const managers = readManagers(live);
    const merged = applyMerge(stripManaged(live), configBody) as KubeObject;
    pruneDropped(merged, managers, applier, configSet);
    const next = this.withCrdStatus(type, prepareUpdate(live, merged, type, scope));
    const ownership = applyOwnership({
      managers,
      applier,
      configSet,
      before: ownedView(live, type, scope),
      after: ownedView(next, type, scope),
      force,
      now: now(),
    });
    if (!ownership.changed && equalIgnoringManaged(live, next)) return { status: 200, body: this.present(live, type, route.version) };
    validate(next, live, type);
    const stored = this.commit(type, live, withManaged(next, writeManagers(ownership.managers)), dryRun);
    return { status: 200, body: stored };
  }

  private delete(req: ApiRequest, route: ResourceRoute, dryRun: boolean): ApiResponse {
    const { type } = route;
    const live = this.live(route);
    const options = req.body.trim() ? this.parseBody(req) : {};
    const preconditions = isPlainObject(options) && isPlainObject(options.preconditions) ? options.preconditions : {};
    if (preconditions.uid !== undefined && preconditions.uid !== live.metadata.uid) throw errors.conflict(type.plural, type.group, route.name ?? '');
    this.checkResourceVersion(route, live, preconditions.resourceVersion);
    if (!dryRun && !deleteOptionsDryRun(options)) this.remove(type, live);
    // Custom resources answer with the deleted object, built-ins with a Success status.
    if (type.crd) return { status: 200, body: this.present(live, type, route.version) };
    return { status: 200, body: success({ name: live.metadata.name, group: type.group, kind: type.plural, uid: String(live.metadata.uid ?? '') }) };
  }

  private deleteCollection(req: ApiRequest, route: ResourceRoute, dryRun: boolean): ApiResponse {
    const { type } = route;
    const byLabel = labelSelector(req.query.labelSelector);
    const byField = fieldSelector(req.query.fieldSelector);
    const doomed = this.store.scan(type.group, type.kind, route.namespace).filter((o) => byLabel(o) && byField(o));
    if (!dryRun) for (const object of doomed) this.remove(type, object);
    return {
      status: 200,
      body: { apiVersion: gv(type.group, route.version), kind: type.listKind, metadata: { resourceVersion: String(this.store.currentRevision) }, items: doomed },
    };
  }

  /**
   * Deletion is immediate: finalizers and graceful termination are not modelled. A Namespace
   * takes its contents with it; a CRD its custom resources and its discovery entry.
   */
  private remove(type: ResourceType, object: KubeObject): void {
    const meta = object.metadata;
    this.store.delete(type.group, type.kind, meta.namespace ?? '', meta.name ?? '');
    if (type.group === '' && type.kind === 'Namespace') this.store.deleteNamespaced(meta.name ?? '');
    if (type.group === 'apiextensions.k8s.io' && type.kind === 'CustomResourceDefinition') {
      const defined = typeFromCrd(object);
      if (defined && this.registry.byGroupKind(defined.group, defined.kind)?.crd === meta.name) {
        this.registry.remove(defined.group, defined.plural);
        this.store.deleteKind(defined.group, defined.kind);
      }
    }
  }

  // ---- direct access for tests ------------------------------------------------------------

  /** Stores an object as if created (server-set fields filled, status kept); `manager` owns all its fields. */
  seed(object: KubeObject, manager?: string): KubeObject {
    const { group, version } = splitGv(object.apiVersion);
    const type = this.registry.byKind(group, version, object.kind);
    if (!type) throw new Error(`seed: ${object.apiVersion} ${object.kind} is not served`);
    const input = clone(object);
    input.metadata = { ...input.metadata };
    if (type.namespaced) input.metadata.namespace = input.metadata.namespace || 'default';
    else delete input.metadata.namespace;
    if (!input.metadata.name && input.metadata.generateName) input.metadata.name = `${input.metadata.generateName}${randomSuffix()}`;
    this.requireNamespace(type, input.metadata.namespace);
    validate(input, undefined, type);
    if (this.store.peek(type.group, type.kind, input.metadata.namespace ?? '', input.metadata.name ?? '')) {
      throw errors.alreadyExists(type.plural, type.group, input.metadata.name ?? '');
    }
    const prepared = prepareCreate(stripManaged(input), type, { uid: randomUUID(), now: now(), keepStatus: true });
    const withStatus = type.kind === 'CustomResourceDefinition' && prepared.status === undefined ? this.withCrdStatus(type, prepared) : prepared;
    if (!manager) return this.commit(type, undefined, withStatus, false);
    const ownership = updateOwnership({
      managers: [],
      updater: { manager, operation: 'Update', apiVersion: object.apiVersion },
      before: {},
      after: ownedView(withStatus, type, 'main'),
      now: now(),
    });
    return this.commit(type, undefined, withManaged(withStatus, writeManagers(ownership.managers)), false);
  }

  typeOf(apiVersion: string, kind: string): ResourceType | undefined {
    const { group, version } = splitGv(apiVersion);
    return this.registry.byKind(group, version, kind);
  }
}

export function splitGv(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function stripManaged(object: KubeObject): KubeObject {
  const out = clone(object);
  delete out.metadata.managedFields;
  return out;
}

/** A shallow copy with new managedFields: `object` is not changed, and shares the rest. */
function withManaged(object: KubeObject, managed: unknown[]): KubeObject {
  const { managedFields: _previous, ...metadata } = object.metadata;
  return { ...object, metadata: managed.length > 0 ? { ...metadata, managedFields: managed } : metadata };
}

/** deepEqual(stripManaged(a), stripManaged(b)) without the two copies. */
function equalIgnoringManaged(a: KubeObject, b: KubeObject): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (key === 'metadata') {
      const { managedFields: _a, ...metaA } = a.metadata;
      const { managedFields: _b, ...metaB } = b.metadata;
      if (!deepEqual(metaA, metaB)) return false;
    } else if (!deepEqual(a[key], b[key])) return false;
  }
  return true;
}

/**
 * Fields this applier set last time but no longer applies are removed, unless another
 * manager (or this configuration) still owns them or something below them.
 */
function pruneDropped(merged: KubeObject, managers: ReturnType<typeof readManagers>, applier: { manager: string; operation: 'Apply'; subresource?: string }, configSet: FieldSet): void {
  const previous = managers.find((m) => m.manager === applier.manager && m.operation === 'Apply' && (m.subresource ?? '') === (applier.subresource ?? ''));
  if (!previous) return;
  let owned = configSet;
  for (const m of managers) if (m !== previous) owned = owned.union(m.set);
  const doomed: Path[] = previous.set.paths().filter((p) => !owned.has(p) && !owned.hasDescendant(p));
  // Shallow first: a dropped list item goes whole, so its own fields need no separate removal
  // (and could not be found once its key field were gone).
  doomed.sort((a, b) => a.length - b.length);
  const removed: Path[] = [];
  for (const path of doomed) {
    if (removed.some((r) => r.length < path.length && r.every((e, i) => path[i] === e))) continue;
    removePath(merged as unknown as Record<string, unknown>, path, (p) => owned.has(p));
    removed.push(path);
  }
}

/** kubectl sends a delete's dry run in the DeleteOptions body (`dryRun: ["All"]`), not the query. */
export function deleteOptionsDryRun(options: unknown): boolean {
  return isPlainObject(options) && Array.isArray(options.dryRun) && options.dryRun.includes('All');
}
