/**
 * Discovery and OpenAPI documents derived from the registry, in the legacy (unaggregated)
 * format: kubectl asks for aggregated discovery first and falls back when the response is
 * plain application/json.
 */
import { createHash } from 'node:crypto';
import { Registry, type ResourceType } from './registry.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '35',
  emulationMajor: '1',
  emulationMinor: '35',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '34',
  gitVersion: 'v1.35.0',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-12-17T00:00:00Z',
  goVersion: 'go1.25.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupDoc(name: string, versions: string[]): Record<string, unknown> {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

export function apiGroupList(registry: Registry): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...registry.groups()].map(([name, versions]) => groupDoc(name, versions)),
  };
}

export function apiGroup(registry: Registry, group: string): unknown | undefined {
  const versions = registry.groups().get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(group, versions) } : undefined;
}

function storageVersionHash(type: ResourceType): string {
  return createHash('sha256').update(`${type.group}/${type.versions[0]}/${type.kind}`).digest('base64').slice(0, 11);
}

export function apiResourceList(registry: Registry, group: string, version: string): unknown | undefined {
  const types = registry.typesIn(group, version);
  if (types.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const type of types) {
    const entry: Record<string, unknown> = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: Registry.verbs(),
    };
    if (type.shortNames.length) entry.shortNames = type.shortNames;
    if (type.categories.length) entry.categories = type.categories;
    entry.storageVersionHash = storageVersionHash(type);
    resources.push(entry);
    if (type.status) {
      resources.push({ name: `${type.plural}/status`, singularName: '', namespaced: type.namespaced, kind: type.kind, verbs: ['get', 'patch', 'update'] });
    }
    if (type.scale) {
      resources.push({ name: `${type.plural}/scale`, singularName: '', namespaced: type.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** Every served group version, as OpenAPI v3 names them (`api/v1`, `apis/apps/v1`). */
function groupVersions(registry: Registry): { group: string; version: string }[] {
  const out: { group: string; version: string }[] = [{ group: '', version: 'v1' }];
  for (const [group, versions] of registry.groups()) for (const version of versions) out.push({ group, version });
  return out;
}

export function openApiV3Root(registry: Registry): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of groupVersions(registry)) {
    const doc = JSON.stringify(openApiV3GroupVersion(registry, group, version));
    const hash = createHash('sha512').update(doc).digest('hex').slice(0, 32).toUpperCase();
    paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${hash}` };
  }
  return { paths };
}

/**
 * The part of a group version's OpenAPI v3 document that kubectl reads: for each kind a PATCH
 * operation tagged with its GVK that declares the `fieldValidation` query parameter, which
 * tells kubectl to leave validation to the server. Schemas are not served (approximation).
 */
export function openApiV3GroupVersion(registry: Registry, group: string, version: string): unknown {
  const paths: Record<string, unknown> = {};
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  for (const type of registry.typesIn(group, version)) {
    const itemPath = type.namespaced ? `${base}/namespaces/{namespace}/${type.plural}/{name}` : `${base}/${type.plural}/{name}`;
    const gvk = { group, version, kind: type.kind };
    const parameters = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
      name,
      in: 'query',
      schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
    }));
    const operation = (action: string) => ({
      operationId: `${action}${type.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters,
      responses: { '200': { description: 'OK' } },
    });
    paths[itemPath] = { get: operation('get'), put: operation('put'), patch: operation('patch'), delete: operation('delete') };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas: {} },
  };
}
