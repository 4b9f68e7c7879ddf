import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promote } from '../support/host-runner.js';
import { parseImageRequests } from '../../src/promote/select-images.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { environment, fixtureRepo, pipeline, shopConfig } from './support.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const IDENTITY = { name: 'Promoter', email: 'promoter@example.com' };

describe('commit mode', () => {
  let repo: TestRepo;
  afterEach(() => repo.cleanup());

  it('commits with a summarising subject, a body listing each image and trailers, then pushes', async () => {
    repo = fixtureRepo('shop');
    const source = repo.head();
    const result = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'commit', dryRun: false, author: IDENTITY });
    expect(result.commit).toBe(repo.head());
    expect(git(repo.origin, 'rev-parse', 'main')).toBe(result.commit);
    expect(repo.git('log', '-1', '--format=%an <%ae>%n%B')).toBe(
      [
        'Promoter <promoter@example.com>',
        'promote dev -> staging: 4 images (shop-report, shop-migrate, otel-agent, shop-web)',
        '',
        '- ghcr.io/acme/shop-report: 2.0.0 -> 2.1.0',
        `- ghcr.io/acme/shop-migrate: sha256:${'b'.repeat(64)} -> sha256:${'a'.repeat(64)}`,
        '- ghcr.io/acme/otel-agent: 0.9.0 -> 0.10.0',
        '- ghcr.io/acme/shop-web: 1.4.2 -> 1.5.0',
        '',
        `Slipway-Source-Commit: ${source}`,
        'Slipway-From: dev',
        'Slipway-To: staging',
      ].join('\n'),
    );
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('one image: the subject names it old -> new; git without an identity commits as github-actions[bot]', async () => {
    repo = fixtureRepo('shop');
    const saved = { global: process.env.GIT_CONFIG_GLOBAL, system: process.env.GIT_CONFIG_NOSYSTEM };
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    try {
      await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', images: parseImageRequests(['ghcr.io/acme/shop-web']), mode: 'commit', dryRun: false });
    } finally {
      for (const [key, value] of [['GIT_CONFIG_GLOBAL', saved.global], ['GIT_CONFIG_NOSYSTEM', saved.system]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(repo.git('log', '-1', '--format=%s')).toBe('promote dev -> staging: shop-web 1.4.2 -> 1.5.0');
    expect(repo.git('log', '-1', '--format=%an <%ae>')).toBe('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>');
  });

  it('a push refused by the remote (protected branch) is an error with git\'s message; local branch and remote are untouched', async () => {
    repo = fixtureRepo('shop');
    const hook = join(repo.origin, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "GH006: Protected branch update failed for refs/heads/main." >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const before = repo.head();
    const error = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'commit', dryRun: false, author: IDENTITY }).catch((e: Error) => e);
    expect(String(error)).toMatch(/not pushed[\s\S]*GH006: Protected branch update failed/);
    expect(repo.head()).toBe(before);
    expect(git(repo.origin, 'rev-parse', 'main')).toBe(before);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses to commit over uncommitted changes', async () => {
    repo = fixtureRepo('shop');
    repo.write({ 'envs/staging/version.yml': '# local edit\n' + readFileSync(join(repo.dir, 'envs/staging/version.yml'), 'utf8') });
    await expect(promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'commit', dryRun: false })).rejects.toThrow(/uncommitted changes \(envs\/staging\/version.yml\)/);
  });
});

