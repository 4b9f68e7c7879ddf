import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/reader.js';

/** Writes `yaml` as `root`'s slipway.yaml and returns the config errors it gives, as `line:column message`. */
export async function configProblems(root: string, yaml: string): Promise<string[]> {
  writeFileSync(join(root, 'slipway.yaml'), yaml);
  try {
    await loadConfig(root);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}
