/**
 * Each run has its own mask: a credential read by one `slipway` command is masked in that
 * command's output, and a later command in the same process (the demo, tests, an embedding tool)
 * that never read it prints the same text as it is.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

/** A value that is a bearer token in one kubeconfig and, by coincidence, an environment's name. */
const SHARED = 'web-frontend-canary';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]
users: [{ name: ci, user: { token: ${SHARED} } }]
contexts: [{ name: ci, context: { cluster: c, user: ci } }]
current-context: ci
`;

async function cli(...argv: string[]) {
  const io = {
    out: '',
    err: '',
    isTty: false,
    env: { ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' },
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  } satisfies CliIo & { out: string; err: string };
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('two runs in one process', () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = createTestRepo({
      files: {
        'slipway.yaml': `environments:\n  - name: ${SHARED}\n    path: envs/canary\n    namespace: web\n`,
        'envs/canary/config.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: canary\n',
      },
    });
    writeFileSync(join(repo.dir, 'ci-kubeconfig.yaml'), KUBECONFIG);
  });
  afterEach(() => repo.cleanup());

  it('share no secrets: the first masks its kubeconfig token, the second never read it', async () => {
    const first = await cli('plan', '--repo', repo.dir, '--kubeconfig', join(repo.dir, 'ci-kubeconfig.yaml'));
    expect(first.code).toBe(0);
    expect(first.out).not.toContain(SHARED);
    expect(first.out).toContain('***');

    const second = await cli('plan', '--repo', repo.dir);
    expect(second.code).toBe(0);
    expect(second.out).toContain(SHARED);
  });
});
