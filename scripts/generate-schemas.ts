/**
 * Dev-time generator of the built-in schema table shipped in src/validate/schemas/builtin.json.
 *
 *   npx tsx scripts/generate-schemas.ts
 *
 * Sources (both are dev-time only; the runtime reads the JSON and nothing else):
 * - `@kubernetes/client-node`'s generated models: every property name and its type
 *   (`attributeTypeMap`), and its API classes: which apiVersion/kind can be created, at which
 *   path (namespaced or cluster-scoped) and with which body model.
 * - `kubernetes-models`' compiled validators: which properties are required, and which string
 *   properties are really quantities (they accept numbers too). The validators are probed with
 *   small objects instead of parsing their source.
 *
 * Type references in the output are short strings, so the file stays small:
 *   s string, i integer, n number, b boolean, t date-time string, q quantity (string or number),
 *   is int-or-string, a anything, [X array of X, {X map of string to X, otherwise a type name.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
interface ModelClass {
  attributeTypeMap: Attribute[];
}
type Probe = (data: unknown) => { instancePath: string; keyword: string; params: Record<string, unknown> }[];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const clientNodeGen = join(dirname(require.resolve('@kubernetes/client-node/package.json')), 'dist', 'gen');
const kmRoot = dirname(require.resolve('kubernetes-models/package.json'));
const kmApimachineryRoot = dirname(require.resolve('@kubernetes-models/apimachinery/package.json'));

const VERSION_TOKEN = /^(.*?)(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/;

async function main(): Promise<void> {
  const models = (await import(pathToFileURL(join(clientNodeGen, 'models', 'all.js')).href)) as Record<string, unknown>;
  const modelMap = new Map<string, ModelClass>();
  for (const [name, value] of Object.entries(models)) {
    if (value && Array.isArray((value as ModelClass).attributeTypeMap)) modelMap.set(name, value as ModelClass);
  }
  const probes = await loadProbes(new Set(modelMap.keys()));
  const kinds = readCreatableKinds();
  // A few API classes name a body model the package does not export; such kinds stay unknown.
  for (const [apiVersion, byKind] of Object.entries(kinds)) {
    for (const [kind, [model]] of Object.entries(byKind)) {
      if (modelMap.has(model)) continue;
      console.warn(`skipping ${apiVersion} ${kind}: model ${model} is not exported`);
      delete byKind[kind];
    }
    if (Object.keys(byKind).length === 0) delete kinds[apiVersion];
  }
  const specVersion = readSpecVersion();

  const types: Record<string, [Record<string, string>, string[]]> = {};
  const pending = [...new Set(Object.values(kinds).flatMap((byKind) => Object.values(byKind).map(([model]) => model)))];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (types[name]) continue;
    const model = modelMap.get(name);
    if (!model) throw new Error(`model ${name} is not exported by @kubernetes/client-node`);
    const probe = probes.get(name);
    const fields: Record<string, string> = {};
    for (const attribute of model.attributeTypeMap) {
      const ref = typeRef(attribute.type, attribute.format, (named) => modelMap.has(named), (named) => pending.push(named));
      fields[attribute.baseName] = refineWithProbe(ref, attribute.baseName, probe);
    }
    types[name] = [fields, probe ? requiredOf(probe) : []];
  }

  const sortedTypes = Object.fromEntries(Object.keys(types).sort().map((k) => [k, types[k]]));
  const out = { kubernetesVersion: specVersion, kinds, types: sortedTypes };
  const target = join(root, 'src', 'validate', 'schemas', 'builtin.json');
  writeFileSync(target, JSON.stringify(out) + '\n');
  const kindCount = Object.values(kinds).reduce((n, byKind) => n + Object.keys(byKind).length, 0);
  console.log(`wrote ${target}: ${kindCount} kinds, ${Object.keys(types).length} types (Kubernetes ${specVersion})`);
}

/** client-node type string -> short reference; named models are reported to `onNamed`. */
function typeRef(type: string, format: string, known: (name: string) => boolean, onNamed: (name: string) => void): string {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return '[' + typeRef(array[1], '', known, onNamed);
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return '{' + typeRef(map[1], '', known, onNamed);
  switch (type) {
    case 'string':
      return format === 'date-time' || format === 'date-time-micro' ? 't' : 's';
    case 'number':
      return format === 'int32' || format === 'int64' ? 'i' : 'n';
    case 'boolean':
      return 'b';
    case 'Date':
    case 'V1MicroTime':
      return 't';
    case 'IntOrString':
      return 'is';
    case 'any':
    case 'object':
      return 'a';
    default:
      if (!/^[A-Z][A-Za-z0-9]*$/.test(type)) throw new Error(`unexpected client-node type ${type}`);
      if (!known(type)) {
        console.warn(`type ${type} is not exported; accepting any value there`);
        return 'a';
      }
      onNamed(type);
      return type;
  }
}

