/**
 * Offline validation of one environment's rendered objects: schema of built-in kinds, custom
 * resources against CRDs from the repository, API versions removed or deprecated in the target
 * Kubernetes version, and the configurable policies.
 */
import type { EnvironmentConfig } from '../config/types.js';
import { formatLocation, type Finding } from '../model/findings.js';
import { isPlainObject, splitApiVersion, type RenderedObject } from '../model/objects.js';
import {
  builtinKindsOfGroup,
  builtinVersionsOfKind,
  isBuiltinGroup,
  lookupBuiltinKind,
  schemaKubernetesVersion,
} from './builtin-kinds.js';
import type { CrdDefinition, CrdSchemaIndex } from './crd-schemas.js';
import { validateCustomResource } from './crd-validator.js';
import { withDefaults } from './crd/defaults.js';
import type { ExternalSchemaLookup, ExternalSchemas } from './external-schemas.js';
import { checkCrdRules } from './crd/rules.js';
import { deprecationStatus, lookupDeprecatedApi } from './deprecated-apis.js';
import { notYetServedMessage } from './api-introductions.js';
import { emptyEnvironmentFinding } from './empty-environment.js';
import { formatPath } from './json-path.js';
import { parseKubeVersion, type KubeVersion } from './kube-version.js';
import { objectFinding } from './object-finding.js';
import { checkDuplicateObjects } from './policies/duplicate-object.js';
import { checkImageTags } from './policies/image-tag.js';
import { checkMissingNamespaces } from './policies/missing-namespace.js';
import { checkPlaintextSecrets } from './policies/plaintext-secret.js';
import { SchemaWalker, type SchemaIssue } from './schema-walker.js';
import { BUILTIN_ENUMS } from './server/enums.js';
import type { ServerIssue } from './server/issue.js';
import { checkServerRules } from './server/server-rules.js';
import { builtinSchemaData } from './schemas/builtin.js';
import { closestMatch } from '../model/suggest.js';

export interface ValidationContext {
  /** CRDs found anywhere in the repository's rendered output (see collectCrdSchemas). */
  crds: CrdSchemaIndex;
  /** Schemas from the environment's `schemas:` directories; absent: none are read. */
  externalSchemas?: ExternalSchemas;
}

export type ValidationEnvironment = Pick<EnvironmentConfig, 'kubernetesVersion' | 'strict' | 'namespace' | 'policies'> &
  Partial<Pick<EnvironmentConfig, 'name' | 'path' | 'prune' | 'schemas'>>;

const walker = new SchemaWalker(builtinSchemaData, BUILTIN_ENUMS);

const GENERATE_NAME_MESSAGE =
  'metadata.generateName without metadata.name: server-side apply needs a fixed name, so this object cannot be applied; ' +
  'give it a metadata.name, or move it out of the environment (Argo CD hooks are not run by Slipway)';
const OBJECT_META = 'V1ObjectMeta';

export function validateObjects(
  objects: readonly RenderedObject[],
  env: ValidationEnvironment,
  context: ValidationContext,
  /** `renderFailed`: the render reported errors, which say why it holds no objects better than an empty-environment finding. */
  options: { renderFailed?: boolean } = {},
): Finding[] {
  const target = parseKubeVersion(env.kubernetesVersion) ?? parseKubeVersion(schemaKubernetesVersion)!;
  const findings: Finding[] = [];
  if (objects.length === 0 && env.path !== undefined && !options.renderFailed) findings.push(emptyEnvironmentFinding(env));
  const wellFormed: RenderedObject[] = [];
  for (const rendered of objects) {
    if (validateObject(rendered, env, context, target, findings)) wellFormed.push(rendered);
  }
  findings.push(
    ...checkImageTags(wellFormed, env),
    ...checkDuplicateObjects(wellFormed, env, context.crds),
    ...checkMissingNamespaces(wellFormed, { ...env, name: env.name ?? '' }, context.crds),
    ...checkPlaintextSecrets(wellFormed, env),
  );
  if (env.name) for (const finding of findings) finding.environment = env.name;
  return findings;
}

