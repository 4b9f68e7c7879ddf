/**
 * Loads `slipway.yaml` (see DESIGN.md "Pipeline config") into a PipelineConfig with defaults
 * applied. Every mistake is reported with file:line:column and what is allowed, all of them
 * at once in one ConfigError.
 */
import { readFile, realpath } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { UserError } from '../model/errors.js';
export { DEFAULT_POLICIES } from './types.js';
import { DEFAULT_POLICIES, type EnvironmentConfig, type PipelineConfig, type PreviewSettings, type SchemaDirectory, type ToolPaths } from './types.js';
import { findPromotionCycles } from './promotion-chain.js';
import { checkRepositoryPath } from './paths.js';
import { ConfigError, NodeReader } from './reader.js';
import { readPathList, readSettings, SETTING_KEYS } from './settings.js';
import type { PartialSettings, ValuesFileEntry } from './settings.js';
import { closestMatch } from '../model/suggest.js';
import { ACTION_SETTING_NAMES, type SettingNames } from '../model/setting-names.js';


const TOP_LEVEL_KEYS = ['environments', 'defaults', 'tools', 'preview', 'schemas'] as const;
const PREVIEW_KEYS = ['commentWithoutChanges'] as const;
const PER_ENVIRONMENT_ONLY = ['name', 'path', 'promoteFrom'] as const;
const ENVIRONMENT_KEYS = [...PER_ENVIRONMENT_ONLY, ...SETTING_KEYS];
const TOOL_KEYS = ['kubectl', 'kustomize', 'helm', 'git'] as const;
/** Environment names become parts of Lease names and labels, so they follow Kubernetes name rules. */
const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$/;

interface EnvironmentDraft {
  name?: string;
  nameNode: YamlNode;
  /** As written until checked, then repository-relative and normalised; undefined when unusable. */
  path?: string;
  pathNode: YamlNode;
  promoteFrom?: string;
  promoteFromNode?: YamlNode;
  settings: PartialSettings;
}

/** `names` spells the config setting in the not-found hint: the action input (default) or `--config`. */
export async function loadConfig(root: string, file = 'slipway.yaml', names: SettingNames = ACTION_SETTING_NAMES): Promise<PipelineConfig> {
  const rootAbs = resolve(root);
  const configAbs = resolve(rootAbs, file);
  const configRel = relative(rootAbs, configAbs).split('\\').join('/');
  let text: string;
  try {
    text = await readFile(configAbs, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT' ? `Config file ${configRel} was not found in ${rootAbs}.` : `Config file ${configRel} could not be read (${code ?? String(error)}).`,
      `Create slipway.yaml with an environments list (see README "Configuration"), or set ${names.config} to its path.`,
    );
  }
  const rootReal = await realpath(rootAbs);
  const lineCounter = new LineCounter();
  const reader = new NodeReader(configRel, lineCounter);
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const message = error.code === 'DUPLICATE_KEY' ? 'duplicate key: each key may appear once in a mapping' : `YAML syntax error: ${error.message}`;
    reader.problems.push({ file: configRel, line, column: col, message });
  }
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);

  const contents = doc.contents as YamlNode | null;
  if (!contents || !isMap(contents)) {
    reader.problem(contents, `${configRel} must be a mapping with an environments list (allowed top-level keys: ${TOP_LEVEL_KEYS.join(', ')})`);
    throw new ConfigError(reader.problems);
  }
  const top = reader.pairs(contents, 'the top level', TOP_LEVEL_KEYS);
  const defaults = readDefaults(reader, top.get('defaults')?.value ?? null, top.has('defaults'));
  const drafts = readEnvironments(reader, top.get('environments')?.value ?? null, contents, top.has('environments'));
  const tools = readTools(reader, top.get('tools')?.value ?? null, top.has('tools'));
  const preview = readPreview(reader, top.get('preview')?.value ?? null, top.has('preview'));

  const topSchemas = top.has('schemas') ? checkSchemaDirectories(reader, readPathList(reader, top.get('schemas')!.value, 'schemas'), 'schemas', rootReal) : [];
  const defaultSchemas = checkSchemaDirectories(reader, defaults.schemas, 'defaults: schemas', rootReal);

  checkNamesAndPaths(reader, drafts, rootReal);
  checkPromotions(reader, drafts);
  const environments = drafts.map((draft) => {
    const own = draft.settings.schemas ? checkSchemaDirectories(reader, draft.settings.schemas, `environment "${draft.name ?? ''}": schemas`, rootReal) : defaultSchemas;
    const schemas = [...topSchemas, ...own];
    return schemas.length > 0 ? { ...finish(draft, defaults), schemas } : finish(draft, defaults);
  });
  checkValuesFiles(reader, drafts, defaults, rootReal);
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return { file: configRel, root: rootAbs, environments, tools, preview };
}

