/**
 * drift: compare every environment's render with its cluster. Any object that would be created,
 * updated or pruned has drifted. With `heal: true` the environment is re-applied.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { ChangeSet } from '../model/changeset.js';
import { hasChanges } from '../model/changeset.js';
import { problemOf, type Problem } from '../model/errors.js';
import { formatLocation, type Finding } from '../model/findings.js';
import { mapLimit } from '../model/concurrency.js';
import type { Log } from './log.js';
import type { ApplyOutcome } from '../kube/results.js';
import type { HealthResult } from '../model/health.js';
import type { ClusterPort, RendererPort } from './ports.js';

export interface DriftEnvironment {
  name: string;
  drifted: boolean;
  changeSet?: ChangeSet;
  /** Why the environment did not render, when it did not. */
  findings?: Finding[];
  healed?: { apply: ApplyOutcome; health?: HealthResult };
  error?: Problem;
}

export interface DriftRequest {
  environments: EnvironmentConfig[];
  dryRun: boolean;
  holder: string;
  timeoutMs?: number;
  /** Heal even where the config does not say `heal: true` (CLI --heal). */
  heal?: boolean;
  /** Cancels healing (SIGTERM/SIGINT): a held deploy lock is released at once. */
  signal?: AbortSignal;
}

export async function runDrift(
  request: DriftRequest,
  ports: { renderer: RendererPort; cluster: ClusterPort; log: Log },
): Promise<DriftEnvironment[]> {
  return mapLimit(request.environments, 4, async (env): Promise<DriftEnvironment> => {
    try {
      const render = await ports.renderer.render(env, undefined);
      const renderErrors = render.findings.filter((f) => f.severity === 'error');
      if (renderErrors.length > 0) {
        const first = renderErrors[0];
        return {
          name: env.name,
          drifted: false,
          findings: renderErrors,
          error: { message: `the environment did not render (${formatLocation(first) || env.path}: ${first.message})`, hint: `Run \`slipway validate --env ${env.name}\` to see every finding.` },
        };
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
          signal: request.signal,
        });
        return { name: env.name, drifted, changeSet, healed };
      } finally {
        session.close();
      }
    } catch (error) {
      return { name: env.name, drifted: false, error: problemOf(error) };
    }
  });
}
