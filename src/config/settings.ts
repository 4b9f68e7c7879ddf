/**
 * The per-environment settings that may appear both in an environment and under `defaults:`,
 * read into a partial form. Merging (built-in defaults <- defaults: <- environment) happens in
 * load.ts; nested mappings (prune, wait, helm, policies) merge key by key.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { ON_FAILURE_MODES, type IgnoreDifferencesRule, type OnFailureMode, type PolicyConfig, type PolicyLevel, type PromotionMode } from './types.js';
import { DURATION_FORMS, parseDuration } from './duration.js';
import type { NodeReader } from './reader.js';
import { compileGlob } from '../model/glob.js';
import { readIgnoreDifferences } from './ignore-differences.js';

export const SETTING_KEYS = [
  'context',
  'namespace',
  'promotion',
  'kubernetesVersion',
  'strict',
  'prune',
  'wait',
  'forceConflicts',
  'heal',
  'helm',
  'policies',
  'promotionLabels',
  'exclude',
  'recurse',
  'schemas',
  'onFailure',
  'ignoreDifferences',
] as const;

export const POLICY_RULES = ['image-tag', 'duplicate-object', 'missing-namespace', 'plaintext-secret'] as const;
const POLICY_LEVELS: readonly PolicyLevel[] = ['off', 'notice', 'warning', 'error'];
const PROMOTION_MODES: readonly PromotionMode[] = ['commit', 'pull-request'];
/** DNS-1123 label: what Kubernetes accepts as a namespace name. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export interface ValuesFileEntry {
  path: string;
  node: YamlNode;
}

export interface PartialSettings {
  context?: string;
  namespace?: string;
  promotion?: PromotionMode;
  kubernetesVersion?: string;
  strict?: boolean;
  prune?: { enabled?: boolean; maxShare?: number };
  wait?: { enabled?: boolean; timeoutMs?: number };
  forceConflicts?: boolean;
  heal?: boolean;
  helm?: { releaseName?: string; valuesFiles?: ValuesFileEntry[] };
  policies?: Partial<PolicyConfig>;
  promotionLabels?: string[];
  exclude?: string[];
  recurse?: boolean;
  /** As written; checked against the repository in load.ts. */
  schemas?: ValuesFileEntry[];
  onFailure?: OnFailureMode;
  ignoreDifferences?: IgnoreDifferencesRule[];
}

/** Reads the setting keys of an already key-checked mapping; `where` names it in messages, e.g. `environment "dev"`. */
export function readSettings(
  reader: NodeReader,
  entries: ReadonlyMap<string, { key: YamlNode; value: YamlNode | null }>,
  where: string,
): PartialSettings {
  const settings: PartialSettings = {};
  const value = (key: string) => entries.get(key)?.value ?? null;
  const has = (key: string) => entries.has(key);

  if (has('context')) settings.context = reader.string(value('context'), `${where}: context`);
  if (has('namespace')) {
    const namespace = reader.string(value('namespace'), `${where}: namespace`);
    if (namespace !== undefined && !DNS_LABEL.test(namespace)) {
      reader.problem(value('namespace'), `${where}: namespace "${namespace}" is not a valid namespace name (lower-case letters, digits and '-', at most 63 characters)`);
    } else settings.namespace = namespace;
  }
  if (has('promotion')) settings.promotion = reader.oneOf(value('promotion'), `${where}: promotion`, PROMOTION_MODES);
  if (has('kubernetesVersion')) settings.kubernetesVersion = readKubernetesVersion(reader, value('kubernetesVersion'), where);
  for (const flag of ['strict', 'forceConflicts', 'heal'] as const) {
    if (has(flag)) settings[flag] = reader.boolean(value(flag), `${where}: ${flag}`);
  }
  if (has('prune')) settings.prune = readPrune(reader, value('prune'), where);
  if (has('wait')) settings.wait = readWait(reader, value('wait'), where);
  if (has('helm')) settings.helm = readHelm(reader, value('helm'), where);
  if (has('policies')) settings.policies = readPolicies(reader, value('policies'), where);
  if (has('promotionLabels')) settings.promotionLabels = reader.strings(value('promotionLabels'), `${where}: promotionLabels`);
  if (has('exclude')) settings.exclude = readGlobs(reader, value('exclude'), `${where}: exclude`);
  if (has('recurse')) settings.recurse = reader.boolean(value('recurse'), `${where}: recurse`);
  if (has('schemas')) settings.schemas = readPathList(reader, value('schemas'), `${where}: schemas`);
  if (has('ignoreDifferences')) settings.ignoreDifferences = readIgnoreDifferences(reader, value('ignoreDifferences'), `${where}: ignoreDifferences`);
  if (has('onFailure')) settings.onFailure = reader.oneOf(value('onFailure'), `${where}: onFailure`, ON_FAILURE_MODES);
  return settings;
}

