import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { githubPullRequestApi } from '../../src/promote/github-pull-requests.js';
import { promote } from '../support/host-runner.js';
import { parseImageRequests } from '../../src/promote/select-images.js';
import type { PullRequestApi } from '../../src/promote/pull-request.js';
import { useGitHubFake } from '../github/fixture.js';
import type { TestRepo } from '../support/git-repo.js';
import { fixtureRepo, shopConfig } from './support.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const IDENTITY = { name: 'Promoter', email: 'promoter@example.com' };

/** An in-memory PullRequestApi that records what it does: find, then create or update, then add missing labels. */
function fakeApi() {
  const pulls: { number: number; url: string; head: string; base: string; title: string; body: string; labels: string[] }[] = [];
  const calls: string[] = [];
  const api: PullRequestApi = {
    async ensure({ labels, ...request }) {
      calls.push(`find ${request.head}`);
      let pull = pulls.find((p) => p.head === request.head);
      let action: 'created' | 'updated';
      if (pull) {
        calls.push(`update #${pull.number}`);
        Object.assign(pull, { title: request.title, body: request.body });
        action = 'updated';
      } else {
        calls.push(`create ${request.head} -> ${request.base}`);
        pull = { number: pulls.length + 1, url: `https://github.example/acme/shop/pull/${pulls.length + 1}`, labels: [], ...request };
        pulls.push(pull);
        action = 'created';
      }
      const missing = labels.filter((l) => !pull.labels.includes(l));
      if (missing.length > 0) {
        calls.push(`labels #${pull.number} ${missing.join(',')}`);
        pull.labels.push(...missing);
      }
      return { number: pull.number, url: pull.url, action };
    },
  };
  return { api, pulls, calls };
}

describe('pull-request mode', () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = fixtureRepo('shop');
  });
  afterEach(() => repo.cleanup());
  const repository = { serverUrl: 'https://github.example', owner: 'acme', repo: 'shop' };

  it('opens one pull request per target from a promotion branch, then updates it in place on the next promotion', async () => {
    const { api, pulls, calls } = fakeApi();
    // staging -> prod promotes what staging runs: first bring staging to dev's images.
    await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'commit', dryRun: false, author: IDENTITY });
    const base = repo.head();
    const first = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'prod', mode: 'pull-request', dryRun: false, author: IDENTITY, pullRequests: api, repository });

    expect(first.pullRequest).toMatchObject({ number: 1, action: 'created', branch: 'slipway/promote-prod' });
    expect(calls).toEqual(['find slipway/promote-prod', 'create slipway/promote-prod -> main', 'labels #1 promotion,prod']);
    expect(pulls[0].title).toBe(`Promote staging -> prod: shop-web 1.5.0, shop-migrate sha256:aaaaaaaaaaaa`);
    expect(pulls[0].body).toContain('| `ghcr.io/acme/shop-web` | `1.4.0` | `1.5.0` |');
    expect(pulls[0].body).toContain(`(source commit [\`${base.slice(0, 7)}\`](https://github.example/acme/shop/commit/${base}))`);
    expect(pulls[0].labels).toEqual(['promotion', 'prod']);
    // The branch holds one commit on the base tip; the checkout itself is untouched.
    expect(git(repo.origin, 'rev-parse', 'slipway/promote-prod^')).toBe(base);
    expect(git(repo.origin, 'rev-parse', 'slipway/promote-prod')).toBe(first.commit);
    expect(repo.head()).toBe(base);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(git(repo.origin, 'show', 'slipway/promote-prod:envs/prod/kustomization.yaml')).toContain('  newTag: 1.5.0');

    // dev moves on, staging follows, and prod's pull request is updated rather than duplicated.
    repo.write({ 'envs/dev/kustomization.yaml': readFileSync(join(repo.dir, 'envs/dev/kustomization.yaml'), 'utf8').replace('newTag: "1.5.0"', 'newTag: "1.6.0"') });
    repo.commit('dev: web 1.6.0');
    await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'commit', dryRun: false, author: IDENTITY });
    const second = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'prod', mode: 'pull-request', dryRun: false, author: IDENTITY, pullRequests: api, repository });
    expect(second.pullRequest).toMatchObject({ number: 1, action: 'updated' });
    expect(pulls).toHaveLength(1);
    expect(pulls[0].title).toContain('shop-web 1.6.0');
    expect(git(repo.origin, 'rev-parse', 'slipway/promote-prod^')).toBe(repo.head());
  });

  describe('against the loopback GitHub API fake', () => {
    const { fake, client } = useGitHubFake();

    it('creates the pull request once with labels and updates it on the next promotion', async () => {
      const api = githubPullRequestApi(client(), fake().owner, fake().repo);
      await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'commit', dryRun: false, author: IDENTITY });
      const first = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'prod', mode: 'pull-request', dryRun: false, author: IDENTITY, pullRequests: api });
      expect(first.pullRequest?.action).toBe('created');
      expect(fake().pulls).toHaveLength(1);
      expect(fake().pulls[0]).toMatchObject({ state: 'open', title: 'Promote staging -> prod: shop-web 1.5.0, shop-migrate sha256:aaaaaaaaaaaa' });
      expect(fake().pulls[0].labels.map((l) => l.name)).toEqual(['promotion', 'prod']);

      const again = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'prod', images: parseImageRequests(['ghcr.io/acme/shop-web']), mode: 'pull-request', dryRun: false, author: IDENTITY, pullRequests: api });
      expect(again.pullRequest).toMatchObject({ action: 'updated', number: first.pullRequest!.number });
      expect(fake().pulls).toHaveLength(1);
      expect(fake().pulls[0].title).toBe('Promote staging -> prod: shop-web 1.5.0');
    });
  });
});
