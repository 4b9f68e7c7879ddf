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
import { ignoredFields, ignoreRulesOf, withoutIgnored } from '../kube/ignore.js';
import { compareForApply } from '../kube/stages.js';
import { isPruneProtected, PRUNE_ANNOTATION } from '../kube/changeset.js';

export function changeSetFromRenders(env: EnvironmentConfig, base: readonly RenderedObject[], head: readonly RenderedObject[]): ChangeSet {
  const before = new Map(base.map((r) => [refKey(refOf(r.object)), r]));
  const after = new Map(head.map((r) => [refKey(refOf(r.object)), r]));
  const entries: ChangeEntry[] = [];
  const ignore = ignoreRulesOf(env, head);

  for (const [key, desired] of after) {
    const ref = refOf(desired.object);
    const previous = before.get(key);
    const next = normalize(desired.object);
    if (!previous) {
      entries.push({ ref, action: 'create', diff: diffObjects(ref, undefined, next, 3, RENDER_SIDES), source: desired.source, desired: desired.object });
      continue;
    }
    // Ignored fields would keep their live value on deploy, so a change to them in Git is no change.
    const pair = withoutIgnored(normalize(previous.object), next, ignoredFields(ignore, ref, desired.object, undefined));
    const same = deepEqual(pair.before, pair.after);
    entries.push({
      ref,
      action: same ? 'unchanged' : 'update',
      diff: same ? '' : diffObjects(ref, pair.before, pair.after, 3, RENDER_SIDES),
      compared: same ? undefined : { before: pair.before, after: pair.after },
      source: desired.source,
      desired: desired.object,
      live: previous.object,
      ...(pair.ignored ? { ignored: pair.ignored } : {}),
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
