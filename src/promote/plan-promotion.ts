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
import { collectImages, type CollectedImage } from './collect-images.js';
import { applyTextEdits, type TextEdit } from './edit-yaml.js';
import { formatImageRef, sameVersion, versionOf } from './image-ref.js';
import { KUSTOMIZATION_FILES } from '../render/kustomize-origins.js';
import { addImageEntries } from './kustomization.js';
import { chooseSettings, indexSettings } from './locate.js';
import type { DesiredImage } from './select-images.js';
import type { PlannedFile, PromotionChange, PromotionPlan } from './types.js';
import { listYamlFiles, readYamlFile, type YamlFile } from './yaml-file.js';

export interface PlanInput {
  root: string;
  target: EnvironmentConfig;
  desired: readonly DesiredImage[];
  /** The target rendered from the files as they are now. */
  targetObjects: readonly RenderedObject[];
}

export async function planPromotion(input: PlanInput): Promise<PromotionPlan> {
  const { root, target, desired } = input;
  const current = collectImages(input.targetObjects, target.name);
  const directory = join(root, target.path);
  const files = await Promise.all((await listYamlFiles(directory)).map((path) => readYamlFile(root, path)));

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
    const settings = chooseSettings(settingsByImage.get(image.name) ?? [], image.name);
    if (settings.length === 0) {
      baseOnly.push({ image, now });
      continue;
    }
    for (const setting of settings) {
      const more = setting.edit(image);
      if (more.length === 0) continue;
      addEdits(setting.file, more);
      changes.push({ image: image.name, from: versionOf(now), to: versionOf(image), file: setting.file.path, line: setting.line });
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
    const { edit, lines } = addImageEntries(kustomization, baseOnly.map((b) => b.image));
    addEdits(kustomization, [edit]);
    baseOnly.forEach(({ image, now }, index) => {
      changes.push({ image: image.name, from: versionOf(now), to: versionOf(image), file: kustomization.path, line: lines[index] });
    });
  }

  const planned: PlannedFile[] = [];
  for (const [file, fileEdits] of edits) {
    const after = applyTextEdits(file.text, fileEdits);
    if (after !== file.text) planned.push({ path: file.path, absolutePath: file.absolutePath, before: file.text, after });
  }
  planned.sort((a, b) => a.path.localeCompare(b.path));
  changes.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { changes, files: planned };
}
