/** The deployments port over the GitHub API: one deployment per environment deploy. */
import type { GitHubClient } from '../github/client.js';
import type { RunContext } from '../github/context.js';
import { finishDeployment, startDeployment, type DeploymentHandle } from '../github/deployments.js';
import type { DeploymentsPort } from '../flows/ports.js';

export function deploymentsPort(gh: GitHubClient, context: RunContext): DeploymentsPort {
  const handles = new Map<number, DeploymentHandle>();
  return {
    async start(environment, ref) {
      const handle = await startDeployment(gh, {
        owner: context.owner,
        repo: context.repo,
        ref,
        environment,
        logUrl: context.runUrl,
        description: `slipway deploy of ${ref.slice(0, 7)}`,
        attemptKey: context.runId ? `${context.runId}-${context.runAttempt ?? '1'}-${environment}` : undefined,
      });
      handles.set(handle.id, handle);
      return { id: handle.id };
    },
    async finish(handle, state, description) {
      const full = handles.get(handle.id);
      if (!full) return;
      await finishDeployment(gh, full, { state, description, logUrl: context.runUrl });
    },
  };
}
