/**
 * `slipway rollback --env NAME`: the environment's last healthy deploy applied again through the
 * same code path as `onFailure: rollback` (src/flows/rollback.ts). Exit 0 when rolled back and
 * healthy; 1 when it failed or there is nothing to roll back to; 2 for usage and setup errors.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { requireDuration } from '../config/duration.js';
import { Git } from '../exec/git.js';
import type { CommandRunner } from '../exec/run.js';
import type { SecretMask } from '../exec/secrets.js';
import { createClusterPort, createRenderer } from '../flows/adapters.js';
import { gitHistory } from '../flows/git-history.js';
import type { Log } from '../flows/log.js';
import { runRollback } from '../flows/rollback.js';
import { selectEnvironments } from '../flows/select.js';
import { CLI_SETTING_NAMES } from '../model/setting-names.js';
import { rollbackJson, rollbackText } from '../report/rollback.js';
import type { CliArgs } from './args.js';
import type { CliIo } from './main.js';

export interface RollbackCommandDeps {
  log: Log;
  runner: CommandRunner;
  /** Content of --kubeconfig, already read. */
  kubeconfig?: string;
  /** $KUBECONFIG. */
  kubeconfigPaths?: string;
  /** The command's mask: the kubeconfig's credentials are registered here; `io` masks with it. */
  secrets: SecretMask;
  holder: string;
  signal?: AbortSignal;
}

export async function rollbackCommand(args: CliArgs, io: CliIo, deps: RollbackCommandDeps): Promise<number> {
  const root = resolve(args.repo);
  const config = await loadConfig(root, args.config, CLI_SETTING_NAMES);
  const [env] = selectEnvironments(config, args.environments);
  if (!env) throw new Error('rollback: no environment selected'); // parseCliArgs requires exactly one
  const timeoutMs = args.timeout ? requireDuration(args.timeout, '--timeout') : undefined;
  const git = Git.forRepository(deps.runner, root, config.tools);
  const renderer = createRenderer(config, deps.runner, { git });
  const cluster = await createClusterPort({
    kubeconfig: deps.kubeconfig,
    kubeconfigPaths: deps.kubeconfigPaths,
    kubeconfigSource: args.kubeconfig && `--kubeconfig ${args.kubeconfig}`,
    kubeconfigSetting: '--kubeconfig FILE',
    secrets: deps.secrets,
    log: deps.log,
  });
  let result;
  try {
    result = await runRollback(env, { holder: deps.holder, timeoutMs, signal: deps.signal }, { renderer, cluster, history: gitHistory(git), log: deps.log });
  } finally {
    await renderer.dispose?.();
  }
  const ok = result.status === 'rolled-back';
  if (args.json) {
    io.stdout(`${JSON.stringify(deps.secrets.maskAll({ command: 'rollback', ok, environment: env.name, durationMs: result.durationMs, ...rollbackJson(result) }), null, 2)}\n`);
  } else {
    io.stdout(`${env.name}: ${rollbackText(result).join('\n')}\n`);
  }
  return ok ? 0 : 1;
}
