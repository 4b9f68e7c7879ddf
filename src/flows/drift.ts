/**
 * drift: compare every environment's render with its cluster. Any object that would be created,
 * updated or pruned has drifted. With `heal: true` the environment is re-applied.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { ChangeSet } from '../model/changeset.js';
import { hasChanges } from '../model/changeset.js';
import { errorMessage } from '../model/errors.js';
import { mapLimit } from '../model/concurrency.js';
import type { Log } from './log.js';
import type { ApplyOutcome, ClusterPort, HealthResult, RendererPort } from './ports.js';

export interface DriftEnvironment {
  name: string;
  drifted: boolean;
  changeSet?: ChangeSet;
  healed?: { apply: ApplyOutcome; health?: HealthResult };
  error?: string;
}

export interface DriftRequest {
  environments: EnvironmentConfig[];
  dryRun: boolean;
  holder: string;
  timeoutMs?: number;
  /** Heal even where the config does not say `heal: true` (CLI --heal). */
  heal?: boolean;
}

export async function runDrift(
  request: DriftRequest,
  ports: { renderer: RendererPort; cluster: ClusterPort; log: Log },
): Promise<DriftEnvironment[]> {
  return mapLimit(request.environments, 4, async (env): Promise<DriftEnvironment> => {
    try {
      const render = await ports.renderer.render(env, undefined);
      if (render.findings.some((f) => f.severity === 'error')) {
        return { name: env.name, drifted: false, error: 'the environment did not render; run `slipway validate`' };
      }
      const session = await ports.cluster.connect(env);
      try {
        const changeSet = await session.changeSet(env, render.objects, { prune: env.prune.enabled });
        const drifted = hasChanges(changeSet);
        if (!drifted || !(request.heal || env.heal) || request.dryRun) return { name: env.name, drifted, changeSet };
        ports.log.info(`${env.name}: drift found, re-applying (heal)`);
        const healed = await session.deploy(env, changeSet, {
          timeoutMs: request.timeoutMs ?? env.wait.timeoutMs,
          holder: request.holder,
          forcePrune: false,
        });
        return { name: env.name, drifted, changeSet, healed };
      } finally {
        session.close();
      }
    } catch (error) {
      return { name: env.name, drifted: false, error: errorMessage(error) };
    }
  });
}
