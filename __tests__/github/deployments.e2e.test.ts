import { finishDeployment, startDeployment } from '../../src/github/deployments.js';
import { useGitHubFake } from './fixture.js';

const SHA = 'a'.repeat(40);
const RUN = 'https://github.com/acme/gitops/actions/runs/123';

describe('deployments', () => {
  const { fake, client } = useGitHubFake();

  it('creates a deployment that GitHub will not merge or gate, and moves it to success', async () => {
    const gh = client();
    const handle = await startDeployment(gh, { owner: 'acme', repo: 'gitops', ref: SHA, environment: 'staging', logUrl: RUN });
    await finishDeployment(gh, handle, { state: 'success', logUrl: RUN, environmentUrl: 'https://staging.example.com', description: 'healthy' });

    const [create] = fake().requestsTo('POST', /\/deployments$/);
    expect(create.body).toMatchObject({
      ref: SHA,
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      payload: { slipway: { environment: 'staging' } },
    });
    const [deployment] = fake().deployments;
    expect(deployment).toMatchObject({ id: handle.id, sha: SHA, environment: 'staging' });
    expect(deployment.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(deployment.statuses[1]).toMatchObject({ log_url: RUN, environment_url: 'https://staging.example.com', description: 'healthy' });
    expect(gh.apiCalls.count).toBe(3);
  });

  it('records a failure', async () => {
    const gh = client();
    const handle = await startDeployment(gh, { owner: 'acme', repo: 'gitops', ref: 'main', environment: 'prod' });
    await finishDeployment(gh, handle, { state: 'failure', description: `Deployment/web timed out ${'x'.repeat(300)}` });
    const statuses = fake().deployments[0].statuses;
    expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(statuses[1].description.length).toBeLessThanOrEqual(140);
  });

  it('reuses the deployment of the same attempt instead of creating a second one', async () => {
    const gh = client();
    const request = { owner: 'acme', repo: 'gitops', ref: SHA, environment: 'dev', attemptKey: 'run-123-1' };
    const first = await startDeployment(gh, request);
    const second = await startDeployment(gh, request);
    const other = await startDeployment(gh, { ...request, attemptKey: 'run-123-2' });
    expect(second).toMatchObject({ id: first.id, reused: true });
    expect(other.id).not.toBe(first.id);
    expect(fake().deployments).toHaveLength(2);
  });

  it('marks the previous successful deployment of the environment inactive', async () => {
    const gh = client();
    const one = await startDeployment(gh, { owner: 'acme', repo: 'gitops', ref: SHA, environment: 'dev' });
    await finishDeployment(gh, one, { state: 'success' });
    const two = await startDeployment(gh, { owner: 'acme', repo: 'gitops', ref: SHA, environment: 'dev' });
    await finishDeployment(gh, two, { state: 'success' });
    expect(fake().deployments[0].statuses.at(-1)?.state).toBe('inactive');
    expect(fake().deployments[1].statuses.at(-1)?.state).toBe('success');
  });
});
