/**
 * The kinds the server serves: built-ins at start, custom resources added and removed as
 * CustomResourceDefinitions come and go. Discovery documents are derived from it.
 */

export interface ResourceType {
  group: string;
  /** Served versions, preferred first. Objects are stored once and relabelled per version (no conversion). */
  versions: string[];
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Has a /status subresource: the main resource ignores status, /status ignores the rest. */
  status: boolean;
  /** metadata.generation is kept and bumped on spec changes. */
  generation: boolean;
  /** Has a /scale subresource over spec.replicas (./scale.ts); custom resources' scale is not served. */
  scale?: boolean;
  /** Name of the CRD that registered it; absent for built-ins. */
  crd?: string;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface BuiltIn {
  kind: string;
  plural?: string;
  namespaced?: boolean;
  shortNames?: string[];
  status?: boolean;
  generation?: boolean;
  scale?: boolean;
  all?: boolean;
}

function builtIns(group: string, version: string, kinds: BuiltIn[]): ResourceType[] {
  return kinds.map((k) => ({
    group,
    versions: [version],
    kind: k.kind,
    listKind: `${k.kind}List`,
    plural: k.plural ?? `${k.kind.toLowerCase()}s`,
    singular: k.kind.toLowerCase(),
    namespaced: k.namespaced ?? true,
    shortNames: k.shortNames ?? [],
    categories: k.all ? ['all'] : [],
    status: k.status ?? false,
    generation: k.generation ?? false,
    ...(k.scale ? { scale: true } : {}),
  }));
}

export function builtInTypes(): ResourceType[] {
  return [
    ...builtIns('', 'v1', [
      { kind: 'Namespace', namespaced: false, shortNames: ['ns'], status: true },
      { kind: 'ConfigMap', shortNames: ['cm'] },
      { kind: 'Secret' },
      { kind: 'Service', shortNames: ['svc'], status: true, all: true },
      { kind: 'ServiceAccount', shortNames: ['sa'] },
      { kind: 'Pod', shortNames: ['po'], status: true, generation: true, all: true },
      { kind: 'PersistentVolumeClaim', shortNames: ['pvc'], status: true },
      { kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], status: true },
      { kind: 'Event', shortNames: ['ev'] },
      { kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'] },
      { kind: 'Node', namespaced: false, shortNames: ['no'], status: true },
      { kind: 'ResourceQuota', shortNames: ['quota'], status: true },
      { kind: 'LimitRange', shortNames: ['limits'] },
    ]),
    ...builtIns('apps', 'v1', [
      { kind: 'Deployment', shortNames: ['deploy'], status: true, generation: true, scale: true, all: true },
      { kind: 'StatefulSet', shortNames: ['sts'], status: true, generation: true, scale: true, all: true },
      { kind: 'DaemonSet', shortNames: ['ds'], status: true, generation: true, all: true },
      { kind: 'ReplicaSet', shortNames: ['rs'], status: true, generation: true, scale: true, all: true },
      { kind: 'ControllerRevision' },
    ]),
    ...builtIns('batch', 'v1', [
      { kind: 'Job', status: true, generation: true, all: true },
      { kind: 'CronJob', shortNames: ['cj'], status: true, generation: true, all: true },
    ]),
    ...builtIns('networking.k8s.io', 'v1', [
      { kind: 'Ingress', plural: 'ingresses', shortNames: ['ing'], status: true, generation: true },
      { kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'], generation: true },
      { kind: 'IngressClass', plural: 'ingressclasses', namespaced: false, generation: true },
    ]),
    ...builtIns('rbac.authorization.k8s.io', 'v1', [
      { kind: 'Role' },
      { kind: 'RoleBinding' },
      { kind: 'ClusterRole', namespaced: false },
      { kind: 'ClusterRoleBinding', namespaced: false },
    ]),
    ...builtIns('coordination.k8s.io', 'v1', [{ kind: 'Lease' }]),
    ...builtIns('apiextensions.k8s.io', 'v1', [
      { kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd', 'crds'], status: true, generation: true },
    ]),
    ...builtIns('policy', 'v1', [
      { kind: 'PodDisruptionBudget', shortNames: ['pdb'], status: true, generation: true },
    ]),
    ...builtIns('autoscaling', 'v2', [
      { kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'], status: true, all: true },
    ]),
    ...builtIns('admissionregistration.k8s.io', 'v1', [
      { kind: 'ValidatingWebhookConfiguration', namespaced: false, generation: true },
      { kind: 'MutatingWebhookConfiguration', namespaced: false, generation: true },
    ]),
    ...builtIns('storage.k8s.io', 'v1', [{ kind: 'StorageClass', plural: 'storageclasses', namespaced: false, shortNames: ['sc'] }]),
    ...builtIns('scheduling.k8s.io', 'v1', [{ kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false, shortNames: ['pc'] }]),
  ];
}

export class Registry {
  private readonly types: ResourceType[] = builtInTypes();

  all(): readonly ResourceType[] {
    return this.types;
  }

  byResource(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.plural === plural && t.versions.includes(version));
  }

  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.kind === kind && t.versions.includes(version));
  }

  /** Any version: objects are stored per group and kind. */
  byGroupKind(group: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.kind === kind);
  }

  add(type: ResourceType): void {
    this.remove(type.group, type.plural);
    this.types.push(type);
  }

  remove(group: string, plural: string): ResourceType | undefined {
    const index = this.types.findIndex((t) => t.group === group && t.plural === plural);
    if (index < 0) return undefined;
    return this.types.splice(index, 1)[0];
  }

  /** Group name -> served versions (preferred first), core group excluded. */
  groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const type of this.types) {
      if (!type.group) continue;
      const versions = groups.get(type.group) ?? [];
      for (const v of type.versions) if (!versions.includes(v)) versions.push(v);
      groups.set(type.group, versions);
    }
    return groups;
  }

  typesIn(group: string, version: string): ResourceType[] {
    return this.types.filter((t) => t.group === group && t.versions.includes(version));
  }

  static verbs(): string[] {
    return [...ALL_VERBS];
  }
}
