import { randomBytes } from 'node:crypto';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { changeSetFromRenders } from '../../src/changeset/from-renders.js';
import type { KubeObject, RenderedObject } from '../../src/model/objects.js';

const env = { name: 'dev', prune: { enabled: true, maxShare: 0.5 } } as EnvironmentConfig;
const r = (object: KubeObject): RenderedObject => ({ object, source: { file: 'envs/dev/x.yaml', line: 1, column: 1 } });
const cm = (name: string, data: Record<string, string>, annotations?: Record<string, string>) =>
  r({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'apps', annotations }, data });

describe('changeSetFromRenders', () => {
  it('classifies create, update, unchanged and delete, with diffs', () => {
    const set = changeSetFromRenders(env, [cm('same', { a: '1' }), cm('edited', { a: '1' }), cm('gone', {})], [cm('same', { a: '1' }), cm('edited', { a: '2' }), cm('new', {})]);
    const byName = Object.fromEntries(set.entries.map((e) => [e.ref.name, e]));
    expect(set.mode).toBe('render');
    expect(byName.same.action).toBe('unchanged');
    expect(byName.same.diff).toBe('');
    expect(byName.edited.action).toBe('update');
    expect(byName.edited.diff).toMatch(/^- {2}a: "1"$/m);
    expect(byName.edited.diff).toMatch(/^\+ {2}a: "2"$/m);
    expect(byName.new.action).toBe('create');
    expect(byName.gone.action).toBe('delete');
  });

  it('lists no deletions when pruning is off, and marks protected ones', () => {
    const noPrune = changeSetFromRenders({ ...env, prune: { enabled: false, maxShare: 0.5 } }, [cm('gone', {})], []);
    expect(noPrune.entries).toEqual([]);
    const kept = changeSetFromRenders(env, [cm('keep', {}, { 'slipway.dev/prune': 'disabled' })], []);
    expect(kept.entries[0]).toMatchObject({ action: 'delete', pruneProtected: true });
  });

  it('never shows a Secret value or its base64, and sees stringData and data as the same', () => {
    const before = randomBytes(12).toString('hex');
    const after = randomBytes(12).toString('hex');
    const secret = (value: string, form: 'data' | 'stringData') =>
      r({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: 'apps' },
        [form]: { password: form === 'data' ? Buffer.from(value).toString('base64') : value },
      });
    expect(changeSetFromRenders(env, [secret(before, 'data')], [secret(before, 'stringData')]).entries[0].action).toBe('unchanged');
    const changed = changeSetFromRenders(env, [secret(before, 'stringData')], [secret(after, 'stringData')]);
    const printed = JSON.stringify(changed.entries.map((e) => [e.diff, e.message]));
    for (const value of [before, after]) {
      expect(printed).not.toContain(value);
      expect(printed).not.toContain(Buffer.from(value).toString('base64'));
    }
    expect(changed.entries[0].diff).toContain('*** (after)');
  });
});