/** Adds the object's own findings; false when it is too malformed for the policies to read. */
function validateObject(
  rendered: RenderedObject,
  env: ValidationEnvironment,
  context: ValidationContext,
  target: KubeVersion,
  findings: Finding[],
): boolean {
  const { crds } = context;
  const object = rendered.object as unknown;
  if (!isPlainObject(object)) {
    findings.push(objectFinding(rendered, 'error', 'schema', 'the document is not a Kubernetes object (a mapping with apiVersion, kind and metadata)'));
    return false;
  }
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || !apiVersion || typeof kind !== 'string' || !kind) {
    const missing = typeof apiVersion !== 'string' || !apiVersion ? 'apiVersion' : 'kind';
    findings.push(objectFinding(rendered, 'error', 'schema', `missing or non-string ${missing}: every object needs apiVersion and kind strings (e.g. apiVersion: apps/v1, kind: Deployment)`));
    return false;
  }
  const metadata = object.metadata;
  if (isPlainObject(metadata) && !metadata.name && metadata.generateName) {
    findings.push(objectFinding(rendered, 'error', 'server-name', GENERATE_NAME_MESSAGE, ['metadata', 'generateName']));
  } else if (!isPlainObject(metadata) || !metadata.name) {
    findings.push(objectFinding(rendered, 'error', 'schema', 'metadata.name is required', isPlainObject(metadata) ? ['metadata'] : []));
    if (!isPlainObject(metadata)) return false;
  }

  const notServed = notYetServedMessage(apiVersion, kind, target);
  if (notServed) findings.push(objectFinding(rendered, 'error', 'unknown-kind', notServed, ['apiVersion']));

  const deprecation = deprecationStatus(apiVersion, kind, target);
  if (deprecation) {
    findings.push(
      objectFinding(rendered, deprecation.status === 'removed' ? 'error' : 'warning', 'deprecated-api', deprecation.message, ['apiVersion']),
    );
  }

  const builtin = lookupBuiltinKind(apiVersion, kind);
  const { group, version } = splitApiVersion(apiVersion);
  if (builtin) {
    pushIssues(rendered, walker.validate(builtin.typeName, object), findings);
    pushServerIssues(rendered, checkServerRules(group, kind, object, true, target), findings);
    return true;
  }
  // An API the table once served but whose schema it no longer carries (policy/v1beta1 in 1.20):
  // only its metadata can be checked; when it is removed in the target, the deprecation finding says so.
  if (lookupDeprecatedApi(apiVersion, kind)) {
    pushIssues(rendered, walker.validate(OBJECT_META, object.metadata, ['metadata']), findings);
    return true;
  }

  const crd = crds.lookup(group, kind);
  if (crd) {
    validateAgainstCrd(rendered, object, crd, version, findings);
    pushServerIssues(rendered, checkServerRules(group, kind, object, false, target), findings);
    return true;
  }
  const external = env.schemas?.length && context.externalSchemas ? context.externalSchemas.lookup(env.schemas, group, kind, version) : undefined;
  if (external?.found) {
    pushIssues(rendered, walker.validate(OBJECT_META, object.metadata, ['metadata']), findings);
    validateAgainstSchema(rendered, object, external.schema, `schema ${external.file}`, findings);
    pushServerIssues(rendered, checkServerRules(group, kind, object, false, target), findings);
    return true;
  }
  findings.push(unknownKindFinding(rendered, apiVersion, group, kind, env, crds, external && !external.found ? external : undefined));
  return true;
}

function validateAgainstCrd(
  rendered: RenderedObject,
  object: Record<string, unknown>,
  crd: CrdDefinition,
  version: string,
  findings: Finding[],
): void {
  const served = crd.versions.filter((v) => v.served);
  const match = served.find((v) => v.name === version);
  if (!match) {
    const versions = served.map((v) => `${crd.group}/${v.name}`).join(', ') || 'none';
    findings.push(
      objectFinding(rendered, 'error', 'schema', `CustomResourceDefinition ${crd.name} does not serve version ${version} of ${crd.kind}; served versions: ${versions}`, ['apiVersion']),
    );
    return;
  }
  if (match.deprecated) {
    const note = match.deprecationWarning ?? `${crd.group}/${version} ${crd.kind} is deprecated by its CustomResourceDefinition`;
    const others = served.filter((v) => !v.deprecated).map((v) => `${crd.group}/${v.name}`);
    findings.push(
      objectFinding(rendered, 'warning', 'deprecated-api', others.length ? `${note}; use apiVersion ${others.join(' or ')}` : note, ['apiVersion']),
    );
  }
  pushIssues(rendered, walker.validate(OBJECT_META, object.metadata, ['metadata']), findings);
  if (match.schema) {
    const where = crd.source ? ` (${formatLocation(crd.source)})` : '';
    validateAgainstSchema(rendered, object, match.schema, `CustomResourceDefinition ${crd.name} version ${version}${where}`, findings);
  }
}

