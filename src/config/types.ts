/** The typed form of `slipway.yaml` after loading, defaults applied. See README "Configuration". */

import type { ToolPaths } from '../exec/tools.js';
import type { Severity } from '../model/findings.js';

export type PromotionMode = 'commit' | 'pull-request';

/** What a deploy does when its health wait fails: `rollback` re-applies the last successful render. */
export type OnFailureMode = 'none' | 'rollback';
export const ON_FAILURE_MODES: readonly OnFailureMode[] = ['none', 'rollback'];

/** Severity of a policy, or `off`. */
export type PolicyLevel = Severity | 'off';

export interface PolicyConfig {
  /** Image with no tag or digest, or tagged `latest`. */
  'image-tag': PolicyLevel;
  /** Two objects with the same group, kind, namespace and name. */
  'duplicate-object': PolicyLevel;
  /** Namespaced object with no namespace and no environment default. */
  'missing-namespace': PolicyLevel;
  /** Secret whose data is committed in plain text. */
  'plaintext-secret': PolicyLevel;
}

/** Each policy's level when neither the environment nor `defaults` sets one. */
export const DEFAULT_POLICIES: PolicyConfig = {
  'image-tag': 'warning',
  'duplicate-object': 'error',
  'missing-namespace': 'error',
  'plaintext-secret': 'warning',
};

export interface HelmConfig {
  /** Release name for `helm template`; default: the environment name. */
  releaseName?: string;
  /** Values files relative to the environment directory, in order. */
  valuesFiles: string[];
}

export interface WaitConfig {
  enabled: boolean;
  /** Milliseconds. */
  timeoutMs: number;
}

export interface PruneConfig {
  enabled: boolean;
  /** Refuse to prune when more than this share (0..1) of the inventory would be deleted, unless `force`. */
  maxShare: number;
}

export interface EnvironmentConfig {
  name: string;
  /** Directory relative to the repository root (normalised, no leading `./`, never escaping the repository). */
  path: string;
  /** Kubeconfig context; undefined means the current context. */
  context?: string;
  /** Default namespace for namespaced objects that name none. */
  namespace?: string;
  promoteFrom?: string;
  promotion: PromotionMode;
  /** Target Kubernetes minor version, e.g. `1.33`. */
  kubernetesVersion: string;
  /** Custom resources with no known schema are errors instead of warnings. */
  strict: boolean;
  prune: PruneConfig;
  wait: WaitConfig;
  /** Take ownership of fields held by other field managers (server-side apply `force`). */
  forceConflicts: boolean;
  /** Re-apply drifted objects on `drift`. */
  heal: boolean;
  /** On a failed health wait: `rollback` re-applies the last successful render; absent means `none`. */
  onFailure?: OnFailureMode;
  helm: HelmConfig;
  policies: PolicyConfig;
  /** Labels for promotion pull requests. */
  promotionLabels: string[];
  /** Plain directories: globs of files left out of the render (see model/glob.ts); none when absent. */
  exclude?: string[];
  /** Plain directories: read subdirectories; absent means true. */
  recurse?: boolean;
  /**
   * Directories of JSON Schemas for custom resources whose CRD is not in the repository
   * (`{group}/{kind}_{version}.json`): the top-level `schemas:` first, then the environment's.
   */
  schemas?: SchemaDirectory[];
  /** `ignoreDifferences` of `defaults:` then of the environment; absent when neither has any. */
  ignoreDifferences?: IgnoreDifferencesRule[];
}

/**
 * One `ignoreDifferences` entry, as Argo CD spells it: the objects it matches (globs; absent
 * matches all, group `""` is core) and their fields left out of diffs, drift and apply.
 */
export interface IgnoreDifferencesRule {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** JSON pointers or dotted paths (model/field-path.ts), checked when the config is loaded. */
  jsonPointers: string[];
  /** Fields these managers own (globs over manager names) per the live object's managedFields. */
  managedFieldsManagers: string[];
}

export interface SchemaDirectory {
  /** Repository-relative, as findings show it. */
  path: string;
  /** Where it is read from. */
  absolute: string;
}

export type { ToolPaths };

export interface PreviewSettings {
  /** Post a short "no environment changes" comment on pull requests that change nothing. */
  commentWithoutChanges: boolean;
}

export interface PipelineConfig {
  /** Path of the config file relative to the repository root. */
  file: string;
  /** Absolute path of the repository root. */
  root: string;
  environments: EnvironmentConfig[];
  tools: ToolPaths;
  /** Absent means the defaults. */
  preview?: PreviewSettings;
}
