/**
 * `slipway promote` in-process over a real Git repository: it edits the working tree and prints
 * each change and the diff; --dry-run changes nothing; --commit makes one local commit and never
 * pushes (nor deploys): reviewing and pushing it stays the user's step.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const deployment = (image: string) => `# web, as deployed to this environment
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: ${image}   # set by promotion
`;

const FILES = {
  'slipway.yaml': `environments:
  - name: dev
    path: envs/dev
    namespace: dev
  - name: staging
    path: envs/staging
    namespace: staging
    promoteFrom: dev
    promotion: commit
`,
  'envs/dev/deployment.yaml': deployment('ghcr.io/acme/web:1.1.0'),
  'envs/staging/deployment.yaml': deployment('ghcr.io/acme/web:1.0.0'),
};

const STAGING = 'envs/staging/deployment.yaml';

let repo: TestRepo;
const savedKubeconfig = process.env.KUBECONFIG;
beforeEach(() => {
  repo = createTestRepo({ files: FILES });
  // Never the developer's cluster: a promotion must not need one.
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

const staging = () => readFileSync(join(repo.dir, STAGING), 'utf8');
const originMain = () => repo.git('--git-dir', repo.origin, 'rev-parse', 'main');

describe('slipway promote', () => {
  it('edits the working tree, prints file:line image old -> new and the diff, and commits nothing', async () => {
    const head = repo.head();
    const { code, stdout, stderr } = await cli('promote', '--from', 'dev', '--to', 'staging');
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(stdout).toContain(`${STAGING}:11  ghcr.io/acme/web  1.0.0 -> 1.1.0\n`);
    expect(stdout).toContain('-          image: ghcr.io/acme/web:1.0.0   # set by promotion\n+          image: ghcr.io/acme/web:1.1.0   # set by promotion\n');
    expect(staging()).toBe(deployment('ghcr.io/acme/web:1.1.0'));
    expect(repo.head()).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe(`M ${STAGING}`);
    // Not committed, so not deployed either.
    expect(stderr).not.toMatch(/Deploying/);
  });

  it('--dry-run prints the same diff and changes nothing', async () => {
    const { code, stdout } = await cli('promote', '--from', 'dev', '--to', 'staging', '--dry-run');
    expect(code).toBe(0);
    expect(stdout).toContain(`${STAGING}:11  ghcr.io/acme/web  1.0.0 -> 1.1.0\n`);
    expect(stdout).toContain('+          image: ghcr.io/acme/web:1.1.0');
    expect(staging()).toBe(FILES[STAGING]);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('--commit makes one local commit with the trailers and pushes nothing', async () => {
    const head = repo.head();
    const { code, stdout, stderr } = await cli('promote', '--from', 'dev', '--to', 'staging', '--commit');
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const commit = repo.head();
    expect(repo.git('rev-parse', 'HEAD^')).toBe(head);
    expect(stdout).toContain(`committed ${commit}\n`);
    expect(repo.git('log', '-1', '--format=%B')).toBe(`promote dev -> staging: web 1.0.0 -> 1.1.0\n\nSlipway-Source-Commit: ${head}\nSlipway-From: dev\nSlipway-To: staging`);
    expect(repo.git('show', '--format=', '--name-only', 'HEAD')).toBe(STAGING);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(originMain()).toBe(head);
    expect(stderr).not.toMatch(/Deploying/);
  });

  it('--commit works in a repository without any remote', async () => {
    repo.git('remote', 'remove', 'origin');
    const { code } = await cli('promote', '--to', 'staging', '--commit');
    expect(code).toBe(0);
    expect(repo.git('log', '-1', '--format=%s')).toBe('promote dev -> staging: web 1.0.0 -> 1.1.0');
  });

  it('--image NAME=TAG pins a version without a source; a second run has nothing to do', async () => {
    const first = await cli('promote', '--to', 'staging', '--image', 'ghcr.io/acme/web=2.0.0');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${STAGING}:11  ghcr.io/acme/web  1.0.0 -> 2.0.0\n`);
    expect(staging()).toBe(deployment('ghcr.io/acme/web:2.0.0'));
    const again = await cli('promote', '--to', 'staging', '--image', 'ghcr.io/acme/web=2.0.0');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('staging: already up to date.\n');
  });

  it('a pin the source does not run is an error naming both versions; nothing changes', async () => {
    const { code, stderr } = await cli('promote', '--from', 'dev', '--to', 'staging', '--image', 'ghcr.io/acme/web=9.9.9');
    expect(code).toBe(2);
    expect(stderr).toMatch(/version 9\.9\.9 does not exist in source environment dev, which runs ghcr\.io\/acme\/web:1\.1\.0/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
