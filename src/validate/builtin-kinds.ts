/** Which apiVersion/kind pairs are built into Kubernetes, their root schema type and scope. */
import { splitApiVersion } from '../model/objects.js';
import { builtinSchemaData } from './schemas/builtin.js';

export interface BuiltinKind {
  apiVersion: string;
  kind: string;
  /** Root type in the schema table. */
  typeName: string;
  namespaced: boolean;
}

/** Groups that belong to Kubernetes itself beyond what the schema table serves today (removed APIs). */
const HISTORIC_GROUPS = ['extensions'];

const byGroup = new Map<string, Map<string, string[]>>();
for (const [apiVersion, kinds] of Object.entries(builtinSchemaData.kinds)) {
  const { group } = splitApiVersion(apiVersion);
  const kindsOfGroup = byGroup.get(group) ?? new Map<string, string[]>();
  byGroup.set(group, kindsOfGroup);
  for (const kind of Object.keys(kinds)) kindsOfGroup.set(kind, [...(kindsOfGroup.get(kind) ?? []), apiVersion]);
}
for (const group of HISTORIC_GROUPS) if (!byGroup.has(group)) byGroup.set(group, new Map());

export const schemaKubernetesVersion = builtinSchemaData.kubernetesVersion;

export function lookupBuiltinKind(apiVersion: string, kind: string): BuiltinKind | undefined {
  const entry = builtinSchemaData.kinds[apiVersion]?.[kind];
  return entry && { apiVersion, kind, typeName: entry[0], namespaced: entry[1] === 1 };
}

/** True for the core group (`""`) and every group Kubernetes serves itself, e.g. `apps`, `networking.k8s.io`. */
export function isBuiltinGroup(group: string): boolean {
  return byGroup.has(group);
}

/** Every kind of a built-in group, across its versions. */
export function builtinKindsOfGroup(group: string): string[] {
  return [...(byGroup.get(group)?.keys() ?? [])];
}

/** The apiVersions that serve `kind` in `group`, e.g. `['apps/v1']`. */
export function builtinVersionsOfKind(group: string, kind: string): string[] {
  return byGroup.get(group)?.get(kind) ?? [];
}

/** Scope of a built-in kind by group and kind in any served version; undefined when unknown. */
export function isBuiltinNamespaced(group: string, kind: string): boolean | undefined {
  const version = builtinVersionsOfKind(group, kind)[0];
  return version === undefined ? undefined : lookupBuiltinKind(version, kind)?.namespaced;
}
