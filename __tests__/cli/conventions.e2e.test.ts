/**
 * Command-line conventions: --version, per-command --help, exit codes in the help, --json
 * errors on stdout under the command's own name, hints naming CLI flags, the diff fall-back said
 * in the output (and refused with --require-cluster), render diffs labelled base/ and head/ with
 * the base commit named once, progress on stderr only for a terminal, and --kubeconfig errors in
 * one sentence.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { gitopsFiles } from '../action/fixture.js';

async function cli(argv: string[], options: { stderrIsTty?: boolean } = {}) {
  const io = { out: '', err: '', isTty: false, stderrIsTty: options.stderrIsTty ?? false } as CliIo & { out: string; err: string };
  io.stdout = (t: string) => void (io.out += t);
  io.stderr = (t: string) => void (io.err += t);
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

let repo: TestRepo;
const savedKubeconfig = process.env.KUBECONFIG;
beforeEach(() => {
  repo = createTestRepo({ files: gitopsFiles() });
  process.env.KUBECONFIG = join(repo.dir, 'no-such-kubeconfig');
});
afterEach(() => {
  repo.cleanup();
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
});

describe('help and version', () => {
  it('--version prints the version from package.json', async () => {
    const { version } = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string };
    expect(await cli(['--version'])).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('<command> --help describes that command only, with the exit codes', async () => {
    const diff = await cli(['diff', '--help']);
    expect(diff.code).toBe(0);
    expect(diff.out).toMatch(/^Usage: slipway diff /);
    expect(diff.out).toContain('--require-cluster');
    expect(diff.out).toContain('--render-only');
    expect(diff.out).not.toContain('--heal');
    expect(diff.out).not.toContain('--image');
    const promote = (await cli(['promote', '--help'])).out;
    expect(promote).toMatch(/^Usage: slipway promote /);
    expect(promote).toContain('--image');
    expect(promote).not.toContain('--render-only');
    for (const text of [diff.out, promote, (await cli(['--help'])).out]) {
      expect(text).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 {2}findings \(validation errors\), drift, or a failed deploy\n {2}2 {2}wrong usage or setup/);
    }
  });
});

describe('fatal errors', () => {
  it('--json prints a JSON error object on stdout under the command name, and the hint names --config', async () => {
    const result = await cli(['diff', '--repo', repo.dir, '--config', 'pipelines/missing.yaml', '--json']);
    expect(result.code).toBe(2);
    const body = JSON.parse(result.out) as { command: string; ok: boolean; exitCode: number; error: { message: string; hint?: string } };
    expect(body).toMatchObject({ command: 'diff', ok: false, exitCode: 2 });
    expect(body.error.message).toMatch(/pipelines\/missing\.yaml was not found/);
    expect(body.error.hint).toContain('set --config to its path');
    expect(body.error.hint).not.toMatch(/input/);
  });

  it('a usage error with --json is a JSON object too', async () => {
    const result = await cli(['apply', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.out)).toMatchObject({ command: 'apply', ok: false, exitCode: 2, error: { message: 'apply needs --env NAME.' } });
  });

  it('--kubeconfig naming a missing file says so in one sentence, never ENOENT', async () => {
    const result = await cli(['diff', '--repo', repo.dir, '--kubeconfig', 'nowhere/config']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^slipway: --kubeconfig nowhere\/config: the file \S+nowhere\/config does not exist\./);
    expect(result.err).not.toMatch(/ENOENT|localhost:8080/);
  });
});

describe('diff', () => {
  const change = () => {
    const base = repo.head();
    repo.write({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });
    repo.commit('debug logs');
    return base;
  };

  it('render diffs label their sides base/ and head/ and name the base commit once', async () => {
    const base = change();
    const result = await cli(['diff', '--repo', repo.dir, '--base', base, '--render-only']);
    expect(result.code).toBe(0);
    expect(result.out.split(`base/ is the render at ${base.slice(0, 12)}`)).toHaveLength(2);
    expect(result.out).toMatch(/^\s+--- base\/ConfigMap\/dev\/web-config$/m);
    expect(result.out).toMatch(/^\s+\+\+\+ head\/ConfigMap\/dev\/web-config$/m);
    expect(result.out).not.toMatch(/live\/|desired\//);
  });

  it('without a cluster and without --render-only says it fell back; --require-cluster fails instead', async () => {
    const base = change();
    const fellBack = await cli(['diff', '--repo', repo.dir, '--base', base]);
    expect(fellBack.code).toBe(0);
    expect(fellBack.out).toMatch(/# dev \(no cluster, fell back to the render diff: .*--require-cluster makes this an error\)/);
    const required = await cli(['diff', '--repo', repo.dir, '--base', base, '--require-cluster']);
    expect(required.code).toBe(1);
    expect(required.out).toMatch(/error: the cluster was required but could not be asked/);
    expect(required.out).not.toMatch(/\+\s+LOG_LEVEL: debug/);
  });

  it('--json output names the command as typed', async () => {
    const base = change();
    const result = await cli(['diff', '--repo', repo.dir, '--base', base, '--render-only', '--json']);
    expect(JSON.parse(result.out)).toMatchObject({ command: 'diff', ok: true });
  });

  it('progress lines go to stderr only when it is a terminal', async () => {
    const base = change();
    const tty = await cli(['diff', '--repo', repo.dir, '--base', base, '--render-only', '--env', 'dev'], { stderrIsTty: true });
    expect(tty.err).toContain('== Rendering 1 environment at base and head\n');
    const piped = await cli(['diff', '--repo', repo.dir, '--base', base, '--render-only', '--env', 'dev']);
    expect(piped.err).not.toContain('== Rendering');
  });
});
