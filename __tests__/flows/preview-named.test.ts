/**
 * A preview of named environments (`slipway diff --env qa`) renders only those, at base and
 * head: not every environment of the pipeline.
 */
import type { ChangeSet } from '../../src/model/changeset.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { runPreview } from '../../src/flows/preview.js';
import { environment, pipeline } from '../promote/support.js';

const NAMES = ['dev', 'qa', 'uat', 'staging', 'prod'];

function ports(rendered: string[]) {
  return {
    renderer: {
      render: async (env: EnvironmentConfig, ref: string | undefined) => {
        rendered.push(`${env.name}@${ref ?? 'tree'}`);
        return { objects: [], findings: [] };
      },
    },
    validator: { validate: () => new Map() },
    cluster: { hasCredentials: () => Promise.resolve(false), connect: () => Promise.reject(new Error('no cluster')) },
    renderDiff: { fromRenders: (env: EnvironmentConfig): ChangeSet => ({ environment: env.name, mode: 'render', entries: [] }) },
    log: { info: () => undefined, warning: () => undefined, error: () => undefined, group: <T>(_title: string, work: () => Promise<T>) => work() },
  };
}

describe('runPreview with named environments', () => {
  const config = pipeline('/repo', NAMES.map((name) => environment({ name, path: `envs/${name}` })));

  it('renders only the named environment at base and head', async () => {
    const rendered: string[] = [];
    const result = await runPreview({ config, base: 'b'.repeat(40), head: 'h'.repeat(40), environments: ['qa'], clusterAllowed: true }, ports(rendered));
    expect(rendered.sort()).toEqual([`qa@${'b'.repeat(40)}`, `qa@${'h'.repeat(40)}`]);
    expect(result.environments.map((e) => e.name)).toEqual(['qa']);
  });

  it('without names, every environment is rendered to find the affected ones', async () => {
    const rendered: string[] = [];
    await runPreview({ config, base: 'b'.repeat(40), head: 'h'.repeat(40), clusterAllowed: true }, ports(rendered));
    expect(rendered).toHaveLength(NAMES.length * 2);
  });
});