/** client-node types every quantity as a string; the kubernetes-models validator knows better. */
function refineWithProbe(ref: string, field: string, probe: Probe | undefined): string {
  if (!probe) return ref;
  const errorsAt = (data: unknown) => probe({ [field]: data }).some((e) => e.instancePath.startsWith(`/${field}`));
  if (ref === 's' && !errorsAt(1) && errorsAt({})) return 'q';
  if (ref === '{s' && !errorsAt({ x: 1 }) && errorsAt({ x: {} })) return '{q';
  return ref;
}

function requiredOf(probe: Probe): string[] {
  return probe({})
    .filter((e) => e.keyword === 'required' && e.instancePath === '')
    .map((e) => String(e.params.missingProperty))
    .sort();
}

/** kubernetes-models schema file name -> client-node model name, checked against the models that exist. */
async function loadProbes(clientModels: Set<string>): Promise<Map<string, Probe>> {
  const probes = new Map<string, Probe>();
  const dirs = [join(kmRoot, '_schemas'), join(kmApimachineryRoot, '_schemas')];
  for (const dir of dirs) {
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.js')) continue;
      const schemaName = file.slice(0, -3);
      const match = VERSION_TOKEN.exec(schemaName);
      if (!match) continue;
      const [, prefix, version, kind] = match;
      const group = /[A-Z][a-z0-9]*$/.exec(prefix)?.[0] ?? '';
      const candidates = [`${group}${version}${kind}`, `${version}${kind}`];
      const clientName = candidates.find((c) => clientModels.has(c));
      if (!clientName || probes.has(clientName)) continue;
      const mod = (await import(pathToFileURL(join(dir, file)).href)) as {
        validate: ((data: unknown) => boolean) & { errors?: ReturnType<Probe> | null };
      };
      probes.set(clientName, (data) => (mod.validate(data) ? [] : (mod.validate.errors ?? [])));
    }
  }
  return probes;
}

/**
 * apiVersion -> kind -> [body model, namespaced?], from the `create…` request factories of the
 * API classes. Subresources (paths with `{name}`) are not kinds one writes to a repository.
 */
function readCreatableKinds(): Record<string, Record<string, [string, 0 | 1]>> {
  const kinds: Record<string, Record<string, [string, 0 | 1]>> = {};
  const apisDir = join(clientNodeGen, 'apis');
  const method = /async create(Namespaced)?([A-Za-z0-9]+)\(namespace|async create(Namespaced)?([A-Za-z0-9]+)\(body/g;
  for (const file of readdirSync(apisDir)) {
    if (!file.endsWith('Api.js')) continue;
    const source = readFileSync(join(apisDir, file), 'utf8');
    for (const m of source.matchAll(method)) {
      const namespaced = Boolean(m[1] ?? m[3]);
      const kind = m[2] ?? m[4];
      const body = source.slice(m.index, source.indexOf('return requestContext', m.index));
      const path = /const localVarPath = '([^']+)'/.exec(body)?.[1];
      const model = /ObjectSerializer\.serialize\(body, "([A-Za-z0-9]+)"/.exec(body)?.[1];
      if (!path || !model || model === 'any' || path.includes('{name}')) continue;
      const apiVersion = apiVersionOfPath(path);
      (kinds[apiVersion] ??= {})[kind] = [model, namespaced ? 1 : 0];
    }
  }
  return Object.fromEntries(
    Object.keys(kinds)
      .sort()
      .map((v) => [v, Object.fromEntries(Object.keys(kinds[v]).sort().map((k) => [k, kinds[v][k]]))]),
  );
}

function apiVersionOfPath(path: string): string {
  const core = /^\/api\/(v[^/]+)\//.exec(path);
  if (core) return core[1];
  const named = /^\/apis\/([^/]+)\/([^/]+)\//.exec(path);
  if (!named) throw new Error(`unexpected API path ${path}`);
  return `${named[1]}/${named[2]}`;
}

function readSpecVersion(): string {
  const source = readFileSync(join(clientNodeGen, 'models', 'V1Pod.js'), 'utf8');
  const match = /OpenAPI spec version: release-(\d+\.\d+)/.exec(source);
  if (!match) throw new Error('cannot read the Kubernetes version of @kubernetes/client-node');
  return match[1];
}

await main();
