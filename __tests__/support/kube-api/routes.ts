/** Maps a request path to what it addresses: a discovery document or a resource (item, list, subresource). */
import type { Registry, ResourceType } from './registry.js';

export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'openapiV3Root' }
  | { kind: 'openapiV3'; group: string; version: string }
  | { kind: 'openapiV2' }
  | ResourceRoute
  | { kind: 'unknown' };

export interface ResourceRoute {
  kind: 'resource';
  type: ResourceType;
  group: string;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function parseRoute(path: string, registry: Registry): Route {
  const parts = path.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  if (path === '/version' || path === '/version/') return { kind: 'version' };
  if (['healthz', 'readyz', 'livez'].includes(parts[0] ?? '')) return { kind: 'health' };
  if (parts[0] === 'openapi') {
    if (parts[1] === 'v2') return { kind: 'openapiV2' };
    if (parts[1] === 'v3' && parts.length === 2) return { kind: 'openapiV3Root' };
    if (parts[1] === 'v3' && parts[2] === 'api' && parts.length === 4) return { kind: 'openapiV3', group: '', version: parts[3] };
    if (parts[1] === 'v3' && parts[2] === 'apis' && parts.length === 5) return { kind: 'openapiV3', group: parts[3], version: parts[4] };
    return { kind: 'unknown' };
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    if (parts.length === 1) return { kind: 'api' };
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { kind: 'apis' };
    if (parts.length === 2) return { kind: 'group', group: parts[1] };
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return { kind: 'unknown' };
  if (rest.length === 0) return { kind: 'groupVersion', group, version };

  // /namespaces/{ns}/{plural}/... addresses namespaced objects; /namespaces/{name} is a Namespace.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const type = registry.byResource(group, version, rest[2]);
    if (type?.namespaced) {
      if (rest.length > 5) return { kind: 'unknown' };
      return { kind: 'resource', type, group, version, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
  }
  const type = registry.byResource(group, version, rest[0]);
  if (!type || rest.length > 3) return { kind: 'unknown' };
  // A namespaced kind without a namespace can only be listed (across all namespaces).
  if (type.namespaced && rest.length > 1) return { kind: 'unknown' };
  return { kind: 'resource', type, group, version, name: rest[1], subresource: rest[2] };
}
