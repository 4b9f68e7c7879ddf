// A small in-memory API server behind the scripted transport: enough discovery, GET/LIST,
// server-side apply (a simplified merge) and DELETE to exercise the engine's logic without
// sockets. The HTTPS loopback server in __tests__/support covers the real wire.
import { KubeTransportError } from '../../src/kube/errors.js';
import type { TransportRequest, TransportResponse } from '../../src/kube/transport.js';
import type { KubeObject } from '../../src/model/objects.js';
import { isPlainObject } from '../../src/model/objects.js';
import { fakeClient, json, status } from './fake-transport.js';

interface Kind {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const BUILT_IN: Kind[] = [
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', namespaced: false },
];

function merge(base: unknown, overlay: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(overlay)) return structuredClone(overlay);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) out[key] = merge(base[key], value);
  return out;
}

function fieldsOf(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[`f:${key}`] = fieldsOf(child);
  return out;
}

export type PatchHook = (object: KubeObject, live: KubeObject | undefined, query: URLSearchParams) => TransportResponse | undefined;

export class MemoryCluster {
  kinds = [...BUILT_IN];
  store = new Map<string, KubeObject>();
  writes = 0;
  requests: { method: string; path: string; dryRun: boolean }[] = [];
  faultRate = 0;
  random = Math.random;
  patchHook?: PatchHook;
  private rv = 1;

  client() {
    return fakeClient((req) => this.handle(req)).client;
  }

  private kindFor(gv: string, plural: string): Kind | undefined {
    return this.kinds.find((k) => (k.group ? `${k.group}/${k.version}` : k.version) === gv && k.plural === plural);
  }

  key(kind: Pick<Kind, 'group' | 'kind'>, namespace: string, name: string): string {
    return `${kind.group}/${kind.kind}/${namespace}/${name}`;
  }

  get(kindName: string, namespace: string, name: string): KubeObject | undefined {
    const kind = this.kinds.find((k) => k.kind === kindName)!;
    return this.store.get(this.key(kind, kind.namespaced ? namespace : '', name));
  }

  seed(object: KubeObject): void {
    const kind = this.kinds.find((k) => k.kind === object.kind)!;
    const ns = kind.namespaced ? (object.metadata.namespace ?? 'default') : '';
    this.store.set(this.key(kind, ns, object.metadata.name!), { ...object, metadata: { ...object.metadata, resourceVersion: String(this.rv++) } });
  }

