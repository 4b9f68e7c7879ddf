/**
 * A change set from two renders (base vs head), for previews that may not ask a cluster:
 * pull requests from forks, or environments with no credentials. Same normalisation,
 * diff and Secret masking as the cluster change set, so the comment reads the same.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { ChangeEntry, ChangeSet } from '../model/changeset.js';
import { refKey, refOf, type RenderedObject } from '../model/objects.js';
import { diffObjects, RENDER_SIDES } from '../kube/diff.js';
import { deepEqual, normalize } from '../kube/normalize.js';
import { compareForApply } from '../kube/stages.js';
import { isPruneProtected, PRUNE_ANNOTATION } from '../kube/changeset.js';

export function changeSetFromRenders(env: EnvironmentConfig, base: readonly RenderedObject[], head: readonly RenderedObject[]): ChangeSet {
  const before = new Map(base.map((r) => [refKey(refOf(r.object)), r]));
  const after = new Map(head.map((r) => [refKey(refOf(r.object)), r]));
  const entries: ChangeEntry[] = [];

  for (const [key, desired] of after) {
    const ref = refOf(desired.object);
    const previous = before.get(key);
    const next = normalize(desired.object);
    if (!previous) {
      entries.push({ ref, action: 'create', diff: diffObjects(ref, undefined, next, 3, RENDER_SIDES), source: desired.source, desired: desired.object });
      continue;
    }
    const prior = normalize(previous.object);
    const same = deepEqual(prior, next);
    entries.push({
      ref,
      action: same ? 'unchanged' : 'update',
      diff: same ? '' : diffObjects(ref, prior, next, 3, RENDER_SIDES),
      compared: same ? undefined : { before: prior, after: next },
      source: desired.source,
      desired: desired.object,
      live: previous.object,
    });
  }
  if (env.prune.enabled) {
    for (const [key, removed] of before) {
      if (after.has(key)) continue;
      const ref = refOf(removed.object);
      const protectedFromPrune = isPruneProtected(removed.object);
      entries.push({
        ref,
        action: 'delete',
        diff: diffObjects(ref, normalize(removed.object), undefined, 3, RENDER_SIDES),
        message: protectedFromPrune ? `no longer in Git; kept (${PRUNE_ANNOTATION}: disabled)` : 'no longer in Git',
        source: removed.source,
        live: removed.object,
        pruneProtected: protectedFromPrune || undefined,
      });
    }
  }
  entries.sort((a, b) => compareForApply(a.ref, b.ref));
  return { environment: env.name, mode: 'render', entries };
}
