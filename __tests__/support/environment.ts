/** An environment as slipway.yaml's defaults make it, at `envs/<name>`, for tests that render or deploy one. */
import type { EnvironmentConfig } from '../../src/config/types.js';
import { DEFAULT_POLICIES } from '../../src/config/load.js';

export function testEnvironment(name: string, extra: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return {
    name,
    path: `envs/${name}`,
    promotion: 'commit',
    kubernetesVersion: '1.33',
    strict: false,
    prune: { enabled: true, maxShare: 0.5 },
    wait: { enabled: true, timeoutMs: 300_000 },
    forceConflicts: true,
    heal: false,
    helm: { valuesFiles: [] },
    policies: DEFAULT_POLICIES,
    promotionLabels: [],
    ...extra,
  };
}
