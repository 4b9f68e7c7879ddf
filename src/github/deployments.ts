/**
 * GitHub Deployments: one per environment deploy, its status moved `in_progress` -> `success` / `failure`,
 * so the repository's Environments page shows what runs where and links back to the run.
 */

import type { GitHubClient } from './client.js';
import { parseJsonOrUndefined } from '../model/json.js';

export type DeploymentOutcome = 'success' | 'failure' | 'error' | 'inactive';

export interface StartDeploymentRequest {
  owner: string;
  repo: string;
  /** Branch, tag or SHA being deployed. */
  ref: string;
  environment: string;
  description?: string;
  productionEnvironment?: boolean;
  /** Link to the run; shown as "View logs". */
  logUrl?: string;
  environmentUrl?: string;
  /**
   * Identifies this attempt (e.g. run id and attempt): a second call with the same key finds the
   * deployment the first call made instead of creating another.
   */
  attemptKey?: string;
}

export interface DeploymentHandle {
  id: number;
  owner: string;
  repo: string;
  environment: string;
  /** True when an earlier call with the same attempt key had already created it. */
  reused: boolean;
}

export interface FinishDeploymentRequest {
  state: DeploymentOutcome;
  description?: string;
  logUrl?: string;
  environmentUrl?: string;
}

const TASK = 'deploy';
/** GitHub refuses longer deployment and status descriptions. */
const MAX_DESCRIPTION = 140;

/** Creates (or, with the same attempt key, finds) the deployment and marks it `in_progress`. */
export async function startDeployment(gh: GitHubClient, request: StartDeploymentRequest): Promise<DeploymentHandle> {
  const { owner, repo, environment } = request;
  const existing = request.attemptKey ? await findDeployment(gh, request) : undefined;
  let id = existing;
  if (id === undefined) {
    const { data } = await gh.rest.repos.createDeployment({
      owner,
      repo,
      ref: request.ref,
      environment,
      task: TASK,
      // Never let GitHub merge the default branch into the ref, nor wait for status checks:
      // Slipway deploys exactly the commit it was given.
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: request.productionEnvironment,
      description: shorten(request.description ?? `Slipway deploy of ${environment}`),
      payload: { slipway: { environment, attemptKey: request.attemptKey ?? null } },
    });
    // 202 means GitHub merged the default branch first; auto_merge is off, so a deployment id always comes back.
    if (!('id' in data)) throw new Error(`GitHub did not create a deployment for ${environment}: ${data.message ?? 'no id'}`);
    id = data.id;
  }
  const handle: DeploymentHandle = { id, owner, repo, environment, reused: existing !== undefined };
  await setDeploymentStatus(gh, handle, 'in_progress', {
    description: `Deploying ${environment}`,
    logUrl: request.logUrl,
    environmentUrl: request.environmentUrl,
  });
  return handle;
}

export async function finishDeployment(gh: GitHubClient, handle: DeploymentHandle, result: FinishDeploymentRequest): Promise<void> {
  await setDeploymentStatus(gh, handle, result.state, result);
}

async function setDeploymentStatus(
  gh: GitHubClient,
  handle: DeploymentHandle,
  state: 'in_progress' | DeploymentOutcome,
  details: { description?: string; logUrl?: string; environmentUrl?: string },
): Promise<void> {
  await gh.rest.repos.createDeploymentStatus({
    owner: handle.owner,
    repo: handle.repo,
    deployment_id: handle.id,
    state,
    description: details.description === undefined ? undefined : shorten(gh.secrets.mask(details.description)),
    log_url: details.logUrl,
    environment_url: details.environmentUrl,
    // Only the newest successful deployment of an environment is active.
    auto_inactive: true,
  });
}

async function findDeployment(gh: GitHubClient, request: StartDeploymentRequest): Promise<number | undefined> {
  const { data } = await gh.rest.repos.listDeployments({
    owner: request.owner,
    repo: request.repo,
    environment: request.environment,
    ref: request.ref,
    task: TASK,
    per_page: 20,
  });
  const match = data.find((d) => {
    const payload = typeof d.payload === 'string' ? parseJsonOrUndefined(d.payload) : d.payload;
    const slipway = (payload as { slipway?: { attemptKey?: unknown } } | undefined)?.slipway;
    return slipway?.attemptKey === request.attemptKey;
  });
  return match?.id;
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_DESCRIPTION ? line : `${line.slice(0, MAX_DESCRIPTION - 1)}…`;
}
