/** validate: render each environment, then check every object offline. */
import type { EnvironmentConfig } from '../config/types.js';
import type { Finding } from '../model/findings.js';
import type { RenderOutcome } from '../plan/affected.js';
import { mapLimit } from '../model/concurrency.js';
import type { RendererPort, ValidatorPort } from './ports.js';

export interface EnvironmentValidation {
  environment: EnvironmentConfig;
  render: RenderOutcome;
  /** Render findings and validation findings, each tagged with the environment. */
  findings: Finding[];
}

export async function renderEnvironments(
  environments: readonly EnvironmentConfig[],
  ref: string | undefined,
  renderer: RendererPort,
): Promise<Array<{ environment: EnvironmentConfig; render: RenderOutcome }>> {
  return mapLimit(environments, 4, async (environment) => ({ environment, render: await renderer.render(environment, ref) }));
}

/** Validates already rendered environments: CRDs from any of them are known to all. */
export function validateRenders(
  renders: ReadonlyArray<{ environment: EnvironmentConfig; render: RenderOutcome }>,
  validator: ValidatorPort,
): EnvironmentValidation[] {
  const results = validator.validate(
    renders.map((r) => ({ environment: r.environment, objects: r.render.objects, renderFailed: r.render.findings.some((f) => f.severity === 'error') })),
  );
  return renders.map(({ environment, render }) => ({
    environment,
    render,
    findings: [...render.findings, ...(results.get(environment.name) ?? [])].map((f) => ({ ...f, environment: environment.name })),
  }));
}

export async function runValidate(
  environments: readonly EnvironmentConfig[],
  ref: string | undefined,
  ports: { renderer: RendererPort; validator: ValidatorPort },
): Promise<EnvironmentValidation[]> {
  return validateRenders(await renderEnvironments(environments, ref, ports.renderer), ports.validator);
}