function readDefaults(reader: NodeReader, node: YamlNode | null, present: boolean): PartialSettings {
  if (!present) return {};
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = String((pair.key as { value?: unknown }).value);
      if ((PER_ENVIRONMENT_ONLY as readonly string[]).includes(key)) {
        reader.problem(pair.key as YamlNode, `"${key}" cannot appear under defaults: it is set per environment. Allowed under defaults: ${SETTING_KEYS.join(', ')}`);
      }
    }
    const allowed = [...SETTING_KEYS, ...PER_ENVIRONMENT_ONLY]; // reported just above, not again as unknown
    const entries = reader.pairs(node, 'defaults', allowed);
    for (const key of PER_ENVIRONMENT_ONLY) entries.delete(key);
    return readSettings(reader, entries, 'defaults');
  }
  reader.problem(node, `defaults must be a mapping of environment settings (allowed keys: ${SETTING_KEYS.join(', ')})`);
  return {};
}

function readEnvironments(reader: NodeReader, node: YamlNode | null, top: YamlNode, present: boolean): EnvironmentDraft[] {
  if (!present) {
    reader.problem(top, 'environments is missing: list each environment with at least a name and a path');
    return [];
  }
  if (!node || !('items' in node) || isMap(node)) {
    reader.problem(node, 'environments must be a list of environments, each a mapping with name and path');
    return [];
  }
  const items = (node as { items: (YamlNode | null)[] }).items;
  if (items.length === 0) reader.problem(node, 'environments is empty: list at least one environment with a name and a path');
  const drafts: EnvironmentDraft[] = [];
  items.forEach((item, index) => {
    const written = isMap(item) ? item.get('name') : undefined;
    const label = typeof written === 'string' && written ? `environment "${written}"` : `environments[${index}]`;
    const entries = reader.pairs(item, label, ENVIRONMENT_KEYS);
    if (!isMap(item)) return;
    const nameNode = entries.get('name')?.value ?? null;
    const name = entries.has('name') ? reader.string(nameNode, `${label}: name`) : undefined;
    if (!entries.has('name')) reader.problem(item, `${label} has no name; every environment needs a name and a path`);
    const where = label;
    const pathNode = entries.get('path')?.value ?? null;
    const path = entries.has('path') ? reader.string(pathNode, `${where}: path`) : undefined;
    if (!entries.has('path')) reader.problem(item, `${where} has no path; set path to its directory, relative to the repository root`);
    const promoteFromNode = entries.get('promoteFrom')?.value ?? undefined;
    const promoteFrom = promoteFromNode !== undefined ? reader.string(promoteFromNode, `${where}: promoteFrom`) : undefined;
    for (const key of PER_ENVIRONMENT_ONLY) entries.delete(key);
    drafts.push({
      name,
      nameNode: nameNode ?? item,
      path,
      pathNode: pathNode ?? item,
      promoteFrom,
      promoteFromNode,
      settings: readSettings(reader, entries, where),
    });
  });
  return drafts;
}

function readTools(reader: NodeReader, node: YamlNode | null, present: boolean): ToolPaths {
  const tools: ToolPaths = {};
  if (!present) return tools;
  for (const [key, { value }] of reader.pairs(node, 'tools', TOOL_KEYS)) {
    const path = reader.string(value, `tools.${key}`);
    if (path !== undefined) tools[key as keyof ToolPaths] = path;
  }
  return tools;
}

function readPreview(reader: NodeReader, node: YamlNode | null, present: boolean): PreviewSettings {
  const preview: PreviewSettings = { commentWithoutChanges: true };
  if (!present) return preview;
  for (const [key, { value }] of reader.pairs(node, 'preview', PREVIEW_KEYS)) {
    const flag = reader.boolean(value, `preview.${key}`);
    if (key === 'commentWithoutChanges' && flag !== undefined) preview.commentWithoutChanges = flag;
  }
  return preview;
}

function checkNamesAndPaths(reader: NodeReader, drafts: EnvironmentDraft[], rootReal: string): void {
  const firstLine = new Map<string, EnvironmentDraft>();
  for (const draft of drafts) {
    if (draft.name !== undefined) {
      if (!ENVIRONMENT_NAME.test(draft.name)) {
        reader.problem(draft.nameNode, `environment name "${draft.name}" may hold only lower-case letters, digits and '-' (at most 52 characters), starting and ending with a letter or digit`);
      }
      const first = firstLine.get(draft.name);
      if (first) {
        reader.problem(draft.nameNode, `duplicate environment name "${draft.name}"; environment names must be unique (first defined at line ${reader.lineOf(first.nameNode)})`);
      } else firstLine.set(draft.name, draft);
    }
    if (draft.path !== undefined) {
      const checked = checkRepositoryPath(rootReal, '.', draft.path, 'directory');
      if ('problem' in checked) {
        reader.problem(draft.pathNode, `${draft.name ? `environment "${draft.name}"` : 'environment'}: path ${checked.problem}`);
        draft.path = undefined;
      } else draft.path = checked.path;
    }
  }
}

