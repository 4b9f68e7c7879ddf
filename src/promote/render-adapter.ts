/** A renderer as promotion uses it: render errors stop the promotion, naming where they are. */
import type { EnvironmentConfig } from '../config/types.js';
import { UserError } from '../model/errors.js';
import { formatLocation, type Finding } from '../model/findings.js';
import type { RenderedObject } from '../model/objects.js';
import type { RenderEnvironment } from './types.js';

export type RenderWithFindings = (env: EnvironmentConfig, ref: string | undefined) => Promise<{ objects: RenderedObject[]; findings: Finding[] }>;

export function refuseRenderErrors(render: RenderWithFindings): RenderEnvironment {
  return async (env, ref) => {
    const result = await render(env, ref);
    const errors = result.findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      throw new UserError(
        `Environment ${env.name} does not render${ref ? ` at ${ref}` : ''}:\n${errors.slice(0, 10).map((f) => `  ${formatLocation(f) || env.path}: ${f.message}`).join('\n')}`,
        'Fix these first; a promotion edits only environments that render cleanly.',
      );
    }
    return result;
  };
}
