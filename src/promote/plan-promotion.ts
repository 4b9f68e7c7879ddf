/**
 * Plans a promotion into one target directory: which images change, where each is set, and
 * the new text of every file to edit. Nothing is written here; the plan holds each file's
 * text before and after, so it can be applied, shown as a diff, or undone byte-for-byte.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../config/types.js';
import { UserError } from '../model/errors.js';
import type { RenderedObject } from '../model/objects.js';
import { collectImages, noImagesError, type CollectedImage } from './collect-images.js';
import { applyTextEdits, type TextEdit } from './edit-yaml.js';
import { formatImageRef, isBackwards, sameVersion, versionOf, type ImageRef } from './image-ref.js';
import { KUSTOMIZATION_FILES } from '../render/kustomize-origins.js';
import { addImageEntries } from './kustomization.js';
import { chooseSettings, indexSettings, type ImageSetting } from './locate.js';
import { FileReaders } from './readers.js';
import { overrideEdit } from './values-override.js';
import type { DesiredImage } from './select-images.js';
import type { PlannedFile, PromotionChange, PromotionPlan } from './types.js';
import { listYamlFiles, parseYamlText, readYamlFile, type YamlFile } from './yaml-file.js';

export interface PlanInput {
  root: string;
  target: EnvironmentConfig;
  desired: readonly DesiredImage[];
  /** The target rendered from the files as they are now. */
  targetObjects: readonly RenderedObject[];
  /** Every environment of the pipeline: a file another one reads is never edited for the target. */
  environments?: readonly EnvironmentConfig[];
}

/** A setting in a values file other environments share, overridden in the target's own later values file. */
interface Override {
  image: DesiredImage;
  now: CollectedImage;
  setting: ImageSetting;
  own: YamlFile;
}

