/** Binds the render module to the shape promotion uses; render errors stop the promotion. */
import type { ToolPaths } from '../config/types.js';
import type { CommandRunner } from '../exec/run.js';
import { UserError } from '../model/errors.js';
import { formatLocation } from '../model/findings.js';
import { renderEnvironment } from '../render/render.js';
import type { RenderEnvironment } from './types.js';

export function moduleRenderer(deps: { runner: CommandRunner; tools?: ToolPaths }): RenderEnvironment {
  return async (env, at) => {
    const result = await renderEnvironment(env, at, deps);
    const errors = result.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      throw new UserError(
        `Environment ${env.name} does not render${at.ref ? ` at ${at.ref}` : ''}:\n${errors.slice(0, 10).map((f) => `  ${formatLocation(f) || env.path}: ${f.message}`).join('\n')}`,
        'Fix these first; a promotion edits only environments that render cleanly.',
      );
    }
    return result;
  };
}
