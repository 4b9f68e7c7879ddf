import { describeRef, refKey, refOf } from '../../src/model/objects.js';

describe('object identity', () => {
  it('splits group and version and keys by group, kind, namespace, name', () => {
    const ref = refOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } });
    expect(ref).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(refKey(ref)).toBe('apps/Deployment/shop/web');
    expect(describeRef(ref)).toBe('Deployment/shop/web');
  });

  it('treats a core apiVersion as the empty group', () => {
    const ref = refOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    expect(ref.group).toBe('');
    expect(describeRef(ref)).toBe('Namespace/shop');
  });
});
