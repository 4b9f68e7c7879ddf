/**
 * A change entry's diff is rendered on first read (kube/diff.ts withLazyDiff): a deploy that
 * reports counts never renders the YAML of every object, and every reader still sees the text.
 */
import { withLazyDiff } from '../../src/kube/diff.js';
import type { ObjectRef } from '../../src/model/objects.js';

const ref: ObjectRef = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'dev', name: 'flags' };

describe('withLazyDiff', () => {
  it('renders the diff once, on first read, and copies, JSON and comparisons see it', () => {
    let renders = 0;
    const entry = withLazyDiff({ ref, action: 'create' }, () => {
      renders++;
      return '+kind: ConfigMap\n';
    });
    expect(renders).toBe(0);
    expect(entry.diff).toBe('+kind: ConfigMap\n');
    expect(entry.diff).toBe('+kind: ConfigMap\n');
    expect(renders).toBe(1);
    expect({ ...entry }.diff).toBe('+kind: ConfigMap\n');
    expect(JSON.parse(JSON.stringify(entry))).toEqual({ ref, action: 'create', diff: '+kind: ConfigMap\n' });
    expect(entry).toEqual({ ref, action: 'create', diff: '+kind: ConfigMap\n' });
    expect(renders).toBe(1);
  });

  it('a diff written over it replaces the rendered one', () => {
    const entry = withLazyDiff({ ref, action: 'update' }, () => 'rendered');
    entry.diff = 'masked';
    expect(entry.diff).toBe('masked');
  });
});
