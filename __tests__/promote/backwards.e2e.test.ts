/** `slipway promote` of an older version: done, and the output and the commit say it goes backwards. */
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

describe('slipway promote --commit of an older version', () => {
  let repo: TestRepo;
  const deployment = (tag: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:${tag}\n`;
  beforeEach(() => {
    repo = createTestRepo({
      files: {
        'slipway.yaml': 'environments:\n  - name: dev\n    path: envs/dev\n  - name: staging\n    path: envs/staging\n    promoteFrom: dev\n',
        'envs/dev/deployment.yaml': deployment('1.0.0'),
        'envs/staging/deployment.yaml': deployment('2.0.0'),
      },
    });
  });
  afterEach(() => repo.cleanup());

  it('is done, and the output and the commit say it goes backwards', async () => {
    let stdout = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, isTty: false };
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = join(repo.dir, 'no-kubeconfig');
    try {
      expect(await runCli(['promote', '--to', 'staging', '--commit', '--repo', repo.dir], io)).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
    expect(stdout).toContain('envs/staging/deployment.yaml:10  ghcr.io/acme/web  2.0.0 -> 1.0.0  (backwards: an older version)\n');
    expect(repo.git('log', '-1', '--format=%B')).toMatch(/^promote dev -> staging: web 2\.0\.0 -> 1\.0\.0 \(backwards\)\n\nBackwards: ghcr\.io\/acme\/web goes from 2\.0\.0 back to the older 1\.0\.0\./);
  });
});
