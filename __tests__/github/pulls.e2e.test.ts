import { ensurePullRequest, findOpenPullRequest } from '../../src/github/pulls.js';
import { useGitHubFake } from './fixture.js';

const request = {
  owner: 'acme',
  repo: 'gitops',
  head: 'slipway/promote-staging',
  base: 'main',
  title: 'Promote dev to staging',
  body: 'web: 1.2.3 -> 1.2.4',
  labels: ['promotion', 'staging'],
};

describe('pull requests', () => {
  const { fake, client } = useGitHubFake();

  it('creates the pull request with labels, then finds it instead of opening another', async () => {
    const gh = client();
    const first = await ensurePullRequest(gh, request);
    const second = await ensurePullRequest(gh, request);

    expect(first.action).toBe('created');
    expect(first.pullRequest).toMatchObject({ headRef: request.head, baseRef: 'main', labels: ['promotion', 'staging'] });
    expect(second).toMatchObject({ action: 'unchanged', pullRequest: { number: first.pullRequest.number } });
    expect(fake().pulls).toHaveLength(1);
    expect(fake().requestsTo('GET', '/pulls')[0].query).toMatchObject({ head: 'acme:slipway/promote-staging', state: 'open' });
    expect(fake().requestsTo('POST', '/labels')).toHaveLength(1);
  });

  it('updates title and body of the open pull request and adds only missing labels', async () => {
    const gh = client();
    const first = await ensurePullRequest(gh, request);
    const updated = await ensurePullRequest(gh, { ...request, body: 'web: 1.2.3 -> 1.2.5', labels: ['promotion', 'urgent'] });
    expect(updated.action).toBe('updated');
    expect(updated.pullRequest.number).toBe(first.pullRequest.number);
    expect(fake().pulls[0].body).toBe('web: 1.2.3 -> 1.2.5');
    expect(fake().pulls[0].labels.map((l) => l.name)).toEqual(['promotion', 'staging', 'urgent']);
    expect(fake().requestsTo('POST', '/labels').at(-1)?.body).toEqual({ labels: ['urgent'] });
  });

  it('opens a new pull request when the earlier one was closed', async () => {
    fake().seedPull({ head: request.head, state: 'closed' });
    const result = await ensurePullRequest(client(), request);
    expect(result.action).toBe('created');
    expect(fake().pulls.map((p) => p.state)).toEqual(['closed', 'open']);
  });

  it('carries on with the pull request another run opened in the meantime', async () => {
    const gh = client();
    // The look-up finds nothing, then the create collides with a pull request that appeared meanwhile.
    const racing = fake().seedPull({ head: request.head, title: 'other run' });
    fake().state.pulls.splice(0, 1);
    const lookUp = gh.rest.pulls.list; // a first look-up that misses
    let calls = 0;
    gh.rest.pulls.list = (async (...args: Parameters<typeof lookUp>) => {
      calls += 1;
      if (calls === 1) {
        fake().state.pulls.push(racing);
        return { data: [] };
      }
      return lookUp(...args);
    }) as typeof lookUp;
    const result = await ensurePullRequest(gh, request);
    expect(result).toMatchObject({ action: 'updated', pullRequest: { number: racing.number } });
    expect(fake().pulls).toHaveLength(1);
  });

  it('finds an open pull request by head branch', async () => {
    const gh = client();
    const seeded = fake().seedPull({ head: 'feature/x', body: 'hello' });
    expect(await findOpenPullRequest(gh, 'acme', 'gitops', 'feature/x')).toMatchObject({ number: seeded.number, headRef: 'feature/x', body: 'hello', merged: false });
    expect(await findOpenPullRequest(gh, 'acme', 'gitops', 'feature/y')).toBeUndefined();
  });
});
