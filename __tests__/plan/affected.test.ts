import type { EnvironmentConfig } from '../../src/config/types.js';
import { canonicalJson, fingerprint, renderAndCompare, type RenderOutcome } from '../../src/plan/affected.js';
import type { KubeObject } from '../../src/model/objects.js';

const cm = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
const env = (name: string) => ({ name, path: `envs/${name}` }) as EnvironmentConfig;
const outcome = (...objects: KubeObject[]): RenderOutcome => ({ objects: objects.map((object) => ({ object })), findings: [] });

describe('affected environments', () => {
  it('ignores object and key order', () => {
    const a = fingerprint(outcome(cm('a', { x: '1', y: '2' }), cm('b', {})).objects);
    const b = fingerprint(outcome(cm('b', {}), { metadata: { name: 'a' }, data: { y: '2', x: '1' }, kind: 'ConfigMap', apiVersion: 'v1' }).objects);
    expect(a).toBe(b);
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[1,{"c":2,"d":1}]}');
  });

  it('marks only environments whose rendered output changed', async () => {
    const renders: Record<string, RenderOutcome> = {
      'dev@base': outcome(cm('app', { v: '1' })),
      'dev@head': outcome(cm('app', { v: '2' })),
      'prod@base': outcome(cm('app', { v: '1' })),
      'prod@head': outcome(cm('app', { v: '1' })),
    };
    const result = await renderAndCompare([env('dev'), env('prod')], { base: 'base', head: 'head' }, async (e, ref) => renders[`${e.name}@${ref}`]);
    expect(result.map((r) => [r.environment.name, r.affected])).toEqual([
      ['dev', true],
      ['prod', false],
    ]);
  });

  it('counts every environment as affected without a base, and a new environment as created', async () => {
    const none = await renderAndCompare([env('dev')], { head: 'head' }, async () => outcome(cm('a', {})));
    expect(none[0].affected).toBe(true);
    // A directory missing at base renders as empty there.
    const fresh = await renderAndCompare([env('new')], { base: 'b', head: 'h' }, async (_e, ref) => (ref === 'b' ? outcome() : outcome(cm('a', {}))));
    expect(fresh[0].affected).toBe(true);
    expect(fresh[0].base?.objects).toEqual([]);
  });
});
