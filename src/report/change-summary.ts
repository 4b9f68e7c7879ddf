/**
 * What a change set means, in plain words, one line per change a reviewer cares about:
 * `Deployment web: image ghcr.io/acme/shop-web 1.5.0 -> 1.6.0`, `+ ConfigMap shop-dev/flags`,
 * `Secret db: 1 key changed (values hidden)`. Pure, from the typed change set. Values are shown
 * only where they are not data: images, replicas, resources, ports. Secret values, ConfigMap
 * values and env var values never appear, only their keys or counts.
 */
import type { ChangeEntry, ChangeSet } from '../model/changeset.js';
import { isPlainObject, type KubeObject, qualifiedKind } from '../model/objects.js';
import { containersOf } from '../model/pod-specs.js';

/** Lines for one environment, identical changes of several objects folded into one line. */
export function summarizeChangeSet(changeSet: ChangeSet): string[] {
  const lines: string[] = [];
  const objectsByChange = new Map<string, string[]>();
  for (const entry of changeSet.entries) {
    const name = objectName(entry);
    switch (entry.action) {
      case 'create':
        lines.push(`+ ${name}`);
        break;
      case 'delete':
        lines.push(`- ${name} ${entry.pruneProtected ? '(kept: prune disabled)' : '(pruned)'}`);
        break;
      case 'error':
        lines.push(`! ${name}: cannot be applied`);
        break;
      case 'update':
        for (const change of describeUpdate(entry)) {
          const objects = objectsByChange.get(change) ?? [];
          if (objects.length === 0) objectsByChange.set(change, objects);
          objects.push(name);
        }
        break;
      case 'unchanged':
        break;
    }
  }
  const updates = [...objectsByChange].map(([change, objects]) => `${objects.length === 1 ? `${objects[0]}: ${change}` : `${change} (${namesOf(objects)})`}`);
  return [...updates, ...lines];
}

/** Objects that share one change: all of a few, else the first ones and a count. */
const FOLDED_NAMES_SHOWN = 3;

function namesOf(objects: string[]): string {
  if (objects.length <= FOLDED_NAMES_SHOWN) return objects.join(', ');
  return `${objects.length} objects: ${objects.slice(0, FOLDED_NAMES_SHOWN).join(', ')}, …`;
}

