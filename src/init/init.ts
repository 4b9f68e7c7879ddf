/**
 * `slipway init`: scans a repository and writes a starting `slipway.yaml` for the user to check.
 * It never overwrites a file, and it checks its own output with the config loader, so what it
 * writes is always a config Slipway accepts.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { UserError } from '../model/errors.js';
import type { SettingNames } from '../model/setting-names.js';
import { configText } from './config-text.js';
import { proposeEnvironments, type ProposedEnvironment } from './propose.js';
import { scanRepository } from './scan.js';

export interface InitResult {
  /** Repository-relative path of the config written (or that would be written). */
  file: string;
  text: string;
  environments: ProposedEnvironment[];
  written: boolean;
}

export async function initConfig(root: string, file: string, options: { dryRun: boolean; names: SettingNames }): Promise<InitResult> {
  const target = join(root, file);
  if (existsSync(target)) {
    throw new UserError(
      `${file} already exists; slipway init never overwrites a config.`,
      `Edit it by hand, or write the proposal elsewhere with ${options.names.config} other.yaml (or preview it with --dry-run).`,
    );
  }
  const environments = proposeEnvironments(await scanRepository(root));
  if (environments.length === 0) {
    throw new UserError(
      `Found no kustomization, Helm chart or directory of Kubernetes manifests in ${root}.`,
      'Point --repo at the repository that holds your environments, or write slipway.yaml by hand (README, "Configuration").',
    );
  }
  const text = configText(environments);
  if (options.dryRun) return { file, text, environments, written: false };
  await writeFile(target, text, { flag: 'wx' });
  // The proposal must load; if it does not, that is a defect in init, reported with the loader's words.
  await loadConfig(root, file, options.names);
  return { file, text, environments, written: true };
}
