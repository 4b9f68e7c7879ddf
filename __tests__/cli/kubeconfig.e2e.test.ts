/** `--kubeconfig FILE` that does not parse fails every command with a setup error naming the file. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { gitopsFiles } from '../action/fixture.js';

async function cli(...argv: string[]) {
  const io = { out: '', err: '', isTty: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) } satisfies CliIo & { out: string; err: string };
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('slipway --kubeconfig with a file that does not parse', () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = createTestRepo({ files: gitopsFiles() });
    writeFileSync(join(repo.dir, 'broken-kubeconfig.yaml'), 'apiVersion: v1\ncontexts: [ { name: dev\n');
  });
  afterEach(() => repo.cleanup());

  it.each([['validate'], ['diff'], ['plan']])('fails `%s` with exit code 2, naming the file', async (...command) => {
    const kubeconfig = join(repo.dir, 'broken-kubeconfig.yaml');
    const result = await cli(...command, '--repo', repo.dir, '--kubeconfig', kubeconfig);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`Cannot read the kubeconfig from --kubeconfig ${kubeconfig}`);
  });
});
