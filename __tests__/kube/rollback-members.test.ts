/** Which members a rollback may delete, and what a deploy lists as new members: pure parts, no cluster. */
import { describe, expect, it } from '@jest/globals';
import { APPLYSET_PART_OF_LABEL, type ApplySet } from '../../src/kube/applyset.js';
import type { ClusterChangeSet } from '../../src/kube/changeset.js';
import { newMembersOf } from '../../src/kube/deployed-commit.js';
import { KEPT_EXISTED_BEFORE, keepWhatExistedBefore } from '../../src/kube/rollback.js';
import type { ChangeEntry } from '../../src/model/changeset.js';
import { refKey, type KubeObject, type ObjectRef } from '../../src/model/objects.js';

const set: ApplySet = { name: 'slipway-prod', namespace: 'shop', id: 'applyset-abc-v1', exists: true, groupKinds: ['ConfigMap'], additionalNamespaces: [] };
const ref = (name: string): ObjectRef => ({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name });
const live = (name: string, member: boolean): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop', labels: member ? { [APPLYSET_PART_OF_LABEL]: set.id } : {} } });
const entry = (name: string, action: ChangeEntry['action'], extra: Partial<ChangeEntry> = {}): ChangeEntry => ({ ref: ref(name), action, diff: '', ...extra });
const changeSet = (entries: ChangeEntry[]): ClusterChangeSet => ({ environment: 'prod', mode: 'cluster', entries, applySet: set, memberCount: entries.length });

describe('keepWhatExistedBefore', () => {
  it('leaves prune candidates that deploys since created, and keeps every other member the old render lacks', () => {
    const planned = changeSet([
      entry('web-settings', 'update'),
      entry('web-canary', 'delete', { live: live('web-canary', true) }),
      entry('shared-flags', 'delete', { live: live('shared-flags', true) }),
      entry('pinned', 'delete', { pruneProtected: true, message: 'kept: annotated slipway.dev/prune: disabled' }),
    ]);
    const { changeSet: result, kept } = keepWhatExistedBefore(planned, new Set([refKey(ref('web-canary'))]));
    expect(kept.map((r) => r.name)).toEqual(['shared-flags']);
    expect(result.entries.map((e) => [e.ref.name, e.action, e.pruneProtected ?? false, e.message])).toEqual([
      ['web-settings', 'update', false, undefined],
      ['web-canary', 'delete', false, undefined],
      ['shared-flags', 'delete', true, KEPT_EXISTED_BEFORE],
      ['pinned', 'delete', true, 'kept: annotated slipway.dev/prune: disabled'],
    ]);
    // The plan passed in is not changed.
    expect(planned.entries[2]?.pruneProtected).toBeUndefined();
  });

  it('keeps everything when nothing is listed as created (a list lost or edited by hand)', () => {
    const { kept } = keepWhatExistedBefore(changeSet([entry('a', 'delete'), entry('b', 'delete')]), new Set());
    expect(kept.map((r) => r.name)).toEqual(['a', 'b']);
  });
});

describe('newMembersOf', () => {
  it('lists objects to create, and existing objects that are not members yet', () => {
    const members = newMembersOf(
      changeSet([
        entry('new', 'create'),
        entry('taken-over', 'update', { live: live('taken-over', false) }),
        entry('member', 'update', { live: live('member', true) }),
        entry('same', 'unchanged', { live: live('same', true) }),
        entry('gone', 'delete', { live: live('gone', true) }),
        entry('refused', 'error'),
      ]),
    );
    expect(members.created.map((r) => r.name)).toEqual(['new']);
    expect(members.adopted.map((r) => r.name)).toEqual(['taken-over']);
  });
});
