import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PromoteOptions } from '../../src/promote/promote.js';
import { promote } from '../support/host-runner.js';
import { parseImageRequests } from '../../src/promote/select-images.js';
import type { TestRepo } from '../support/git-repo.js';
import { fixtureRepo, shopConfig } from './support.js';

describe('bad input: a clear error, and the working tree left as it was', () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = fixtureRepo('shop');
  });
  afterEach(() => repo.cleanup());
  const read = (path: string) => readFileSync(join(repo.dir, path), 'utf8');
  const run = (options: Partial<PromoteOptions>) =>
    promote({ root: repo.dir, config: shopConfig(repo.dir), to: 'staging', mode: 'working-tree', dryRun: false, ...options });
  const expectUntouched = () => expect(repo.git('status', '--porcelain')).toBe('');

  it('an invalid image reference in the source names the object', async () => {
    repo.write({ 'envs/dev/kustomization.yaml': read('envs/dev/kustomization.yaml').replace('newTag: 2.1.0', 'newTag: -2.1.0') });
    repo.commit('bad tag');
    await expect(run({})).rejects.toThrow(/CronJob\/shop-dev\/report.* \(container 'report'\) in environment dev: 'ghcr.io\/acme\/shop-report:-2.1.0' is not a valid image reference: the tag '-2.1.0'/);
    expectUntouched();
  });

  it('an invalid pin', async () => {
    expect(() => parseImageRequests(['ghcr.io/acme/shop-web=1.5.0@sha256:123'])).toThrow(/images: .* is not a valid image reference: the digest 'sha256:123'/);
  });

  it('a tag that does not exist in the source', async () => {
    await expect(run({ from: 'dev', images: parseImageRequests(['ghcr.io/acme/shop-web=9.9.9']) })).rejects.toThrow(
      /ghcr.io\/acme\/shop-web=9.9.9: version 9.9.9 does not exist in source environment dev, which runs ghcr.io\/acme\/shop-web:1.5.0/,
    );
  });

  it('an image the source does not run, and one the target does not use', async () => {
    await expect(run({ images: parseImageRequests(['ghcr.io/acme/nope']) })).rejects.toThrow(/ghcr.io\/acme\/nope is not used by source environment dev/);
    await expect(run({ images: parseImageRequests(['ghcr.io/acme/otel-agent']), to: 'prod', from: 'dev' })).rejects.toThrow(/Target environment prod \(envs\/prod\) does not use image ghcr.io\/acme\/otel-agent/);
  });

  it('a YAML file in the target that does not parse names its file and line', async () => {
    repo.write({ 'envs/staging/notes.yaml': 'owner: team-a\nlinks: [one, two\n' });
    repo.commit('broken notes');
    await expect(run({})).rejects.toThrow(/envs\/staging\/notes.yaml:\d+:\d+: YAML does not parse/);
    expectUntouched();
  });

  it('two conflicting settings for one image in the target name both places', async () => {
    repo.write({ 'envs/staging/version-old.yml': read('envs/staging/version.yml').replace('1.4.2', '1.3.0') });
    repo.commit('a stale copy');
    await expect(run({})).rejects.toThrow(/sets ghcr.io\/acme\/shop-web twice, differently: 1.3.0 at envs\/staging\/version-old.yml:11 and 1.4.2 at envs\/staging\/version.yml:11/);
    expectUntouched();
  });

  it('a promotion cycle, self-promotion and unknown environments', async () => {
    await expect(run({ from: 'staging', to: 'dev' })).rejects.toThrow(/would make a promotion cycle: staging already receives promotions from dev/);
    await expect(run({ from: 'prod', to: 'dev' })).rejects.toThrow(/promotion cycle/);
    await expect(run({ from: 'staging', to: 'staging' })).rejects.toThrow(/into itself/);
    await expect(run({ to: 'qa' })).rejects.toThrow(/to: environment "qa" is not defined in slipway.yaml/);
    await expect(run({ to: 'dev' })).rejects.toThrow(/dev has no promoteFrom/);
  });

  it('an edit that the render does not pick up is undone byte-for-byte and reported', async () => {
    // version.yml is no longer a patch: editing it cannot change what staging renders.
    const kustomization = read('envs/staging/kustomization.yaml').replace('patches:\n  - path: version.yml\n', '');
    repo.write({ 'envs/staging/kustomization.yaml': kustomization });
    repo.commit('drop the patch');
    const version = read('envs/staging/version.yml');
    await expect(run({ images: parseImageRequests(['ghcr.io/acme/shop-web']) })).rejects.toThrow(
      /After editing envs\/staging\/version.yml, environment staging does not render the promoted images:\n {2}- ghcr.io\/acme\/shop-web: expected ghcr.io\/acme\/shop-web:1.5.0, rendered ghcr.io\/acme\/shop-web:1.0.0[\s\S]*restored/,
    );
    expect(read('envs/staging/version.yml')).toBe(version);
    expectUntouched();
  });
});