/** `Kind name`, with the namespace when there is one: `Deployment shop-dev/web`; a kind not built in carries its group (see describeRef). */
function objectName(entry: ChangeEntry): string {
  const { namespace, name } = entry.ref;
  return `${qualifiedKind(entry.ref)} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The changes of one updated object, most telling first; "N fields changed" for the rest. */
export function describeUpdate(entry: ChangeEntry): string[] {
  // Without the compared pair (an entry built elsewhere) the diff below speaks for itself.
  if (!entry.compared) return [];
  const { before, after } = entry.compared;
  const described: string[] = [];
  const covered: string[][] = [];
  const cover = (path: string[]) => covered.push(path);

  describeContainers(before, after, described, cover);
  if (isWorkload(after)) {
    const change = scalarChange(record(before['spec'])['replicas'], record(after['spec'])['replicas']);
    if (change) described.push(`replicas ${change}`);
    cover(['spec', 'replicas']);
  }
  if (after.kind === 'Service' && after.apiVersion === 'v1') describeServicePorts(before, after, described, cover);
  if (after.kind === 'Secret' && after.apiVersion === 'v1') {
    const changed = keyChanges(mergedData(before), mergedData(after));
    if (changed.total > 0) described.push(`${changed.total} ${changed.total === 1 ? 'key' : 'keys'} ${changed.words} (values hidden)`);
    cover(['data']);
    cover(['stringData']);
  } else if (after.kind === 'ConfigMap' && after.apiVersion === 'v1') {
    for (const field of ['data', 'binaryData']) {
      const changed = keyChanges(record(before[field]), record(after[field]));
      if (changed.names.length) described.push(`${field}: ${changed.names.join(', ')}`);
      cover([field]);
    }
  }
  for (const field of ['labels', 'annotations'] as const) {
    const changed = keyChanges(record(before.metadata?.[field]), record(after.metadata?.[field]));
    if (changed.total > 0) described.push(`${changed.total} ${field === 'labels' ? (changed.total === 1 ? 'label' : 'labels') : changed.total === 1 ? 'annotation' : 'annotations'} ${changed.words}`);
    cover(['metadata', field]);
  }
  const rest = countLeafChanges(before, after, [], covered);
  if (rest > 0) described.push(`${rest} ${described.length ? 'other ' : ''}${rest === 1 ? 'field' : 'fields'} changed`);
  return described.length ? described : ['changed'];
}

function describeContainers(before: KubeObject, after: KubeObject, described: string[], cover: (path: string[]) => void): void {
  const old = new Map(containersOf(before).map((ref) => [String(ref.container['name']), ref]));
  const now = containersOf(after);
  const single = now.length === 1 && old.size === 1;
  for (const ref of now) {
    const name = String(ref.container['name']);
    const label = single ? '' : `container ${name}: `;
    const previous = old.get(name);
    cover(ref.path.map(String));
    if (!previous) {
      described.push(`container ${name} added`);
      continue;
    }
    cover(previous.path.map(String));
    old.delete(name);
    const image = imageChange(previous.container['image'], ref.container['image']);
    if (image) described.push(`${label}image ${image}`);
    for (const kind of ['requests', 'limits'] as const) {
      const was = record(record(previous.container['resources'])[kind]);
      const is = record(record(ref.container['resources'])[kind]);
      for (const resource of new Set([...Object.keys(was), ...Object.keys(is)])) {
        const change = scalarChange(was[resource], is[resource]);
        if (change) described.push(`${label}${resource} ${kind === 'requests' ? 'request' : 'limit'} ${change}`);
      }
    }
    const env = keyChanges(envByName(previous.container['env']), envByName(ref.container['env']));
    if (env.names.length) described.push(`${label}env ${env.names.join(', ')}`);
    const ports = portChange(previous.container['ports'], ref.container['ports']);
    if (ports) described.push(`${label}container port ${ports}`);
    const rest = countLeafChanges(withoutSummarized(previous.container), withoutSummarized(ref.container), [], []);
    if (rest > 0) described.push(`${label}${rest} container ${rest === 1 ? 'field' : 'fields'} changed`);
  }
  for (const [name, ref] of old) {
    described.push(`container ${name} removed`);
    cover(ref.path.map(String));
  }
}

function withoutSummarized(container: Record<string, unknown>): Record<string, unknown> {
  const { image: _image, resources: _resources, env: _env, ports: _ports, ...rest } = container;
  return rest;
}

/** `ghcr.io/acme/web 1.5.0 -> 1.6.0` when only the tag or digest moved, else both whole references. */
function imageChange(was: unknown, is: unknown): string | undefined {
  if (was === is || typeof is !== 'string') return undefined;
  if (typeof was !== 'string') return `${is} (new)`;
  const split = (image: string) => {
    const at = image.indexOf('@');
    if (at >= 0) return { name: image.slice(0, at), version: image.slice(at + 1) };
    const colon = image.lastIndexOf(':');
    return colon > image.lastIndexOf('/') ? { name: image.slice(0, colon), version: image.slice(colon + 1) } : { name: image, version: 'latest' };
  };
  const a = split(was);
  const b = split(is);
  return a.name === b.name ? `${a.name} ${short(a.version)} -> ${short(b.version)}` : `${was} -> ${is}`;
}

/** Digests are long; reviewers recognise the first characters. */
function short(version: string): string {
  return /^sha256:[0-9a-f]{64}$/.test(version) ? version.slice(0, 19) : version;
}

function describeServicePorts(before: KubeObject, after: KubeObject, described: string[], cover: (path: string[]) => void): void {
  cover(['spec', 'ports']);
  const was = record(before['spec'])['ports'];
  const is = record(after['spec'])['ports'];
  const port = portChange(was, is, 'port');
  const target = portChange(was, is, 'targetPort');
  if (port) described.push(`port ${port}`);
  if (target) described.push(`target port ${target}`);
  if (!port && !target && JSON.stringify(was) !== JSON.stringify(is)) described.push('ports changed');
}

/** `80 -> 8080` for a list of ports whose numbers moved; matched by name, else by position. */
function portChange(was: unknown, is: unknown, field = 'containerPort'): string | undefined {
  const before = Array.isArray(was) ? was.filter(isPlainObject) : [];
  const after = Array.isArray(is) ? is.filter(isPlainObject) : [];
  const changes: string[] = [];
  after.forEach((port, index) => {
    const match = port['name'] !== undefined ? before.find((other) => other['name'] === port['name']) : before[index];
    const change = scalarChange(match?.[field], port[field]);
    if (change) changes.push(change);
  });
  for (const port of before) {
    const kept = after.some((other) => (port['name'] !== undefined ? other['name'] === port['name'] : other[field] === port[field]));
    if (!kept && after.length < before.length) changes.push(`${String(port[field])} removed`);
  }
  return changes.length ? changes.join(', ') : undefined;
}

function scalarChange(was: unknown, is: unknown): string | undefined {
  if (was === is || (was === undefined && is === undefined)) return undefined;
  if (isPlainObject(was) || isPlainObject(is) || Array.isArray(was) || Array.isArray(is)) return undefined;
  if (was === undefined) return `set to ${String(is)}`;
  if (is === undefined) return `${String(was)} -> unset`;
  return `${String(was)} -> ${String(is)}`;
}

interface KeyChanges {
  total: number;
  /** `a added, b changed`: key names only, never values. */
  names: string[];
  /** `changed`, or `added, changed` when keys were added or removed too. */
  words: string;
}

function keyChanges(before: Record<string, unknown>, after: Record<string, unknown>): KeyChanges {
  const added = Object.keys(after).filter((key) => !(key in before));
  const removed = Object.keys(before).filter((key) => !(key in after));
  const changed = Object.keys(after).filter((key) => key in before && JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  const names = [...added.map((key) => `${key} added`), ...changed.map((key) => `${key} changed`), ...removed.map((key) => `${key} removed`)];
  const words = [added.length ? 'added' : '', changed.length ? 'changed' : '', removed.length ? 'removed' : ''].filter(Boolean).join(', ');
  return { total: added.length + removed.length + changed.length, names, words };
}

function mergedData(secret: KubeObject): Record<string, unknown> {
  return { ...record(secret['data']), ...record(secret['stringData']) };
}

function envByName(env: unknown): Record<string, unknown> {
  const byName: Record<string, unknown> = {};
  if (Array.isArray(env)) for (const item of env) if (isPlainObject(item) && typeof item['name'] === 'string') byName[item['name']] = item;
  return byName;
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function isWorkload(object: KubeObject): boolean {
  return containersOf(object).length > 0 || record(object['spec'])['replicas'] !== undefined;
}

/** Leaves that differ between two values, outside the `covered` paths (which have their own lines). */
function countLeafChanges(before: unknown, after: unknown, path: string[], covered: readonly string[][]): number {
  if (covered.some((prefix) => prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment))) return 0;
  const bothObjects = isPlainObject(before) && isPlainObject(after);
  const bothLists = Array.isArray(before) && Array.isArray(after);
  if (!bothObjects && !bothLists) {
    if (JSON.stringify(before) === JSON.stringify(after)) return 0;
    return Math.max(leafCount(before), leafCount(after), 1);
  }
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  let count = 0;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) count += countLeafChanges(a[key], b[key], [...path, key], covered);
  return count;
}

function leafCount(value: unknown): number {
  if (isPlainObject(value)) return Object.values(value).reduce<number>((sum, item) => sum + leafCount(item), 0);
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + leafCount(item), 0);
  return value === undefined ? 0 : 1;
}

/** Summary lines shown before the diffs; the rest are counted ("… and 12 more"). */
export const SUMMARY_LINES_SHOWN = 20;

/** The summary as a Markdown list (escaped, bounded), or '' when nothing changes. */
export function changeSummaryMarkdown(changeSet: ChangeSet, escape: (text: string) => string, shown = SUMMARY_LINES_SHOWN): string {
  const lines = summarizeChangeSet(changeSet);
  if (lines.length === 0) return '';
  const more = lines.length > shown ? `- … and ${lines.length - shown} more\n` : '';
  return `${lines.slice(0, shown).map((line) => `- ${escape(line)}\n`).join('')}${more}\n`;
}
