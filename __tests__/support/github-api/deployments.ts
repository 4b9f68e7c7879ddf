/** Deployments and deployment statuses (create, list, get), plus the repository itself. */

import type { FakeDeployment, FakeDeploymentStatus, FakeRepoState } from './state.js';
import { bodyObject, notFound, paginate, validationFailed, type Route } from './http.js';

const STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

export function deploymentRoutes(state: FakeRepoState, repoPath: string): Route[] {
  const deployments = new RegExp(`^${repoPath}/deployments$`);
  const oneDeployment = new RegExp(`^${repoPath}/deployments/(\\d+)$`);
  const statuses = new RegExp(`^${repoPath}/deployments/(\\d+)/statuses$`);
  const byId = (id: string) => state.deployments.find((d) => d.id === Number(id));
  // GitHub's responses do not carry the status history; the fake keeps it on the side.
  const withoutHistory = ({ statuses: _statuses, ...deployment }: FakeDeployment) => deployment;

  return [
    { method: 'GET', pattern: new RegExp(`^${repoPath}$`), handle: () => ({ status: 200, body: state.repository() }) },
    {
      method: 'GET',
      pattern: deployments,
      handle: (request) => {
        const q = request.query;
        const matches = state.deployments
          .filter((d) => !q.get('environment') || d.environment === q.get('environment'))
          .filter((d) => !q.get('ref') || d.ref === q.get('ref'))
          .filter((d) => !q.get('sha') || d.sha === q.get('sha'))
          .filter((d) => !q.get('task') || d.task === q.get('task'))
          .sort((a, b) => b.id - a.id)
          .map(withoutHistory);
        return paginate(request, matches);
      },
    },
    {
      method: 'POST',
      pattern: deployments,
      handle: (request) => {
        const input = bodyObject(request);
        if (typeof input.ref !== 'string' || !input.ref) return validationFailed('Deployment', 'ref', 'missing_field');
        // With auto_merge on (GitHub's default), GitHub would try to merge the default branch into ref first.
        if (input.auto_merge !== false) {
          return { status: 409, body: { message: 'Conflict merging main into ' + input.ref, documentation_url: 'https://docs.github.com/rest' } };
        }
        const environment = typeof input.environment === 'string' ? input.environment : 'production';
        const id = state.id();
        const at = state.now();
        const url = `${state.repoApiUrl}/deployments/${id}`;
        const deployment: FakeDeployment = {
          id,
          node_id: state.nodeId('Deployment', id),
          url,
          sha: state.resolveSha(input.ref),
          ref: input.ref,
          task: typeof input.task === 'string' ? input.task : 'deploy',
          payload: input.payload ?? {},
          environment,
          original_environment: environment,
          description: typeof input.description === 'string' ? input.description : null,
          transient_environment: input.transient_environment === true,
          production_environment: input.production_environment === true || environment === 'production',
          creator: state.botUser,
          statuses_url: `${url}/statuses`,
          repository_url: state.repoApiUrl,
          created_at: at,
          updated_at: at,
          statuses: [],
        };
        state.deployments.push(deployment);
        return { status: 201, body: withoutHistory(deployment) };
      },
    },
    {
      method: 'GET',
      pattern: oneDeployment,
      handle: (_request, [id]) => {
        const deployment = byId(id);
        return deployment ? { status: 200, body: withoutHistory(deployment) } : notFound();
      },
    },
    {
      method: 'GET',
      pattern: statuses,
      handle: (request, [id]) => {
        const deployment = byId(id);
        return deployment ? paginate(request, [...deployment.statuses].reverse()) : notFound();
      },
    },
    {
      method: 'POST',
      pattern: statuses,
      handle: (request, [id]) => {
        const deployment = byId(id);
        if (!deployment) return notFound();
        const input = bodyObject(request);
        if (typeof input.state !== 'string' || !STATES.includes(input.state)) {
          return validationFailed('DeploymentStatus', 'state', 'invalid');
        }
        const statusId = state.id();
        const at = state.now();
        const logUrl = typeof input.log_url === 'string' ? input.log_url : typeof input.target_url === 'string' ? input.target_url : '';
        const status: FakeDeploymentStatus = {
          id: statusId,
          node_id: state.nodeId('DeploymentStatus', statusId),
          url: `${deployment.url}/statuses/${statusId}`,
          state: input.state,
          description: typeof input.description === 'string' ? input.description : '',
          environment: typeof input.environment === 'string' ? input.environment : deployment.environment,
          target_url: logUrl,
          log_url: logUrl,
          environment_url: typeof input.environment_url === 'string' ? input.environment_url : '',
          creator: state.botUser,
          deployment_url: deployment.url,
          repository_url: state.repoApiUrl,
          created_at: at,
          updated_at: at,
        };
        // auto_inactive (default true): a success marks earlier successful deployments of the environment inactive.
        if (input.state === 'success' && input.auto_inactive !== false) {
          for (const other of state.deployments) {
            const last = other.statuses.at(-1);
            if (other !== deployment && other.environment === deployment.environment && last?.state === 'success') {
              other.statuses.push({ ...last, id: state.id(), state: 'inactive', created_at: at, updated_at: at });
            }
          }
        }
        deployment.statuses.push(status);
        deployment.updated_at = at;
        return { status: 201, body: status };
      },
    },
  ];
}
