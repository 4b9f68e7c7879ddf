// The fake must answer like GitHub where our code and Octokit look: Link headers, status codes, limits.
import { GitHubApiFake } from '../support/github-api-server.js';

describe('GitHubApiFake', () => {
  let fake: GitHubApiFake;
  beforeEach(async () => {
    fake = await new GitHubApiFake().start();
  });
  afterEach(() => fake.stop());

  it('pages lists with Link headers as GitHub does', async () => {
    for (let i = 0; i < 5; i++) fake.seedComment(1, `c${i}`);
    const res = await fetch(`${fake.url}/repos/acme/gitops/issues/1/comments?per_page=2&page=2`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Array<{ body: string }>).map((c) => c.body)).toEqual(['c2', 'c3']);
    const link = res.headers.get('link') ?? '';
    expect(link).toContain(`<${fake.url}/repos/acme/gitops/issues/1/comments?per_page=2&page=1>; rel="prev"`);
    expect(link).toContain('page=3>; rel="next"');
    expect(link).toContain('page=3>; rel="last"');
    expect(link).toContain('page=1>; rel="first"');
  });

  it('refuses a comment over 65,536 characters with a 422', async () => {
    const res = await fetch(`${fake.url}/repos/acme/gitops/issues/1/comments`, {
      method: 'POST',
      body: JSON.stringify({ body: 'x'.repeat(65537) }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: Array<{ message: string }> }).errors[0].message).toMatch(/too long/);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/repos/acme/gitops/issues/1/comments', status: 422 });
  });

  it('fails the nth request as asked and then recovers', async () => {
    fake.injectFault({ nth: 2, kind: 'secondary-rate-limit', retryAfter: 7 });
    expect((await fetch(`${fake.url}/repos/acme/gitops`)).status).toBe(200);
    const limited = await fetch(`${fake.url}/repos/acme/gitops`);
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await fetch(`${fake.url}/repos/acme/gitops`)).status).toBe(200);
  });

  it('answers 404 for unknown routes and other repositories', async () => {
    expect((await fetch(`${fake.url}/repos/other/repo/issues/1/comments`)).status).toBe(404);
  });
});