function checkPromotions(reader: NodeReader, drafts: EnvironmentDraft[]): void {
  const names = [...new Set(drafts.flatMap((draft) => (draft.name ? [draft.name] : [])))];
  const edges = new Map<string, string | undefined>();
  for (const draft of drafts) {
    if (!draft.name || draft.promoteFrom === undefined) continue;
    if (!names.includes(draft.promoteFrom)) {
      const suggestion = closestMatch(draft.promoteFrom, names);
      reader.problem(
        draft.promoteFromNode,
        `environment "${draft.name}": promoteFrom "${draft.promoteFrom}" is not an environment${suggestion ? `; did you mean "${suggestion}"?` : '.'} Environments: ${names.join(', ')}`,
      );
      continue;
    }
    edges.set(draft.name, draft.promoteFrom);
  }
  for (const cycle of findPromotionCycles(edges, names)) {
    const first = drafts.find((draft) => draft.name === cycle[0]);
    // Shown in promotion order: each environment promotes into the next.
    const order = [cycle[0]!, ...cycle.slice(1).reverse()];
    const description = cycle.length === 1 ? `environment "${cycle[0]}" promotes from itself` : `promotion cycle ${[...order, order[0]].join(' -> ')}`;
    reader.problem(first?.promoteFromNode, `${description}; promotion must flow one way: remove promoteFrom from one of ${cycle.map((n) => `"${n}"`).join(', ')}`);
  }
}

function finish(draft: EnvironmentDraft, defaults: PartialSettings): EnvironmentConfig {
  const own = draft.settings;
  const pick = <K extends keyof PartialSettings>(key: K): PartialSettings[K] => own[key] ?? defaults[key];
  return {
    name: draft.name ?? '',
    path: draft.path ?? '',
    context: pick('context'),
    namespace: pick('namespace'),
    promoteFrom: draft.promoteFrom,
    promotion: pick('promotion') ?? 'commit',
    kubernetesVersion: pick('kubernetesVersion') ?? '1.33',
    strict: pick('strict') ?? false,
    prune: {
      enabled: own.prune?.enabled ?? defaults.prune?.enabled ?? true,
      maxShare: own.prune?.maxShare ?? defaults.prune?.maxShare ?? 0.5,
    },
    wait: {
      enabled: own.wait?.enabled ?? defaults.wait?.enabled ?? true,
      timeoutMs: own.wait?.timeoutMs ?? defaults.wait?.timeoutMs ?? 5 * 60_000,
    },
    forceConflicts: pick('forceConflicts') ?? true,
    heal: pick('heal') ?? false,
    onFailure: pick('onFailure') ?? 'none',
    helm: {
      releaseName: own.helm?.releaseName ?? defaults.helm?.releaseName,
      valuesFiles: (own.helm?.valuesFiles ?? defaults.helm?.valuesFiles ?? []).map((entry) => entry.path),
    },
    policies: { ...DEFAULT_POLICIES, ...defaults.policies, ...own.policies },
    promotionLabels: pick('promotionLabels') ?? [],
    exclude: pick('exclude'),
    recurse: pick('recurse'),
    ...ignoreDifferencesOf(defaults, own),
  };
}

/** The two lists add up: rules under `defaults:` hold for every environment, then its own. */
function ignoreDifferencesOf(defaults: PartialSettings, own: PartialSettings): Pick<EnvironmentConfig, 'ignoreDifferences'> {
  const rules = [...(defaults.ignoreDifferences ?? []), ...(own.ignoreDifferences ?? [])];
  return rules.length > 0 ? { ignoreDifferences: rules } : {};
}

/** `schemas:` directories, relative to the repository root and inside it. */
function checkSchemaDirectories(reader: NodeReader, entries: ValuesFileEntry[] | undefined, what: string, rootReal: string): SchemaDirectory[] {
  const directories: SchemaDirectory[] = [];
  for (const entry of entries ?? []) {
    const checked = checkRepositoryPath(rootReal, '.', entry.path, 'directory');
    if ('problem' in checked) reader.problem(entry.node, `${what}: ${checked.problem}`);
    else directories.push({ path: checked.path, absolute: resolve(rootReal, checked.path) });
  }
  return directories;
}

/** Values files are relative to each environment's directory, so they are checked per environment. */
function checkValuesFiles(reader: NodeReader, drafts: EnvironmentDraft[], defaults: PartialSettings, rootReal: string): void {
  for (const draft of drafts) {
    if (!draft.path || !draft.name) continue;
    for (const entry of draft.settings.helm?.valuesFiles ?? defaults.helm?.valuesFiles ?? []) {
      const checked = checkRepositoryPath(rootReal, draft.path, entry.path, 'file');
      if ('problem' in checked) reader.problem(entry.node, `environment "${draft.name}": helm.valuesFiles: ${checked.problem}`);
    }
  }
}
