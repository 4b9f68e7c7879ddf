/**
 * Where the target directory sets each image, in order of preference:
 *   1. a kustomize `images:` entry (its output name matches),
 *   2. an `image:` field holding a full reference (strategic-merge patch, plain manifest, values),
 *   3. Helm-style values: a map with `repository` (and optional `registry`) next to `tag`/`digest`.
 * The first level that has any setting is the one edited: kustomize applies `images:` after
 * patches, so a lower level is overridden anyway. Within that level, settings that disagree
 * are a conflict the user must resolve; settings that agree are all edited.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { UserError } from '../model/errors.js';
import { dominantStyle, findPair, insertPair, removePair, replaceScalar, scalarString, type TextEdit } from './edit-yaml.js';
import { parseImageRef, versionOf, type ImageRef } from './image-ref.js';
import { isKustomizationPath, kustomizeImageEntries, type KustomizeImageEntry } from './kustomization.js';
import { lineOf, type YamlFile } from './yaml-file.js';

export type SettingKind = 'kustomize-images' | 'image-field' | 'helm-values';

export interface ImageSetting {
  kind: SettingKind;
  file: YamlFile;
  /** 1-based line of the value that holds the version. */
  line: number;
  /** Version written at this place (undefined when it only renames, e.g. an images: entry with newName only). */
  current?: Pick<ImageRef, 'tag' | 'digest'>;
  /** Edits that make this place say `desired`. */
  edit(desired: ImageRef): TextEdit[];
  /**
   * Values files: the keys from the document root to the map holding the setting (undefined
   * inside a list, which a later values file replaces whole), and the keys a later values file
   * sets there to override it with `desired`.
   */
  override?: { path: string[]; values(desired: ImageRef): Array<[string, string]> };
}

const LEVELS: readonly SettingKind[] = ['kustomize-images', 'image-field', 'helm-values'];

/** Every image setting in the given files, by image name (one pass over the files for all images). */
export function indexSettings(files: readonly YamlFile[]): Map<string, ImageSetting[]> {
  const index = new Map<string, ImageSetting[]>();
  const add = (name: string, setting: ImageSetting) => index.set(name, [...(index.get(name) ?? []), setting]);
  for (const file of files) {
    if (isKustomizationPath(file.path)) kustomizeSettings(file, add);
    for (const document of file.documents) {
      imageFieldSettings(file, document, add);
      helmValueSettings(file, document, add);
    }
  }
  return index;
}

type AddSetting = (name: string, setting: ImageSetting) => void;

/** The settings to edit, or an error for a conflict; empty when the target does not set the image itself. */
export function chooseSettings(settings: readonly ImageSetting[], name: string): ImageSetting[] {
  for (const level of LEVELS) {
    const here = settings.filter((s) => s.kind === level);
    if (here.length === 0) continue;
    const written = here.filter((s) => s.current);
    const first = written[0];
    const other = written.find((s) => versionOf(s.current!) !== versionOf(first.current!));
    if (first && other) {
      throw new UserError(
        `The target sets ${name} twice, differently: ${versionOf(first.current!)} at ${first.file.path}:${first.line} and ${versionOf(other.current!)} at ${other.file.path}:${other.line}.`,
        'Keep one setting (or make them agree) and promote again; Slipway will not guess which one wins.',
      );
    }
    return here;
  }
  return [];
}

function kustomizeSettings(file: YamlFile, add: AddSetting): void {
  for (const entry of kustomizeImageEntries(file)) add(entry.outputName, kustomizeSetting(file, entry));
}

function kustomizeSetting(file: YamlFile, entry: KustomizeImageEntry): ImageSetting {
  const tag = scalarString(entry.newTag?.value);
  const digest = scalarString(entry.digest?.value);
  const versionNode = entry.newTag?.value ?? entry.digest?.value;
  return {
    kind: 'kustomize-images' as const,
    file,
    line: versionNode ? lineOf(file, versionNode.range![0]) : entry.line,
    ...(tag !== undefined || digest !== undefined ? { current: { tag, digest } } : {}),
    edit: (desired: ImageRef) => {
      const style = dominantStyle(entry.map);
      const edits: TextEdit[] = [];
      // kustomize writes name:newTag@digest; a missing part must be absent, not left stale.
      if (desired.tag !== undefined) {
        if (!entry.newTag) edits.push(insertPair(file, entry.map, 'newTag', desired.tag, style));
        else if (tag !== desired.tag) edits.push(replaceScalar(file, entry.newTag.value!, desired.tag));
      } else if (entry.newTag) {
        edits.push(removePair(file, entry.map, entry.newTag));
      }
      if (desired.digest !== undefined) {
        if (!entry.digest) edits.push(insertPair(file, entry.map, 'digest', desired.digest, style));
        else if (digest !== desired.digest) edits.push(replaceScalar(file, entry.digest.value!, desired.digest));
      } else if (entry.digest) {
        edits.push(removePair(file, entry.map, entry.digest));
      }
      return edits;
    },
  };
}

