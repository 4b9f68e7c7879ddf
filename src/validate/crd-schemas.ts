/**
 * Custom resource schemas taken from the CustomResourceDefinitions in the repository's rendered
 * output (any environment: the caller passes them all), indexed by group and kind.
 */
import { isPlainObject, splitApiVersion, type RenderedObject, type SourceLocation } from '../model/objects.js';

export interface CrdVersion {
  name: string;
  served: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  /** `openAPIV3Schema` of this version (or of the whole CRD in apiextensions.k8s.io/v1beta1). */
  schema?: Record<string, unknown>;
}

export interface CrdDefinition {
  /** `plural.group`, the CRD's own name. */
  name: string;
  group: string;
  kind: string;
  namespaced: boolean;
  versions: CrdVersion[];
  source?: SourceLocation;
}

export class CrdSchemaIndex {
  private readonly byGroupKind = new Map<string, CrdDefinition>();
  private readonly groups = new Set<string>();

  add(definition: CrdDefinition): void {
    // The first definition wins, as with kubectl apply of the same name twice in one run.
    const key = `${definition.group}/${definition.kind}`;
    if (!this.byGroupKind.has(key)) this.byGroupKind.set(key, definition);
    this.groups.add(definition.group);
  }

  lookup(group: string, kind: string): CrdDefinition | undefined {
    return this.byGroupKind.get(`${group}/${kind}`);
  }

  hasGroup(group: string): boolean {
    return this.groups.has(group);
  }

  kindsOfGroup(group: string): string[] {
    return [...this.byGroupKind.values()].filter((d) => d.group === group).map((d) => d.kind);
  }

  get size(): number {
    return this.byGroupKind.size;
  }
}

export function emptyCrdSchemaIndex(): CrdSchemaIndex {
  return new CrdSchemaIndex();
}

/** Every CustomResourceDefinition among `objects`; malformed ones are skipped (schema validation reports them). */
export function collectCrdSchemas(objects: readonly RenderedObject[]): CrdSchemaIndex {
  const index = new CrdSchemaIndex();
  for (const rendered of objects) {
    const object = rendered.object;
    if (object?.kind !== 'CustomResourceDefinition') continue;
    if (splitApiVersion(String(object.apiVersion ?? '')).group !== 'apiextensions.k8s.io') continue;
    const definition = readDefinition(object as Record<string, unknown>, rendered.source);
    if (definition) index.add(definition);
  }
  return index;
}

function readDefinition(object: Record<string, unknown>, source: SourceLocation | undefined): CrdDefinition | undefined {
  const spec = object.spec;
  if (!isPlainObject(spec) || typeof spec.group !== 'string' || !isPlainObject(spec.names)) return undefined;
  const kind = spec.names.kind;
  if (typeof kind !== 'string') return undefined;
  // v1beta1 allowed one schema for all versions under spec.validation.
  const sharedSchema = isPlainObject(spec.validation) ? schemaOf(spec.validation) : undefined;
  const versions: CrdVersion[] = [];
  if (Array.isArray(spec.versions)) {
    for (const v of spec.versions) {
      if (!isPlainObject(v) || typeof v.name !== 'string') continue;
      versions.push({
        name: v.name,
        served: v.served !== false,
        deprecated: v.deprecated === true,
        deprecationWarning: typeof v.deprecationWarning === 'string' ? v.deprecationWarning : undefined,
        schema: (isPlainObject(v.schema) ? schemaOf(v.schema) : undefined) ?? sharedSchema,
      });
    }
  }
  if (versions.length === 0 && typeof spec.version === 'string')
    versions.push({ name: spec.version, served: true, deprecated: false, schema: sharedSchema });
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  return {
    name: typeof metadata.name === 'string' ? metadata.name : `${String(spec.names.plural ?? kind)}.${spec.group}`,
    group: spec.group,
    kind,
    namespaced: spec.scope !== 'Cluster',
    versions,
    source,
  };
}

function schemaOf(holder: Record<string, unknown>): Record<string, unknown> | undefined {
  return isPlainObject(holder.openAPIV3Schema) ? holder.openAPIV3Schema : undefined;
}
