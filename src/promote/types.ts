/** Shapes shared by the promotion steps and their callers. */
import type { EnvironmentConfig } from '../config/types.js';
import type { RenderedObject } from '../model/objects.js';

/**
 * Renders one environment: from the working tree (`ref` undefined), or at a Git ref. The caller
 * passes the run's renderer (shared commit trees), refusing renders with errors (render-adapter.ts).
 */
export type RenderEnvironment = (env: EnvironmentConfig, ref: string | undefined) => Promise<{ objects: RenderedObject[] }>;

/** One rewritten (or added) image reference in the target directory. */
export interface PromotionChange {
  image: string;
  /** Version before, as rendered in the target: `1.4.2`, `sha256:…` or `1.4.2@sha256:…`. */
  from: string;
  to: string;
  /** Repository-relative file that was edited, and the 1-based line of the change. */
  file: string;
  line: number;
  /** `to` is an older version than `from` (by semver of the tags): allowed, and said plainly. */
  backwards?: true;
}

export interface PlannedFile {
  path: string;
  absolutePath: string;
  before: string;
  after: string;
}

export interface PromotionPlan {
  changes: PromotionChange[];
  files: PlannedFile[];
}