/** `image: registry/app:1.4.2` anywhere (aliases resolved to their anchor, each anchor edited once). */
function imageFieldSettings(file: YamlFile, document: Document.Parsed, add: AddSetting): void {
  const seen = new Set<number>();
  visit(document, {
    Pair(_key, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.value !== 'image') return;
      const node = resolve(document, pair.value);
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range || seen.has(node.range[0])) return;
      let ref: ImageRef;
      try {
        ref = parseImageRef(node.value);
      } catch {
        return; // not a reference (a templated value, a description): not ours to edit
      }
      seen.add(node.range[0]);
      add(ref.name, {
        kind: 'image-field',
        file,
        line: lineOf(file, node.range[0]),
        current: { tag: ref.tag, digest: ref.digest },
        edit: (desired) => [replaceScalar(file, node, referenceText(ref.name, desired))],
        ...overrideAt(keysTo(ancestors), (desired) => [['image', referenceText(ref.name, desired)]]),
      });
    },
  });
}

/** `{registry?, repository, tag?, digest?}` maps, as Helm charts commonly lay out `image:` values. */
function helmValueSettings(file: YamlFile, document: Document.Parsed, add: AddSetting): void {
  visit(document, {
    Map(_key, map, ancestors) {
      const repository = scalarString(resolve(document, findPair(map, 'repository')?.value));
      if (!repository) return;
      const registry = scalarString(resolve(document, findPair(map, 'registry')?.value));
      const tagNode = scalarNode(document, findPair(map, 'tag'));
      const digestNode = scalarNode(document, findPair(map, 'digest'));
      const tag = nonEmpty(scalarString(tagNode));
      const digest = nonEmpty(scalarString(digestNode));
      const at = tagNode ?? digestNode ?? (findPair(map, 'repository')!.value as Node);
      add(registry ? `${registry}/${repository}` : repository, {
        kind: 'helm-values',
        file,
        line: lineOf(file, at.range![0]),
        ...(tag !== undefined || digest !== undefined ? { current: { tag, digest } } : {}),
        edit: (desired) => helmEdits(file, map, tagNode, digestNode, desired),
        ...overrideAt(keysTo([...ancestors, map]), (desired) => helmOverride(file, map, digestNode, desired)),
      });
    },
  });
}

function referenceText(name: string, desired: ImageRef): string {
  return `${name}${desired.tag !== undefined ? `:${desired.tag}` : ''}${desired.digest !== undefined ? `@${desired.digest}` : ''}`;
}

/** Map keys from the document root down to the last node of `ancestors`; undefined through a list or a complex key. */
function keysTo(ancestors: readonly unknown[]): string[] | undefined {
  const keys: string[] = [];
  for (const node of ancestors) {
    if (isSeq(node)) return undefined;
    if (isPair(node)) {
      if (!isScalar(node.key)) return undefined;
      keys.push(String(node.key.value));
    }
  }
  return keys;
}

function overrideAt(path: string[] | undefined, values: (desired: ImageRef) => Array<[string, string]>): Pick<ImageSetting, 'override'> {
  return path ? { override: { path, values } } : {};
}

/** What a later values file sets over `{repository, tag, digest}`: the tag, and the digest when the chart has that key. */
function helmOverride(file: YamlFile, map: YAMLMap, digestNode: Scalar | undefined, desired: ImageRef): Array<[string, string]> {
  const values: Array<[string, string]> = [];
  if (desired.tag !== undefined) values.push(['tag', desired.tag]);
  if (digestNode) values.push(['digest', desired.digest ?? '']);
  else if (desired.digest !== undefined) helmEdits(file, map, undefined, undefined, desired); // raises the "no digest: key" error
  return values;
}

function helmEdits(file: YamlFile, map: YAMLMap, tagNode: Scalar | undefined, digestNode: Scalar | undefined, desired: ImageRef): TextEdit[] {
  const edits: TextEdit[] = [];
  const style = dominantStyle(map);
  if (desired.tag !== undefined) {
    if (!tagNode) edits.push(insertPair(file, map, 'tag', desired.tag, style));
    else if (scalarString(tagNode) !== desired.tag) edits.push(replaceScalar(file, tagNode, desired.tag));
  }
  if (desired.digest !== undefined) {
    if (!digestNode) {
      throw new UserError(
        `${file.path}:${lineOf(file, (tagNode ?? map).range![0])}: the promoted version of ${String(scalarString(findPair(map, 'repository')?.value))} has a digest, but these values have no digest: key.`,
        'Add a digest: value your chart uses (e.g. image.digest), or promote by tag with images: name=tag.',
      );
    }
    if (scalarString(digestNode) !== desired.digest) edits.push(replaceScalar(file, digestNode, desired.digest));
  } else if (digestNode && nonEmpty(scalarString(digestNode))) {
    edits.push(replaceScalar(file, digestNode, ''));
  }
  return edits;
}

function scalarNode(document: Document.Parsed, pair: Pair | undefined): Scalar | undefined {
  const node = resolve(document, pair?.value);
  return isScalar(node) ? node : undefined;
}

function resolve(document: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' || value === undefined ? undefined : value;
}

export { isMap };
