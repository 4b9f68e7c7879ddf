import type { EnvironmentConfig, PipelineConfig } from '../config/types.js';
import { UserError } from '../model/errors.js';

/** The environments named (in config order), every one for `all` or none named. Unknown names are an error. */
export function selectEnvironments(config: PipelineConfig, names: readonly string[] | 'all' | undefined): EnvironmentConfig[] {
  if (names === undefined || names === 'all') return [...config.environments];
  const known = new Set(config.environments.map((e) => e.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new UserError(
      `Environment${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')} not found in ${config.file}.`,
      `Known environments: ${[...known].join(', ')}.`,
    );
  }
  const wanted = new Set(names);
  return config.environments.filter((e) => wanted.has(e.name));
}

