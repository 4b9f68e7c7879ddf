import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { removeDir, tempDir } from '../exec/temp-repo.js';

let root: string;
beforeEach(() => {
  root = tempDir();
  for (const env of ['dev', 'prod']) {
    mkdirSync(join(root, 'envs', env), { recursive: true });
    writeFileSync(join(root, 'envs', env, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n');
  }
});
afterEach(() => removeDir(root));

function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  return runCli(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTty: false }).then((code) => ({ code, stdout: out.join(''), stderr: err.join('') }));
}

describe('slipway init', () => {
  it('writes slipway.yaml, prints it, and says what to do next', async () => {
    const result = await cli(['init', '--repo', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(join(root, 'slipway.yaml'), 'utf8'));
    expect(result.stdout).toContain('  - name: prod\n    path: envs/prod\n');
    expect(result.stderr).toContain('Wrote slipway.yaml with 2 environment(s). Check it, then run `slipway validate`.');
  });

  it('refuses to overwrite, exit code 2, naming the file and the flag to use instead', async () => {
    writeFileSync(join(root, 'slipway.yaml'), 'environments: []\n');
    const result = await cli(['init', '--repo', root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('slipway.yaml already exists');
    expect(result.stderr).toContain('--config other.yaml');
    expect(readFileSync(join(root, 'slipway.yaml'), 'utf8')).toBe('environments: []\n');
  });

  it('--config names another file; --json describes what was proposed', async () => {
    const result = await cli(['init', '--repo', root, '--config', 'pipeline.yaml', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ command: 'init', file: 'pipeline.yaml', written: true });
    expect(json.environments.map((e: { name: string }) => e.name)).toEqual(['dev', 'prod']);
  });
});

describe('slipway diff --markdown', () => {
  it('is an option of diff only', async () => {
    const result = await cli(['validate', '--repo', root, '--markdown', 'x.md']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--markdown is an option of diff, not of validate');
  });
});
