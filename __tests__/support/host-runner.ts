/**
 * A runner over this test process's environment (PATH with .tools/bin first, see setup-env.ts),
 * and the render and promotion entry points bound to it, for tests that run the real tools.
 */
import type { EnvironmentConfig } from '../../src/config/types.js';
import { Git } from '../../src/exec/git.js';
import { processRunner } from '../../src/exec/run.js';
import { refuseRenderErrors } from '../../src/promote/render-adapter.js';
import { promote as promoteWith, type PromoteOptions } from '../../src/promote/promote.js';
import { renderEnvironment as renderWith, type RenderDeps, type RenderSource } from '../../src/render/render.js';

export const hostRunner = processRunner(process.env);

export function renderEnvironment(env: EnvironmentConfig, source: RenderSource, deps: Partial<RenderDeps> = {}) {
  return renderWith(env, source, { runner: hostRunner, ...deps });
}

/** A promotion with the repository's Git and the render module over the host runner, unless the test passes its own. */
export function promote(options: Omit<PromoteOptions, 'git' | 'render'> & Partial<Pick<PromoteOptions, 'git' | 'render'>>) {
  const render = refuseRenderErrors((env, ref) => renderWith(env, { root: options.root, ref }, { runner: hostRunner, tools: options.config.tools }));
  return promoteWith({ git: Git.forRepository(hostRunner, options.root, options.config.tools), render, ...options });
}
