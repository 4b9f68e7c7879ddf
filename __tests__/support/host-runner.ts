/**
 * A runner over this test process's environment (PATH with .tools/bin first, see setup-env.ts),
 * and the render and promotion entry points bound to it, for tests that run the real tools.
 */
import type { EnvironmentConfig } from '../../src/config/types.js';
import { processRunner } from '../../src/exec/run.js';
import { promote as promoteWith, type PromoteOptions } from '../../src/promote/promote.js';
import { renderEnvironment as renderWith, type RenderDeps, type RenderSource } from '../../src/render/render.js';

export const hostRunner = processRunner(process.env);

export function renderEnvironment(env: EnvironmentConfig, source: RenderSource, deps: Partial<RenderDeps> = {}) {
  return renderWith(env, source, { runner: hostRunner, ...deps });
}

export function promote(options: Omit<PromoteOptions, 'runner'> & Partial<Pick<PromoteOptions, 'runner'>>) {
  return promoteWith({ runner: hostRunner, ...options });
}