describe('racing pushes', () => {
  const onePlainEnv = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/${name}:1.0.0 # pinned\n`;
  let repo: TestRepo;
  let clones: string;
  beforeEach(() => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i += 1) files[`apps/svc${i}/deployment.yaml`] = onePlainEnv(`svc${i}`);
    files['apps/shared/deployment.yaml'] = onePlainEnv('shared');
    repo = createTestRepo({ files });
    clones = mkdtempSync(join(tmpdir(), 'slipway-race-'));
  });
  afterEach(() => {
    repo.cleanup();
    rmSync(clones, { recursive: true, force: true });
  });
  const config = (root: string) =>
    pipeline(root, [...Array.from({ length: 10 }, (_, i) => environment({ name: `svc${i}`, path: `apps/svc${i}` })), environment({ name: 'shared', path: 'apps/shared' })]);
  const clone = (name: string) => {
    const dir = join(clones, name);
    git(clones, 'clone', '--quiet', repo.origin, dir);
    return dir;
  };

  it('10 promotions from 10 clones into one remote all land; none is lost', async () => {
    // Deterministic whatever the machine's speed. The remote takes one push at a time (GitHub's
    // ref updates are atomic too), so a push is rejected only when another promotion landed since
    // this clone fetched: each of the 9 others lands once, so 10 attempts always suffice. The
    // first pushes race for real; the back-off then lets the rejected retry one at a time
    // instead of waiting on the clock, so they do not keep colliding.
    const dirs = Array.from({ length: 10 }, (_, i) => clone(`c${i}`));
    const lock = join(clones, 'receive.lock');
    for (const dir of dirs) git(dir, 'config', 'remote.origin.receivepack', `flock ${lock} git-receive-pack`);
    const turns = oneRetryAtATime();
    const results = await Promise.all(
      dirs.map((dir, i) =>
        promote({
          root: dir, config: config(dir), to: `svc${i}`, images: parseImageRequests([`ghcr.io/acme/svc${i}=2.0.${i}`]), mode: 'commit', dryRun: false, author: IDENTITY,
          maxPushAttempts: 10, pushSleep: () => turns.backOff(i),
        }).finally(() => turns.done(i)),
      ),
    );
    expect(results.every((r) => r.commit)).toBe(true);
    // All ten started from the same tip and only one push can land on it: the others were rejected and retried.
    expect(turns.backOffs()).toBeGreaterThanOrEqual(9);
    const check = clone('check');
    for (let i = 0; i < 10; i += 1) {
      expect(readFileSync(join(check, `apps/svc${i}/deployment.yaml`), 'utf8')).toBe(onePlainEnv(`svc${i}`).replace(':1.0.0', `:2.0.${i}`));
    }
    expect(git(check, 'rev-list', '--count', 'HEAD')).toBe('11');
  }, 300_000);

  it('the target line changed differently meanwhile: a conflict, nothing pushed, branch back where it was', async () => {
    const mine = clone('mine');
    const theirs = clone('theirs');
    const file = 'apps/shared/deployment.yaml';
    writeFileSync(join(theirs, file), onePlainEnv('shared').replace(':1.0.0', ':1.5.0-hotfix'));
    git(theirs, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qam', 'hotfix');
    git(theirs, 'push', '-q', 'origin', 'HEAD:main');
    const start = git(mine, 'rev-parse', 'HEAD');
    await expect(
      promote({ root: mine, config: config(mine), to: 'shared', images: parseImageRequests(['ghcr.io/acme/shared=2.0.0']), mode: 'commit', dryRun: false, author: IDENTITY }),
    ).rejects.toThrow(/Conflict: while promoting, someone else changed ghcr.io\/acme\/shared in shared to 1.5.0-hotfix \(apps\/shared\/deployment.yaml:10\); the promotion expected 1.0.0/);
    expect(git(mine, 'rev-parse', 'HEAD')).toBe(start);
    expect(git(mine, 'status', '--porcelain')).toBe('');
    expect(git(repo.origin, 'rev-parse', 'main')).toBe(git(theirs, 'rev-parse', 'HEAD'));
  });

  it('the remote ref moves while our push is applied (cannot lock ref): fetched, rebuilt on the new tip, pushed', async () => {
    const mine = clone('mine');
    const theirs = clone('theirs');
    writeFileSync(join(theirs, 'README.md'), 'unrelated\n');
    git(theirs, 'add', 'README.md');
    git(theirs, '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-qm', 'unrelated');
    const other = git(theirs, 'rev-parse', 'HEAD');
    git(theirs, 'push', '-q', 'origin', 'HEAD:refs/heads/side');
    // Once only: main moves after git checked it and before git updates it, as a concurrent push would.
    const hook = join(repo.origin, 'hooks', 'pre-receive');
    writeFileSync(hook, `#!/bin/sh\nif [ ! -e "$GIT_DIR/raced" ]; then touch "$GIT_DIR/raced"; env -u GIT_QUARANTINE_PATH git update-ref refs/heads/main ${other}; fi\n`);
    chmodSync(hook, 0o755);
    const result = await promote({ root: mine, config: config(mine), to: 'shared', images: parseImageRequests(['ghcr.io/acme/shared=2.0.0']), mode: 'commit', dryRun: false, author: IDENTITY, maxPushAttempts: 3 });
    expect(result.commit).toBe(git(repo.origin, 'rev-parse', 'main'));
    expect(git(repo.origin, 'rev-parse', `${result.commit}^`)).toBe(other);
    expect(git(mine, 'rev-parse', 'HEAD')).toBe(result.commit);
  });

  it('someone already pushed the same promotion: no second commit', async () => {
    const mine = clone('mine');
    const theirs = clone('theirs');
    // A different author, so the two promotion commits differ and the second push is rejected.
    await promote({ root: theirs, config: config(theirs), to: 'shared', images: parseImageRequests(['ghcr.io/acme/shared=2.0.0']), mode: 'commit', dryRun: false, author: { name: 'Other', email: 'other@example.com' } });
    const result = await promote({ root: mine, config: config(mine), to: 'shared', images: parseImageRequests(['ghcr.io/acme/shared=2.0.0']), mode: 'commit', dryRun: false, author: IDENTITY });
    expect(result.commit).toBeUndefined();
    expect(result.changes).toEqual([]);
    expect(git(mine, 'rev-parse', 'HEAD')).toBe(git(repo.origin, 'rev-parse', 'main'));
    expect(git(mine, 'rev-list', '--count', 'HEAD')).toBe('2');
  });
});

/**
 * A back-off for racing promotions: a rejected promotion waits for its turn, and holds it until it
 * backs off again or finishes, so at most one retry is in flight at a time.
 */
function oneRetryAtATime() {
  const waiting: { who: number; go: () => void }[] = [];
  let holder: number | undefined;
  let count = 0;
  const release = (who: number) => {
    if (holder !== who) return;
    const next = waiting.shift();
    holder = next?.who;
    next?.go();
  };
  return {
    async backOff(who: number): Promise<void> {
      count += 1;
      release(who);
      if (holder === undefined) holder = who;
      else await new Promise<void>((go) => waiting.push({ who, go }));
    },
    done: release,
    backOffs: () => count,
  };
}