  private handle(req: TransportRequest): TransportResponse {
    const url = new URL(req.path, 'https://x');
    const dryRun = url.searchParams.get('dryRun') === 'All';
    this.requests.push({ method: req.method, path: url.pathname, dryRun });
    if (this.faultRate && this.random() < this.faultRate) {
      const pick = this.random();
      if (pick < 0.33) throw new KubeTransportError('ECONNRESET', 'socket hang up', true);
      if (pick < 0.66) return { ...status(429, 'TooManyRequests', 'slow down'), headers: { 'retry-after': '0' } };
      return status(503, 'ServiceUnavailable', 'busy');
    }
    if (req.method !== 'GET' && !dryRun) this.writes += 1;
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && (url.pathname === '/api' || url.pathname === '/apis')) return this.groups();
    const core = parts[0] === 'api';
    const gv = core ? parts[1] : `${parts[1]}/${parts[2]}`;
    let rest = parts.slice(core ? 2 : 3);
    if (rest.length === 0) {
      const resources = this.kinds.filter((k) => (k.group ? `${k.group}/${k.version}` : k.version) === gv);
      return resources.length
        ? json(200, { kind: 'APIResourceList', groupVersion: gv, resources: resources.map((k) => ({ name: k.plural, kind: k.kind, namespaced: k.namespaced })) })
        : status(404, 'NotFound', 'the server could not find the requested resource');
    }
    let namespace = '';
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const kind = this.kindFor(gv, rest[0]);
    if (!kind) return status(404, 'NotFound', 'the server could not find the requested resource');
    const name = rest[1] ? decodeURIComponent(rest[1]) : undefined;
    if (!name) return this.list(kind, namespace, url.searchParams.get('labelSelector'));
    const key = this.key(kind, namespace, name);
    const live = this.store.get(key);
    if (req.method === 'GET') return live ? json(200, live) : status(404, 'NotFound', `${kind.plural} "${name}" not found`, { details: { name, kind: kind.plural } });
    if (req.method === 'DELETE') {
      if (!live) return status(404, 'NotFound', `${kind.plural} "${name}" not found`);
      this.store.delete(key);
      return json(200, { kind: 'Status', status: 'Success' });
    }
    if (req.method === 'PATCH') return this.apply(kind, key, live, JSON.parse(req.body!.toString()) as KubeObject, url.searchParams, dryRun);
    return status(405, 'MethodNotAllowed', 'not supported here');
  }

  private apply(kind: Kind, key: string, live: KubeObject | undefined, body: KubeObject, query: URLSearchParams, dryRun: boolean): TransportResponse {
    const hooked = this.patchHook?.(body, live, query);
    if (hooked) return hooked;
    if (kind.namespaced && body.metadata.namespace && !this.store.has(this.key(BUILT_IN[4], '', body.metadata.namespace)) && !this.lenientNamespaces) {
      return status(404, 'NotFound', `namespaces "${body.metadata.namespace}" not found`);
    }
    const applied = structuredClone(body) as KubeObject;
    if (kind.kind === 'Secret' && isPlainObject(applied.stringData)) {
      applied.data = { ...(applied.data as object), ...Object.fromEntries(Object.entries(applied.stringData).map(([k, v]) => [k, Buffer.from(String(v)).toString('base64')])) };
      delete applied.stringData;
    }
    const base = live ? (structuredClone(live) as KubeObject) : undefined;
    const result = merge(base, applied) as KubeObject;
    const changed = !live || JSON.stringify({ ...live, metadata: { ...live.metadata, resourceVersion: 0, managedFields: 0 } }) !== JSON.stringify({ ...result, metadata: { ...result.metadata, resourceVersion: 0, managedFields: 0 } });
    result.metadata = {
      ...result.metadata,
      uid: live?.metadata.uid ?? `uid-${this.rv}`,
      creationTimestamp: live?.metadata.creationTimestamp ?? '2026-01-01T00:00:00Z',
      resourceVersion: changed ? String(this.rv++) : live!.metadata.resourceVersion,
      managedFields: [{ manager: query.get('fieldManager'), operation: 'Apply', fieldsV1: fieldsOf(body) }],
    };
    if (kind.kind === 'CustomResourceDefinition') {
      result.status = { conditions: [{ type: 'Established', status: 'True' }] };
      if (!dryRun) {
        const spec = body.spec as { group: string; names: { kind: string; plural: string }; scope: string; versions: { name: string }[] };
        if (!this.kinds.some((k) => k.kind === spec.names.kind && k.group === spec.group)) {
          this.kinds.push({ group: spec.group, version: spec.versions[0].name, kind: spec.names.kind, plural: spec.names.plural, namespaced: spec.scope === 'Namespaced' });
        }
      }
    }
    if (!dryRun) this.store.set(key, result);
    return json(live ? 200 : 201, result);
  }

  lenientNamespaces = true;

  private list(kind: Kind, namespace: string, selector: string | null): TransportResponse {
    const [labelKey, labelValue] = (selector ?? '').split('=');
    const items = [...this.store.entries()]
      .filter(([key]) => key.startsWith(`${kind.group}/${kind.kind}/${namespace ? `${namespace}/` : ''}`))
      .map(([, object]) => object)
      .filter((object) => !selector || object.metadata.labels?.[labelKey] === labelValue);
    return json(200, { kind: `${kind.kind}List`, items, metadata: {} });
  }

  private groups(): TransportResponse {
    const groups = new Map<string, Set<string>>();
    for (const k of this.kinds) if (k.group) groups.set(k.group, (groups.get(k.group) ?? new Set()).add(k.version));
    return json(200, {
      kind: 'APIGroupList',
      versions: ['v1'],
      groups: [...groups].map(([name, versions]) => ({ name, versions: [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version })), preferredVersion: { version: [...versions][0] } })),
    });
  }
}
