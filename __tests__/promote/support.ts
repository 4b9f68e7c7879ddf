/** Helpers for promotion tests: a pipeline config for fixture layouts, and fixture repositories. */
import { join } from 'node:path';
import type { EnvironmentConfig, PipelineConfig } from '../../src/config/types.js';
import { testEnvironment } from '../support/environment.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

export const FIXTURES = join(process.cwd(), '__tests__', 'fixtures', 'promote');

export function environment(partial: Partial<EnvironmentConfig> & { name: string; path: string }): EnvironmentConfig {
  return testEnvironment(partial.name, {
    wait: { enabled: false, timeoutMs: 60_000 },
    forceConflicts: false,
    policies: { 'image-tag': 'warning', 'duplicate-object': 'error', 'missing-namespace': 'off', 'plaintext-secret': 'warning' },
    ...partial,
  });
}

export function pipeline(root: string, environments: EnvironmentConfig[]): PipelineConfig {
  return { file: 'slipway.yaml', root, environments, tools: {} };
}

/** dev -> staging (commit) -> prod (pull request) over the `shop` fixture layout. */
export function shopConfig(root: string): PipelineConfig {
  return pipeline(root, [
    environment({ name: 'dev', path: 'envs/dev' }),
    environment({ name: 'staging', path: 'envs/staging', promoteFrom: 'dev' }),
    environment({ name: 'prod', path: 'envs/prod', promoteFrom: 'staging', promotion: 'pull-request', promotionLabels: ['promotion', 'prod'] }),
  ]);
}

export function fixtureRepo(name: string): TestRepo {
  return createTestRepo({ fixture: join(FIXTURES, name) });
}

export const DIGEST_A = `sha256:${'a'.repeat(64)}`;
export const DIGEST_B = `sha256:${'b'.repeat(64)}`;
export const DIGEST_C = `sha256:${'c'.repeat(64)}`;
