/**
 * A tool one environment needs is missing: that environment fails with the reason, every other
 * environment is still planned and diffed, and nothing is left in the temporary directory.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const PLAIN = ['api', 'jobs', 'mail', 'search', 'worker'];

function files(tag: string): Record<string, string> {
  const out: Record<string, string> = {
    'slipway.yaml': [
      'tools:',
      '  helm: tools/missing/helm',
      'environments:',
      '  - name: web',
      '    path: envs/web',
      ...PLAIN.flatMap((name) => [`  - name: ${name}`, `    path: envs/${name}`]),
      '',
    ].join('\n'),
    'envs/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'envs/web/templates/configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: apps}\ndata: {tag: "${tag}"}\n`,
  };
  for (const name of PLAIN) out[`envs/${name}/configmap.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: apps}\ndata: {tag: "${tag}"}\n`;
  return out;
}

async function cli(...argv: string[]) {
  const io: CliIo & { out: string; err: string } = { out: '', err: '', isTty: false, stdout: (t) => void (io.out += t), stderr: (t) => void (io.err += t) };
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('a missing tool', () => {
  let repo: TestRepo;
  let base: string;
  let head: string;
  let temp: string;
  let savedTmp: string | undefined;
  beforeEach(() => {
    repo = createTestRepo({ files: files('v1') });
    base = repo.head();
    repo.write(files('v2'));
    head = repo.commit('v2 everywhere');
    temp = mkdtempSync(join(tmpdir(), 'slipway-own-tmp-'));
    savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = temp;
  });
  afterEach(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(temp, { recursive: true, force: true });
    repo.cleanup();
  });

  it('fails only its environment in plan, and leaves no temporary directory', async () => {
    const result = await cli('plan', '--repo', repo.dir, '--base', base, '--head', head);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toEqual(['web', ...PLAIN]);
    expect(result.err).toMatch(/web: helm was not found at "tools\/missing\/helm", the path set in slipway\.yaml under tools\.helm/);
    expect(readdirSync(temp)).toEqual([]);
  });

  it('fails only its environment in diff, the others are diffed, and leaves no temporary directory', async () => {
    const result = await cli('diff', '--render-only', '--repo', repo.dir, '--base', base, '--head', head);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/# web[\s\S]*helm was not found at "tools\/missing\/helm"/);
    for (const name of PLAIN) expect(result.out).toMatch(new RegExp(`# ${name} [\\s\\S]*ConfigMap/?\\S*${name}`));
    expect(readdirSync(temp)).toEqual([]);
  });
});