function readKubernetesVersion(reader: NodeReader, node: YamlNode | null, where: string): string | undefined {
  // Unquoted 1.30 is the number 1.3 to YAML; the source text keeps what the user meant.
  const text = reader.scalarSource(node)?.replace(/^["']|["']$/g, '').replace(/^v/, '');
  if (text !== undefined && /^1\.\d{1,2}$/.test(text)) return text;
  reader.problem(node, `${where}: kubernetesVersion must be a Kubernetes minor version such as "1.33"${text !== undefined ? `, found "${text}"` : ''}`);
  return undefined;
}

function readPrune(reader: NodeReader, node: YamlNode | null, where: string): PartialSettings['prune'] {
  if (isScalar(node) && typeof node.value === 'boolean') return { enabled: node.value };
  if (!isMap(node)) {
    reader.problem(node, `${where}: prune must be true, false or a mapping with enabled and maxShare`);
    return undefined;
  }
  const entries = reader.pairs(node, `${where}: prune`, ['enabled', 'maxShare']);
  const prune: NonNullable<PartialSettings['prune']> = {};
  if (entries.has('enabled')) prune.enabled = reader.boolean(entries.get('enabled')!.value, `${where}: prune.enabled`);
  if (entries.has('maxShare')) {
    const share = reader.number(entries.get('maxShare')!.value, `${where}: prune.maxShare`);
    if (share !== undefined && (share < 0 || share > 1)) {
      reader.problem(entries.get('maxShare')!.value, `${where}: prune.maxShare must be between 0 and 1 (a share of the inventory, e.g. 0.5), found ${share}`);
    } else prune.maxShare = share;
  }
  return prune;
}

function readWait(reader: NodeReader, node: YamlNode | null, where: string): PartialSettings['wait'] {
  if (isScalar(node) && typeof node.value === 'boolean') return { enabled: node.value };
  if (!isMap(node)) {
    reader.problem(node, `${where}: wait must be true, false or a mapping with enabled and timeout`);
    return undefined;
  }
  const entries = reader.pairs(node, `${where}: wait`, ['enabled', 'timeout']);
  const wait: NonNullable<PartialSettings['wait']> = {};
  if (entries.has('enabled')) wait.enabled = reader.boolean(entries.get('enabled')!.value, `${where}: wait.enabled`);
  if (entries.has('timeout')) {
    const timeoutNode = entries.get('timeout')!.value;
    const text = reader.scalarSource(timeoutNode);
    const ms = text !== undefined ? parseDuration(text) : undefined;
    if (ms === undefined || ms <= 0) {
      reader.problem(timeoutNode, `${where}: wait.timeout "${text ?? ''}" is not a duration; write it as ${DURATION_FORMS}`);
    } else wait.timeoutMs = ms;
  }
  return wait;
}

function readHelm(reader: NodeReader, node: YamlNode | null, where: string): PartialSettings['helm'] {
  const entries = reader.pairs(node, `${where}: helm`, ['releaseName', 'valuesFiles']);
  const helm: NonNullable<PartialSettings['helm']> = {};
  if (entries.has('releaseName')) helm.releaseName = reader.string(entries.get('releaseName')!.value, `${where}: helm.releaseName`);
  const files = entries.get('valuesFiles')?.value;
  if (files !== undefined) {
    const paths = reader.strings(files, `${where}: helm.valuesFiles`);
    if (paths !== undefined && files !== null && 'items' in files) {
      const items = (files as { items: YamlNode[] }).items;
      helm.valuesFiles = paths.map((path, index) => ({ path, node: items[index]! }));
    }
  }
  return helm;
}

function readPolicies(reader: NodeReader, node: YamlNode | null, where: string): Partial<PolicyConfig> | undefined {
  const entries = reader.pairs(node, `${where}: policies`, POLICY_RULES);
  const policies: Partial<PolicyConfig> = {};
  for (const [rule, { value }] of entries) {
    const level = reader.oneOf(value, `${where}: policies.${rule}`, POLICY_LEVELS);
    if (level !== undefined) policies[rule as keyof PolicyConfig] = level;
  }
  return policies;
}

/** A list of paths with the node of each, so a path that does not exist is named at its own position. */
export function readPathList(reader: NodeReader, node: YamlNode | null, what: string): ValuesFileEntry[] | undefined {
  const paths = reader.strings(node, what);
  if (!paths || !isSeq(node)) return undefined;
  return paths.map((path, index) => ({ path, node: node.items[index] as YamlNode }));
}

/** `exclude:` globs, each compiled once here so a broken one is named at its own position. */
function readGlobs(reader: NodeReader, node: YamlNode | null, what: string): string[] | undefined {
  const globs = reader.strings(node, what);
  if (!globs || !isSeq(node)) return globs;
  const valid: string[] = [];
  globs.forEach((glob, index) => {
    const compiled = compileGlob(glob);
    if (typeof compiled === 'string') reader.problem(node.items[index] as YamlNode, `${what}[${index}]: ${compiled}`);
    else valid.push(glob);
  });
  return valid;
}
