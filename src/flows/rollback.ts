/**
 * rollback: put an environment back on its last healthy deploy. The commit comes from the
 * environment's ApplySet parent (recorded by each healthy deploy); its render is applied under
 * the lock and waited for (src/kube/rollback.ts). Used after a failed health wait when the
 * environment says `onFailure: rollback`, and by `slipway rollback --env NAME`. A rollback
 * deploys an older commit on purpose, so the "newer commit already deployed" check does not
 * apply, and it records nothing: the recorded commit already names what runs afterwards.
 */
import type { EnvironmentConfig } from '../config/types.js';
import { parentLocation } from '../kube/applyset.js';
import { DEPLOYED_COMMIT_ANNOTATION } from '../kube/deployed-commit.js';
import type { ChangeSet } from '../model/changeset.js';
import { errorMessage } from '../model/errors.js';
import type { Finding } from '../model/findings.js';
import type { ObjectRef } from '../model/objects.js';
import { describeFailure } from './describe-failure.js';
import type { Log } from './log.js';
import type { ApplyOutcome } from '../kube/results.js';
import type { HealthResult } from '../model/health.js';
import type { ClusterPort, ClusterSession, CommitHistoryPort, RendererPort } from './ports.js';

/**
 * `rolled-back`: applied and healthy; `failed`: it was tried and did not get there (see
 * `error`); `nothing`: no healthy deploy is recorded; `superseded`: a newer healthy deploy was
 * recorded meanwhile, so nothing was applied.
 */
export type RollbackStatus = 'rolled-back' | 'failed' | 'nothing' | 'superseded';

export interface RollbackResult {
  status: RollbackStatus;
  /** The commit rolled back to (the recorded one). */
  commit?: string;
  apply?: ApplyOutcome;
  health?: HealthResult;
  changeSet?: ChangeSet;
  /** Deleted: created since the recorded deploy and not in its render. */
  pruned: ObjectRef[];
  /** Not in the recorded render but there before the failed deploy: left in place. */
  kept: ObjectRef[];
  /** One sentence for logs, status descriptions and reports. */
  summary: string;
  /** Render errors of the recorded commit. */
  findings?: Finding[];
  durationMs: number;
}

export interface RollbackPorts {
  renderer: RendererPort;
  /** Fetches the recorded commit when this checkout lacks it (shallow clones); absent: rendered as it is. */
  history?: CommitHistoryPort;
  log: Log;
  now?: () => number;
}

export interface RollbackRequest {
  holder: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** A failed health wait (timeout or fail-fast) of an environment that asks for a rollback; failed applies are not rolled back. */
export function wantsRollback(env: EnvironmentConfig, apply: ApplyOutcome, health: HealthResult | undefined): boolean {
  return env.onFailure === 'rollback' && apply.failed.length === 0 && health !== undefined && !health.healthy;
}

/** The failure with what the rollback did first, so a short field (GitHub's 140 characters) still says both. */
export function describeWithRollback(error: string | undefined, rollback: RollbackResult | undefined): string | undefined {
  if (!error || !rollback) return error;
  return `failed; ${rollback.summary}. Why it failed: ${error}`;
}

export async function rollBack(env: EnvironmentConfig, session: ClusterSession, request: RollbackRequest, ports: RollbackPorts): Promise<RollbackResult> {
  const now = ports.now ?? Date.now;
  const started = now();
  const done = (result: Omit<RollbackResult, 'durationMs' | 'pruned' | 'kept'> & Partial<Pick<RollbackResult, 'pruned' | 'kept'>>): RollbackResult => {
    const finished = { pruned: [], kept: [], ...result, durationMs: now() - started };
    (finished.status === 'rolled-back' ? ports.log.info : ports.log.error)(`${env.name}: ${finished.summary}`);
    return finished;
  };
  if (!session.deployedCommit || !session.rollback) return done({ status: 'failed', summary: 'rollback failed: this cluster connection cannot roll back' });
  let commit: string | undefined;
  try {
    commit = await session.deployedCommit(env);
  } catch (error) {
    return done({ status: 'failed', summary: `rollback failed: could not read the last healthy commit: ${errorMessage(error)}` });
  }
  if (!commit) {
    const parent = parentLocation(env);
    return done({
      status: 'nothing',
      summary: `nothing to roll back to: no healthy deploy of ${env.name} is recorded (annotation ${DEPLOYED_COMMIT_ANNOTATION} on Secret/${parent.namespace}/${parent.name}); the environment is left as the failed deploy put it`,
    });
  }
  const short = commit.slice(0, 12);
  ports.log.info(`${env.name}: rolling back to ${short}, the last healthy deploy`);
  try {
    if (ports.history && !(await ports.history.has(commit))) await ports.history.fetch(commit);
  } catch (error) {
    return done({ status: 'failed', commit, summary: `rollback to ${short} failed: the commit is not in this checkout and could not be fetched (${errorMessage(error)}); check out the full history (actions/checkout with fetch-depth: 0)` });
  }
  const render = await ports.renderer.render(env, commit);
  const renderErrors = render.findings.filter((f) => f.severity === 'error');
  if (renderErrors.length > 0) {
    const first = renderErrors[0] as Finding;
    return done({ status: 'failed', commit, findings: renderErrors, summary: `rollback to ${short} failed: the environment did not render at that commit: ${first.file ? `${first.file}${first.line ? `:${first.line}` : ''}: ` : ''}${first.message}` });
  }
  let outcome;
  try {
    outcome = await session.rollback(env, { commit, objects: render.objects, timeoutMs: request.timeoutMs, holder: request.holder, signal: request.signal });
  } catch (error) {
    return done({ status: 'failed', commit, summary: `rollback to ${short} failed: ${errorMessage(error)}` });
  }
  if (outcome.state === 'superseded') {
    return done({ status: 'superseded', commit, summary: `not rolled back: a newer healthy deploy (${outcome.recorded?.slice(0, 12) ?? 'none'}) was recorded meanwhile` });
  }
  const apply = outcome.apply as ApplyOutcome;
  const counts = `${apply.applied} applied, ${outcome.pruned.length} pruned${outcome.kept.length ? `, ${outcome.kept.length} kept (existed before)` : ''}`;
  const base = { commit, apply, health: outcome.health, changeSet: outcome.changeSet, pruned: outcome.pruned, kept: outcome.kept };
  if (outcome.healthy) return done({ ...base, status: 'rolled-back', summary: `rolled back to ${short}${outcome.health ? ' and healthy' : ''} (${counts})` });
  return done({ ...base, status: 'failed', summary: `rollback to ${short} failed: ${describeFailure(apply, outcome.health)}` });
}

export interface RollbackCommandPorts extends RollbackPorts {
  cluster: ClusterPort;
}

/** `slipway rollback --env NAME`: connect, roll back, disconnect. A connection that fails throws (a setup error). */
export async function runRollback(env: EnvironmentConfig, request: Partial<RollbackRequest> & Pick<RollbackRequest, 'holder'>, ports: RollbackCommandPorts): Promise<RollbackResult> {
  const session = await ports.cluster.connect(env);
  try {
    return await ports.log.group(`Rolling back ${env.name}`, () => rollBack(env, session, { ...request, timeoutMs: request.timeoutMs ?? env.wait.timeoutMs }, ports));
  } finally {
    session.close();
  }
}