export async function planPromotion(input: PlanInput): Promise<PromotionPlan> {
  const { root, target, desired } = input;
  const current = collectImages(input.targetObjects, target.name);
  if (current.size === 0 && desired.length > 0) throw noImagesError(input.targetObjects, target, 'target');
  const directory = join(root, target.path);
  const readers = await FileReaders.of(root, input.environments ?? [target]);
  const targetFiles = readers.filesOf(target.name) ?? (await FileReaders.of(root, [target])).filesOf(target.name)!;
  const helm = targetFiles.engine === 'helm';
  // A chart reads only values.yaml and its valuesFiles: another environment's values file is not the target's to edit.
  const files = await Promise.all((helm ? targetFiles.files : await listYamlFiles(directory)).map((path) => readYamlFile(root, path)));
  const precedence = (file: YamlFile) => files.indexOf(file);
  const overrides: Override[] = [];

  const settingsByImage = indexSettings(files);
  const edits = new Map<YamlFile, TextEdit[]>();
  const changes: PromotionChange[] = [];
  const baseOnly: { image: DesiredImage; now: CollectedImage }[] = [];
  const addEdits = (file: YamlFile, more: TextEdit[]) => edits.set(file, [...(edits.get(file) ?? []), ...more]);

  for (const image of desired) {
    const now = current.get(image.name);
    if (!now) {
      if (!image.explicit) continue; // promoting "all shared images": the target does not run this one
      throw new UserError(
        `Target environment ${target.name} (${target.path}) does not use image ${image.name}.`,
        `It uses: ${[...current.values()].map(formatImageRef).join(', ') || 'no images'}. Remove ${image.name} from images, or check its exact name.`,
      );
    }
    if (sameVersion(now, image)) continue;
    let candidates = settingsByImage.get(image.name) ?? [];
    if (helm && candidates.length > 0) {
      // Helm's precedence: the last values file that sets the image is the one that counts.
      const winner = Math.max(...candidates.map((s) => precedence(s.file)));
      candidates = candidates.filter((s) => precedence(s.file) === winner);
    }
    const settings = chooseSettings(candidates, image.name);
    if (settings.length === 0) {
      baseOnly.push({ image, now });
      continue;
    }
    for (const setting of settings) {
      const others = readers.othersReading(setting.file.absolutePath, target.name);
      if (others.length > 0) {
        const own = helm ? ownLaterValuesFile(files, precedence(setting.file), readers, target.name) : undefined;
        if (!own || !setting.override) throw sharedFileError(setting, others, image, target, helm);
        overrides.push({ image, now, setting, own });
        continue;
      }
      const more = setting.edit(image);
      if (more.length === 0) continue;
      addEdits(setting.file, more);
      changes.push({ ...changeOf(now, image), file: setting.file.path, line: setting.line });
    }
  }

  if (baseOnly.length > 0) {
    const kustomization = files.find((f) => KUSTOMIZATION_FILES.some((name) => f.absolutePath === join(directory, name)));
    if (!kustomization) {
      const { image, now } = baseOnly[0];
      throw new UserError(
        `${image.name} is set outside the target directory ${target.path} (used by ${now.usedBy}), and ${target.path} has no kustomization to override it.`,
        existsSync(join(directory, 'Chart.yaml'))
          ? `Set the image in a values file of ${target.path} (image.repository/image.tag) so each environment owns its version.`
          : `Set the image in a file inside ${target.path}, or make ${target.path} a kustomize overlay with an images: entry.`,
      );
    }
    const others = readers.othersReading(kustomization.absolutePath, target.name);
    if (others.length > 0) {
      throw new UserError(
        `${kustomization.path} would get an images: entry for ${target.name}, but ${listNames(others)} ${others.length > 1 ? 'read' : 'reads'} it too: the promotion would change ${others.length > 1 ? 'them' : 'it'} as well.`,
        `Give ${target.name} a kustomization of its own (an overlay with resources: [${target.path.split('/').at(-1)}] or its base), or promote ${listNames(others)} together.`,
      );
    }
    const { edit, lines } = addImageEntries(kustomization, baseOnly.map((b) => b.image));
    addEdits(kustomization, [edit]);
    baseOnly.forEach(({ image, now }, index) => {
      changes.push({ ...changeOf(now, image), file: kustomization.path, line: lines[index] });
    });
  }

  const texts = new Map<YamlFile, string>();
  for (const [file, fileEdits] of edits) texts.set(file, applyTextEdits(file.text, fileEdits));
  // Overrides go on top of the other edits, each on the file as the previous one left it.
  for (const { image, now, setting, own } of overrides) {
    const current = parseYamlText(own.path, own.absolutePath, texts.get(own) ?? own.text);
    const { edits: overrideEdits, line } = overrideEdit(current, setting.override!.path, setting.override!.values(image));
    texts.set(own, applyTextEdits(current.text, overrideEdits));
    changes.push({ ...changeOf(now, image), file: own.path, line });
  }
  const planned: PlannedFile[] = [];
  for (const [file, after] of texts) {
    if (after !== file.text) planned.push({ path: file.path, absolutePath: file.absolutePath, before: file.text, after });
  }
  planned.sort((a, b) => a.path.localeCompare(b.path));
  changes.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { changes, files: planned };
}

/** The last values file after `index` that no other environment reads: where the target's own override goes. */
function ownLaterValuesFile(files: readonly YamlFile[], index: number, readers: FileReaders, target: string): YamlFile | undefined {
  for (let i = files.length - 1; i > index; i -= 1) {
    if (readers.othersReading(files[i].absolutePath, target).length === 0) return files[i];
  }
  return undefined;
}

function sharedFileError(setting: ImageSetting, others: readonly string[], image: DesiredImage, target: EnvironmentConfig, helm: boolean): UserError {
  const where = `${setting.file.path}:${setting.line}`;
  return new UserError(
    `${where} sets ${image.name} for ${target.name}, but ${listNames(others)} ${others.length > 1 ? 'read' : 'reads'} ${setting.file.path} too: editing it would change ${others.length > 1 ? 'them' : 'it'} as well.`,
    helm
      ? `Give ${target.name} a values file of its own, listed last in helm.valuesFiles (e.g. values-${target.name}.yaml); Slipway then sets the tag there.`
      : `Set ${image.name} in a file only ${target.name} reads (e.g. an images: entry in ${target.path}'s own kustomization), or promote ${listNames(others)} as well.`,
  );
}

function listNames(names: readonly string[]): string {
  const quoted = names.map((n) => `environment ${n}`);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

function changeOf(now: ImageRef, image: DesiredImage): Omit<PromotionChange, 'file' | 'line'> {
  return { image: image.name, from: versionOf(now), to: versionOf(image), ...(isBackwards(now, image) ? { backwards: true as const } : {}) };
}
