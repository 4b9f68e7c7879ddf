/** The change set: what one environment's desired objects mean for its cluster. Feeds every report. */

import type { KubeObject, ObjectRef, SourceLocation } from './objects.js';

export type ChangeAction = 'create' | 'update' | 'unchanged' | 'delete' | 'error';

export interface ChangeEntry {
  ref: ObjectRef;
  action: ChangeAction;
  /** Unified diff of the normalised, secret-redacted YAML (live -> desired). Empty when unchanged. */
  diff: string;
  /** Server or client message for `error`; reason for `delete` (e.g. "no longer in Git"). */
  message?: string;
  source?: SourceLocation;
  /** Object as rendered (what apply sends). Absent for `delete`. */
  desired?: KubeObject;
  /** Live object before the change; absent for `create`. Never printed unredacted. */
  live?: KubeObject;
  /**
   * For `update`: the normalised pair the diff was made from (live, and the server's dry-run
   * result or the head render). Not redacted: only summaries that hide Secret values read it.
   */
  compared?: { before: KubeObject; after: KubeObject };
  /** Pruning is refused for this object (annotation `slipway.dev/prune: disabled`). */
  pruneProtected?: boolean;
  /** Fields that differ but are ignored (`ignoreDifferences`, built-in rules): left out of `diff` and `compared`, not applied. */
  ignored?: number;
}

/** Fields of a change entry that hold whole objects (Secret values among them): never printed as they are. */
export const OBJECT_BODY_FIELDS: ReadonlySet<string> = new Set<keyof ChangeEntry>(['live', 'desired', 'compared']);

export interface ChangeSet {
  environment: string;
  /** `cluster`: server-side dry-run against live objects; `render`: base render vs head render (no credentials). */
  mode: 'cluster' | 'render';
  entries: ChangeEntry[];
}

export interface ChangeCounts {
  create: number;
  update: number;
  unchanged: number;
  delete: number;
  error: number;
}

export function countChanges(entries: readonly ChangeEntry[]): ChangeCounts {
  const counts: ChangeCounts = { create: 0, update: 0, unchanged: 0, delete: 0, error: 0 };
  for (const entry of entries) counts[entry.action] += 1;
  return counts;
}

/** What an apply did, object by object (`created` and `updated` are the objects written). */
export interface AppliedCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: readonly unknown[];
}

/**
 * The counts every report shows for an environment: what was done once it was applied (a refused
 * prune deletes nothing, whatever the plan said), else what is planned.
 */
export function resultCounts(changeSet: ChangeSet | undefined, apply?: AppliedCounts): ChangeCounts | undefined {
  if (apply) return { create: apply.created, update: apply.updated, delete: apply.deleted, unchanged: apply.unchanged, error: apply.failed.length };
  return changeSet ? countChanges(changeSet.entries) : undefined;
}

/** Differing fields left out by ignore rules, over all entries. */
export function countIgnored(entries: readonly ChangeEntry[]): number {
  return entries.reduce((sum, entry) => sum + (entry.ignored ?? 0), 0);
}

export function hasChanges(changeSet: ChangeSet): boolean {
  return changeSet.entries.some((e) => e.action !== 'unchanged');
}
