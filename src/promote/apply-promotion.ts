/**
 * Plans, writes and verifies one promotion in the working tree. On any failure after writing,
 * every edited file is put back byte-for-byte before the error is raised.
 */
import type { EnvironmentConfig } from '../config/types.js';
import { UserError } from '../model/errors.js';
import { collectImages } from './collect-images.js';
import { planPromotion } from './plan-promotion.js';
import type { DesiredImage } from './select-images.js';
import type { PromotionPlan, RenderEnvironment } from './types.js';
import { imageDifferences } from './verify.js';
import { restorePlannedFiles, writePlannedFiles } from './write-files.js';

export interface ApplyInput {
  root: string;
  target: EnvironmentConfig;
  desired: readonly DesiredImage[];
  render: RenderEnvironment;
  /** Every environment of the pipeline (files they read are not edited for the target). */
  environments?: readonly EnvironmentConfig[];
  /** Time spent rendering, added up (so benchmarks can leave it out). */
  renderTime?: { ms: number };
}

/** Leaves the edits in the working tree and returns the plan (no files when nothing changes). */
export async function applyPromotion(input: ApplyInput): Promise<PromotionPlan> {
  const { root, target, desired } = input;
  const render = async () => {
    const started = performance.now();
    try {
      return (await input.render(target, undefined)).objects;
    } finally {
      if (input.renderTime) input.renderTime.ms += performance.now() - started;
    }
  };
  const before = await render();
  const plan = await planPromotion({ root, target, desired, targetObjects: before, environments: input.environments });
  if (plan.files.length === 0) return plan;

  await writePlannedFiles(plan.files);
  try {
    const after = await render();
    const problems = imageDifferences(after, collectImages(before, target.name), plan.changes.length ? desiredOf(plan, desired) : [], target.name);
    if (problems.length > 0) {
      throw new UserError(
        `After editing ${plan.files.map((f) => f.path).join(', ')}, environment ${target.name} does not render the promoted images:\n${problems.map((p) => `  - ${p}`).join('\n')}\nThe files were restored unchanged.`,
        'An edited file may not be part of the render, or a later layer overrides it; set the image where the target takes it from.',
      );
    }
  } catch (error) {
    await restorePlannedFiles(plan.files);
    throw error;
  }
  return plan;
}

/** Only images the plan changes are expected to differ; the rest must render as before. */
function desiredOf(plan: PromotionPlan, desired: readonly DesiredImage[]): DesiredImage[] {
  const changed = new Set(plan.changes.map((c) => c.image));
  return desired.filter((d) => changed.has(d.name));
}
