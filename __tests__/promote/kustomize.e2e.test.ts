import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Git } from '../../src/exec/git.js';
import { createRenderer } from '../../src/flows/adapters.js';
import { createPromotionPort } from '../../src/flows/promotion.js';
import { silentLog } from '../../src/flows/log.js';
import { hostRunner, promote } from '../support/host-runner.js';
import { parseImageRequests } from '../../src/promote/select-images.js';
import type { TestRepo } from '../support/git-repo.js';
import { DIGEST_A, DIGEST_C, fixtureRepo, shopConfig } from './support.js';

describe('promotion into a kustomize overlay (version.yml patch over a shared base, variants/ components)', () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = fixtureRepo('shop');
  });
  afterEach(() => repo.cleanup());
  const read = (path: string) => readFileSync(join(repo.dir, path), 'utf8');

  it('edits the patch, the images: entries (newName, digest) and adds an entry for an image set only in a component', async () => {
    const kustomizationBefore = read('envs/staging/kustomization.yaml');
    const result = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'working-tree', dryRun: false });

    expect(result.source).toBe('dev');
    expect(result.sourceCommit).toBe(repo.head());
    expect(result.changes).toEqual([
      { image: 'ghcr.io/acme/shop-report', from: '2.0.0', to: '2.1.0', file: 'envs/staging/kustomization.yaml', line: 13 },
      { image: 'ghcr.io/acme/shop-migrate', from: `sha256:${'b'.repeat(64)}`, to: DIGEST_A, file: 'envs/staging/kustomization.yaml', line: 15 },
      { image: 'ghcr.io/acme/otel-agent', from: '0.9.0', to: '0.10.0', file: 'envs/staging/kustomization.yaml', line: 17 },
      { image: 'ghcr.io/acme/shop-web', from: '1.4.2', to: '1.5.0', file: 'envs/staging/version.yml', line: 11 },
    ]);
    expect(read('envs/staging/kustomization.yaml')).toBe(
      kustomizationBefore
        .replace('newTag: 2.0.0', 'newTag: 2.1.0')
        .replace('b'.repeat(64), 'a'.repeat(64))
        .concat('  - name: ghcr.io/acme/otel-agent\n    newTag: 0.10.0\n'),
    );
    expect(read('envs/staging/version.yml')).toContain('          image: ghcr.io/acme/shop-web:1.5.0\n');
    // git agrees with the returned diff: one line per changed reference, two for the added entry.
    expect(repo.git('diff', '--numstat')).toBe('4\t2\tenvs/staging/kustomization.yaml\n1\t1\tenvs/staging/version.yml');
    expect(result.diff).toContain('-          image: ghcr.io/acme/shop-web:1.4.2\n+          image: ghcr.io/acme/shop-web:1.5.0\n');
  });

  it('a dry run returns the diff and leaves every file as it was', async () => {
    const result = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'commit', dryRun: true });
    expect(result.changes).toHaveLength(4);
    expect(result.diff).toMatch(/^diff --git a\/envs\/staging\/kustomization.yaml/);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(result.commit).toBeUndefined();
  });

  it('promotes only the images named, and a pin with no source', async () => {
    const filtered = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', images: parseImageRequests(['ghcr.io/acme/shop-web']), mode: 'working-tree', dryRun: false });
    expect(filtered.changes.map((c) => c.image)).toEqual(['ghcr.io/acme/shop-web']);
    expect(repo.git('diff', '--name-only')).toBe('envs/staging/version.yml');

    const pinned = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'prod', images: parseImageRequests([`ghcr.io/acme/shop-migrate@${DIGEST_C}`]), mode: 'working-tree', dryRun: false });
    expect(pinned.source).toBeUndefined();
    // prod has no images: entry for shop-migrate, so one is added in prod's own list style.
    expect(read('envs/prod/kustomization.yaml')).toBe(
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop-prod\nresources:\n- ../../base\nimages:\n- name: ghcr.io/acme/shop-web\n  newTag: 1.4.0\n- name: ghcr.io/acme/shop-migrate\n  digest: ${DIGEST_C}\n`,
    );
  });

  it('switching from a digest to a tag removes the stale digest line', async () => {
    repo.write({ 'envs/dev/kustomization.yaml': read('envs/dev/kustomization.yaml').replace(`digest: ${DIGEST_A}`, 'newTag: 3.0.0') });
    repo.commit('dev runs migrate by tag');
    const result = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', images: parseImageRequests(['ghcr.io/acme/shop-migrate']), mode: 'working-tree', dryRun: false });
    expect(result.changes).toEqual([{ image: 'ghcr.io/acme/shop-migrate', from: `sha256:${'b'.repeat(64)}`, to: '3.0.0', file: 'envs/staging/kustomization.yaml', line: 15 }]);
    expect(repo.git('diff', '-U0', 'envs/staging/kustomization.yaml').split('\n').filter((l) => /^[-+][^-+]/.test(l)).sort()).toEqual([
      '+    newTag: 3.0.0',
      `-    digest: sha256:${'b'.repeat(64)}`,
    ]);
  });

  it('nothing to do means no change and no diff', async () => {
    await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'working-tree', dryRun: false });
    repo.commit('promoted');
    const again = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'commit', dryRun: false });
    expect(again.changes).toEqual([]);
    expect(again.diff).toBe('');
    expect(again.commit).toBeUndefined();
  });

  it('renders the source at sourceRef and names that commit', async () => {
    const first = repo.head();
    repo.write({ 'envs/dev/kustomization.yaml': read('envs/dev/kustomization.yaml').replace('newTag: "1.5.0"', 'newTag: "1.6.0"') });
    repo.commit('dev: web 1.6.0');
    const result = await promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', images: parseImageRequests(['ghcr.io/acme/shop-web']), sourceRef: first, mode: 'working-tree', dryRun: false });
    expect(result.sourceCommit).toBe(first);
    expect(result.changes.map((c) => c.to)).toEqual(['1.5.0']);
  });

  it('serves the flows through a PromotionPort', async () => {
    const config = shopConfig(repo.dir);
    const renderer = createRenderer(config, hostRunner);
    const port = createPromotionPort({ root: repo.dir, git: Git.forRepository(hostRunner, repo.dir, config.tools), renderer, config, log: silentLog });
    const outcome = await port.promote({ from: 'dev', to: 'staging', images: [], mode: 'commit', dryRun: true });
    await renderer.dispose?.();
    expect(outcome).toMatchObject({ source: 'dev', target: 'staging', mode: 'commit' });
    expect(outcome.changes).toHaveLength(4);
    expect(outcome.commit).toBeUndefined();
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
