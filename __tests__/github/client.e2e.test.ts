import { createGitHubClient } from '../../src/github/client.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { readRunContext } from '../../src/github/context.js';
import { useGitHubFake } from './fixture.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const params = { owner: 'acme', repo: 'gitops', issue_number: 3 };

describe('createGitHubClient', () => {
  const { fake, client } = useGitHubFake();

  it('retries a transient 502 and counts every attempt', async () => {
    fake().injectFault({ method: 'POST', path: '/issues/3/comments', kind: 502 });
    const gh = client();
    const { status } = await gh.rest.issues.createComment({ ...params, body: 'hello' });
    expect(status).toBe(201);
    expect(fake().requestsTo('POST', '/issues/3/comments').map((r) => r.status)).toEqual([502, 201]);
    expect(gh.apiCalls.calls.map((c) => c.status)).toEqual([502, 201]);
    expect(fake().commentsOn(3)).toHaveLength(1);
  });

  it('retries a dropped connection', async () => {
    fake().injectFault({ nth: 1, kind: 500, hangUp: true });
    const gh = client();
    const { data } = await gh.rest.repos.get({ owner: 'acme', repo: 'gitops' });
    expect(data.default_branch).toBe('main');
    expect(fake().requests).toHaveLength(2);
  });

  it('gives up after the configured number of retries', async () => {
    fake().injectFault({ path: '/repos/acme/gitops', kind: 503, times: 10 });
    const gh = client({ retries: 2 });
    await expect(gh.rest.repos.get({ owner: 'acme', repo: 'gitops' })).rejects.toMatchObject({ status: 503 });
    expect(fake().requests).toHaveLength(3);
  });

  it('never retries a validation error (422)', async () => {
    const gh = client();
    await expect(gh.rest.issues.createComment({ ...params, body: 'x'.repeat(70000) })).rejects.toMatchObject({ status: 422 });
    expect(fake().requests).toHaveLength(1);
    expect(fake().commentsOn(3)).toHaveLength(0);
  });

  it('never retries a 404', async () => {
    const gh = client();
    await expect(gh.rest.pulls.get({ owner: 'acme', repo: 'gitops', pull_number: 99 })).rejects.toMatchObject({ status: 404 });
    expect(fake().requests).toHaveLength(1);
  });

  it('waits out a secondary rate limit, a bounded number of times', async () => {
    fake().injectFault({ method: 'POST', kind: 'secondary-rate-limit', retryAfter: 1 });
    const warnings: string[] = [];
    const gh = client({ warn: (m) => warnings.push(m) });
    await gh.rest.issues.createComment({ ...params, body: 'after the limit' });
    expect(fake().requestsTo('POST', '/comments').map((r) => r.status)).toEqual([403, 201]);
    expect(warnings.join('\n')).toMatch(/secondary rate limit/);

    fake().injectFault({ method: 'POST', kind: 'secondary-rate-limit', retryAfter: 1, times: 10 });
    await expect(client({ rateLimitRetries: 2 }).rest.issues.createComment({ ...params, body: 'never' })).rejects.toMatchObject({
      status: 403,
    });
    expect(fake().requestsTo('POST', '/comments').filter((r) => r.status === 403)).toHaveLength(1 + 3);
  });

  it('waits for a primary rate limit reset when it is near', async () => {
    fake().injectFault({ path: '/repos/acme/gitops', kind: 'rate-limit', retryAfter: 1 });
    const gh = client({ backoffUnitMs: 1 });
    const { data } = await gh.rest.repos.get({ owner: 'acme', repo: 'gitops' });
    expect(data.full_name).toBe('acme/gitops');
  });

  it('registers the token as a secret and sends it', async () => {
    const gh = createGitHubClient({ token: 'ghs_supersecret42', secrets, baseUrl: fake().url });
    await gh.rest.repos.get({ owner: 'acme', repo: 'gitops' });
    expect(fake().requests[0].authorization).toBe('token ghs_supersecret42');
    expect(secrets.mask('token ghs_supersecret42')).toBe('token ***');
  });

  it('takes its base URL from GITHUB_API_URL, read by the entry into the run context', async () => {
    const gh = createGitHubClient({ token: 'ghs_another_token', secrets, baseUrl: readRunContext({ GITHUB_API_URL: fake().url }).apiUrl });
    await gh.rest.repos.get({ owner: 'acme', repo: 'gitops' });
    expect(fake().requests).toHaveLength(1);
  });
});
