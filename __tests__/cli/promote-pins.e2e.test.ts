/**
 * `--image` pins in both documented spellings, `name=tag` and `name:tag`, into an environment
 * with no promoteFrom: a pin needs no source, whichever way it is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { readInputs } from '../../src/action/inputs.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ${image}
`;

const FILES = {
  'slipway.yaml': 'environments:\n  - name: hotfix\n    path: envs/hotfix\n    namespace: hotfix\n',
  'envs/hotfix/deployment.yaml': deployment('ghcr.io/acme/shop-web:1.4.0'),
};

let repo: TestRepo;
const savedKubeconfig = process.env.KUBECONFIG;
beforeEach(() => {
  repo = createTestRepo({ files: FILES });
  process.env.KUBECONFIG = join(repo.dir, 'no-kubeconfig');
});
afterEach(() => {
  repo.cleanup();
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false };
  const code = await runCli([...args, '--repo', repo.dir], io);
  return { code, stdout, stderr };
}

describe('--image pins', () => {
  it.each([['ghcr.io/acme/shop-web:1.5.0'], ['ghcr.io/acme/shop-web=1.5.0']])('%s pins the version without a source', async (pin) => {
    const { code, stdout, stderr } = await cli('promote', '--to', 'hotfix', '--image', pin);
    expect(stderr).not.toMatch(/no source/);
    expect(code).toBe(0);
    expect(stdout).toContain('envs/hotfix/deployment.yaml:10  ghcr.io/acme/shop-web  1.4.0 -> 1.5.0\n');
    expect(readFileSync(join(repo.dir, 'envs/hotfix/deployment.yaml'), 'utf8')).toBe(deployment('ghcr.io/acme/shop-web:1.5.0'));
  });

  it('a bare name without a source still says there is no source, naming the CLI flags', async () => {
    const { code, stderr } = await cli('promote', '--to', 'hotfix', '--image', 'ghcr.io/acme/shop-web');
    expect(code).toBe(2);
    expect(stderr).toMatch(/no source/);
    expect(stderr).toMatch(/--from/);
    expect(stderr).toMatch(/--image/);
  });

  it('the action input parses both spellings into the same typed pins', () => {
    const inputs = readInputs((name) => (name === 'images' ? 'ghcr.io/acme/shop-web:1.5.0\nghcr.io/acme/api=2.0.0\nghcr.io/acme/worker' : ''));
    expect(inputs.images).toEqual([
      { name: 'ghcr.io/acme/shop-web', text: 'ghcr.io/acme/shop-web:1.5.0', pin: { name: 'ghcr.io/acme/shop-web', tag: '1.5.0' } },
      { name: 'ghcr.io/acme/api', text: 'ghcr.io/acme/api=2.0.0', pin: { name: 'ghcr.io/acme/api', tag: '2.0.0' } },
      { name: 'ghcr.io/acme/worker', text: 'ghcr.io/acme/worker' },
    ]);
  });
});
