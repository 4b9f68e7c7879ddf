import { Git } from '../../src/exec/git.js';
import { hostRunner } from '../support/host-runner.js';

describe('Git.forRepository', () => {
  it('names the slipway.yaml setting when the configured git does not exist, on first use', async () => {
    const git = Git.forRepository(hostRunner, process.cwd(), { git: '/nowhere/bin/git' });
    await expect(git.revParse('HEAD')).rejects.toThrow(/git was not found at "\/nowhere\/bin\/git", the path set in slipway\.yaml under tools\.git[\s\S]*Fix tools\.git/);
  });

  it('finds git on PATH when none is configured', async () => {
    const git = Git.forRepository(hostRunner, process.cwd(), {});
    await expect(git.headSha()).resolves.toMatch(/^[0-9a-f]{40}$/);
  });
});
