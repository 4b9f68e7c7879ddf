/**
 * Which REST resource serves a kind: apiVersion + kind -> plural name, scope, URL paths.
 * Answers are cached per client and per group-version; a kind the cache does not know makes
 * one fresh discovery request, so a CRD applied earlier in the same run resolves.
 */

import { UserError } from '../model/errors.js';
import type { KubeObject, ObjectRef } from '../model/objects.js';
import { splitApiVersion } from '../model/objects.js';
import type { KubeClient } from './client.js';
import { KubeApiError } from './errors.js';

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

interface CacheEntry<T> {
  fetchedAt: number;
  value: Promise<T>;
}

/** A resolved resource and the URLs of its objects. */
export class ResourceRef {
  constructor(
    readonly group: string,
    readonly version: string,
    readonly kind: string,
    /** Plural resource name, e.g. `deployments`. */
    readonly plural: string,
    readonly namespaced: boolean,
  ) {}

  get apiVersion(): string {
    return this.group ? `${this.group}/${this.version}` : this.version;
  }

  private get prefix(): string {
    return this.group ? `/apis/${this.group}/${this.version}` : `/api/${this.version}`;
  }

  /** Collection URL; namespaced kinds without a namespace list across all namespaces. */
  collectionPath(namespace?: string): string {
    return this.namespaced && namespace
      ? `${this.prefix}/namespaces/${encodeURIComponent(namespace)}/${this.plural}`
      : `${this.prefix}/${this.plural}`;
  }

  objectPath(namespace: string | undefined, name: string): string {
    return `${this.collectionPath(this.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
  }

  /** The object's identity; the namespace is blanked for cluster-scoped kinds. */
  refOf(object: KubeObject): ObjectRef {
    return {
      group: this.group,
      version: this.version,
      kind: this.kind,
      namespace: this.namespaced ? (object.metadata?.namespace ?? '') : '',
      name: object.metadata?.name ?? '',
    };
  }
}

/** A kind the cluster does not serve, usually because its CRD is missing. */
export class UnknownKindError extends UserError {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    context: string,
    subject?: string,
  ) {
    super(
      `${subject ? `${subject}: ` : ''}the cluster (context "${context}") does not serve kind "${kind}" in apiVersion "${apiVersion}".`,
      splitApiVersion(apiVersion).group.includes('.')
        ? 'Is its CustomResourceDefinition installed? Add the CRD to this environment (Slipway applies CRDs first) or install it before deploying; also check the apiVersion is still served.'
        : 'Check the spelling of kind and apiVersion, and that the cluster version still serves this API (see `kubectl api-resources`).',
    );
    this.name = 'UnknownKindError';
  }
}

export class Discovery {
  private groupVersions = new Map<string, CacheEntry<ApiResource[] | undefined>>();
  private groups?: CacheEntry<Map<string, string[]>>;
  /** Discovery requests made (for tests and the benchmark). */
  requests = 0;

  constructor(private readonly client: KubeClient) {}

  /** Forgets everything, e.g. after CRDs were established. */
  invalidate(): void {
    this.groupVersions.clear();
    this.groups = undefined;
  }

  async resolveObject(object: KubeObject, subject?: string): Promise<ResourceRef> {
    const { group, version } = splitApiVersion(object.apiVersion ?? '');
    return this.resolve({ group, version, kind: object.kind }, subject);
  }

  async resolve(target: Pick<ObjectRef, 'group' | 'version' | 'kind'>, subject?: string): Promise<ResourceRef> {
    const startedAt = performance.now();
    const gv = target.group ? `${target.group}/${target.version}` : target.version;
    let resources = await this.groupVersion(gv, startedAt, false);
    let found = resources?.find((r) => r.kind === target.kind && !r.name.includes('/'));
    if (!found) {
      resources = await this.groupVersion(gv, startedAt, true);
      found = resources?.find((r) => r.kind === target.kind && !r.name.includes('/'));
    }
    if (!found) throw new UnknownKindError(gv, target.kind, this.client.context, subject);
    return new ResourceRef(target.group, target.version, target.kind, found.name, found.namespaced);
  }

  /** Resolves a kind named without a version (as ApplySet's `Kind.group` does), using the group's preferred version. */
  async resolveGroupKind(group: string, kind: string, subject?: string): Promise<ResourceRef> {
    if (!group) return this.resolve({ group: '', version: 'v1', kind }, subject);
    const startedAt = performance.now();
    for (const refresh of [false, true]) {
      const versions = (await this.groupList(startedAt, refresh)).get(group) ?? [];
      for (const version of versions) {
        const resources = await this.groupVersion(`${group}/${version}`, startedAt, refresh);
        const found = resources?.find((r) => r.kind === kind && !r.name.includes('/'));
        if (found) return new ResourceRef(group, version, kind, found.name, found.namespaced);
      }
    }
    throw new UnknownKindError(group, kind, this.client.context, subject);
  }

  /** Resources of one group-version; undefined when the cluster does not serve it. */
  private groupVersion(gv: string, startedAt: number, refresh: boolean): Promise<ApiResource[] | undefined> {
    const cached = this.groupVersions.get(gv);
    // Another caller may have refreshed since this lookup began: reuse its answer.
    if (cached && (!refresh || cached.fetchedAt >= startedAt)) return cached.value;
    const entry: CacheEntry<ApiResource[] | undefined> = { fetchedAt: performance.now(), value: this.fetchGroupVersion(gv) };
    entry.value.catch(() => this.groupVersions.get(gv) === entry && this.groupVersions.delete(gv));
    this.groupVersions.set(gv, entry);
    return entry.value;
  }

  private async fetchGroupVersion(gv: string): Promise<ApiResource[] | undefined> {
    this.requests += 1;
    const path = gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`;
    try {
      const list = await this.client.request<{ resources?: ApiResource[] }>({ method: 'GET', path, subject: `discovery of ${gv}` });
      return list.resources ?? [];
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Group name -> served versions, preferred first. */
  private groupList(startedAt: number, refresh: boolean): Promise<Map<string, string[]>> {
    if (this.groups && (!refresh || this.groups.fetchedAt >= startedAt)) return this.groups.value;
    const entry: CacheEntry<Map<string, string[]>> = { fetchedAt: performance.now(), value: this.fetchGroups() };
    entry.value.catch(() => this.groups === entry && (this.groups = undefined));
    this.groups = entry;
    return entry.value;
  }

  private async fetchGroups(): Promise<Map<string, string[]>> {
    this.requests += 1;
    const list = await this.client.request<{
      groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[];
    }>({ method: 'GET', path: '/apis', subject: 'discovery of API groups' });
    const groups = new Map<string, string[]>();
    for (const group of list.groups ?? []) {
      const preferred = group.preferredVersion?.version;
      const others = (group.versions ?? []).map((v) => v.version).filter((v) => v !== preferred);
      groups.set(group.name, preferred ? [preferred, ...others] : others);
    }
    return groups;
  }
}