/** A custom resource against a CRD version's schema (or a schema file of the same shape). */
function validateAgainstSchema(rendered: RenderedObject, object: Record<string, unknown>, schema: Record<string, unknown>, schemaName: string, findings: Finding[]): void {
  // The server applies defaults before it validates: a default can satisfy `required` or a rule.
  const defaulted = withDefaults(schema, object) as Record<string, unknown>;
  pushIssues(rendered, validateCustomResource(schema, defaulted, schemaName), findings);
  for (const issue of checkCrdRules(schema, defaulted))
    findings.push(objectFinding(rendered, issue.severity, issue.rule, `${formatPath(issue.path)}: ${issue.message}`, issue.path));
}

function unknownKindFinding(
  rendered: RenderedObject,
  apiVersion: string,
  group: string,
  kind: string,
  env: ValidationEnvironment,
  crds: CrdSchemaIndex,
  external: Extract<ExternalSchemaLookup, { found: false }> | undefined,
): Finding {
  if (isBuiltinGroup(group)) {
    // Built-in group: the kind is misspelt or lives in another version or group.
    const versions = builtinVersionsOfKind(group, kind);
    if (versions.length > 0)
      return objectFinding(rendered, 'error', 'unknown-kind', `${kind} is not served as ${apiVersion}; use apiVersion ${versions.join(' or ')}`, ['apiVersion']);
    const guess = closestMatch(kind, builtinKindsOfGroup(group));
    const elsewhere = otherGroupsServing(kind);
    const hint = guess
      ? `did you mean "${guess}"?`
      : elsewhere.length > 0
        ? `${kind} is served as ${elsewhere.join(' or ')}`
        : `kinds of ${apiVersion}: ${builtinKindsOfGroup(group).sort().join(', ')}`;
    return objectFinding(rendered, 'error', 'unknown-kind', `unknown kind "${kind}" in built-in API ${apiVersion}; ${hint}`, ['kind']);
  }
  if (external?.problem) return objectFinding(rendered, 'error', 'unknown-kind', `the schema for ${apiVersion} ${kind} cannot be used: ${external.problem}`, ['kind']);
  const guess = crds.hasGroup(group) ? closestMatch(kind, crds.kindsOfGroup(group)) : undefined;
  const hint = guess
    ? `did you mean "${guess}"?`
    : env.schemas?.length
      ? 'add its CustomResourceDefinition to the repository or its JSON Schema to a schemas: directory, or check apiVersion and kind'
      : 'add its CustomResourceDefinition to the repository (or a schemas: directory of JSON Schemas) so its objects can be validated, or check apiVersion and kind';
  const looked = env.schemas?.length ? `, and no schemas: directory has it (looked for ${(external?.searched ?? []).join(', ')})` : '';
  return objectFinding(
    rendered,
    env.strict ? 'error' : 'warning',
    'unknown-kind',
    `no schema for ${apiVersion} ${kind}: it is not built into Kubernetes and no CustomResourceDefinition in the repository defines it${looked}; ${hint}`,
    ['kind'],
  );
}

function otherGroupsServing(kind: string): string[] {
  return Object.keys(builtinSchemaData.kinds).filter((apiVersion) => builtinSchemaData.kinds[apiVersion][kind]);
}

function pushIssues(rendered: RenderedObject, issues: readonly SchemaIssue[], findings: Finding[]): void {
  for (const issue of issues) {
    const rule = issue.kind === 'unsupported-value' ? 'server-enum' : 'schema';
    findings.push(objectFinding(rendered, 'error', rule, `${formatPath(issue.path)}: ${issue.message}`, issue.path));
  }
}

function pushServerIssues(rendered: RenderedObject, issues: readonly ServerIssue[], findings: Finding[]): void {
  for (const issue of issues)
    findings.push(objectFinding(rendered, 'error', issue.rule, `${formatPath(issue.path)}: ${issue.message}`, issue.path));
}
