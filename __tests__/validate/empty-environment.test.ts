import { emptyCrdSchemaIndex, validateObjects } from '../../src/validate/index.js';
import { environment } from './helpers.js';

const prune = (enabled: boolean) => ({ enabled, maxShare: 0.5 });

describe('an environment that renders no objects', () => {
  it('is a warning naming the environment and its path when prune is off', () => {
    const findings = validateObjects([], { ...environment({ name: 'qa', path: 'envs/qa', prune: prune(false) }) }, { crds: emptyCrdSchemaIndex() });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'warning', rule: 'empty-environment', environment: 'qa', file: 'envs/qa' });
    expect(findings[0].message).toContain('environment "qa" (envs/qa) renders no Kubernetes objects');
  });

  it('is an error when prune is on: a deploy would delete everything it manages', () => {
    const findings = validateObjects([], { ...environment({ name: 'qa', path: 'envs/qa', prune: prune(true) }) }, { crds: emptyCrdSchemaIndex() });
    expect(findings).toMatchObject([{ severity: 'error', rule: 'empty-environment', file: 'envs/qa' }]);
    expect(findings[0].message).toContain('prune');
  });

  it('says nothing when the render failed: its own error says why there are no objects', () => {
    expect(validateObjects([], environment({ name: 'qa', path: 'envs/qa', prune: prune(true) }), { crds: emptyCrdSchemaIndex() }, { renderFailed: true })).toEqual([]);
  });

  it('says nothing once the environment renders an object', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'apps' } };
    const findings = validateObjects([{ object, source: { file: 'envs/qa/a.yaml', line: 1, column: 1 } }], environment({ name: 'qa', path: 'envs/qa', prune: prune(true) }), { crds: emptyCrdSchemaIndex() });
    expect(findings).toEqual([]);
  });
});
