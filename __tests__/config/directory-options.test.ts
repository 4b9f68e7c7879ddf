import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { removeDir, tempDir } from '../exec/temp-repo.js';
import { configProblems } from './config-problems.js';

let root: string;
beforeEach(() => {
  root = tempDir();
  for (const dir of ['envs/dev', 'envs/prod']) mkdirSync(join(root, dir), { recursive: true });
});
afterEach(() => removeDir(root));

const problems = (yaml: string): Promise<string[]> => configProblems(root, yaml);

describe('exclude and recurse', () => {
  it('reads them per environment, with defaults: underneath', async () => {
    writeFileSync(
      join(root, 'slipway.yaml'),
      'environments:\n  - name: dev\n    path: envs/dev\n    exclude: ["*.json", "tests/**"]\n  - name: prod\n    path: envs/prod\n    recurse: true\ndefaults:\n  recurse: false\n  exclude: [README.*]\n',
    );
    const [dev, prod] = (await loadConfig(root)).environments;
    expect([dev!.exclude, dev!.recurse]).toEqual([['*.json', 'tests/**'], false]);
    expect([prod!.exclude, prod!.recurse]).toEqual([['README.*'], true]);
  });

  it('leaves both unset when not given (the render reads everything, recursively)', async () => {
    writeFileSync(join(root, 'slipway.yaml'), 'environments:\n  - name: dev\n    path: envs/dev\n');
    const [dev] = (await loadConfig(root)).environments;
    expect([dev!.exclude, dev!.recurse]).toEqual([undefined, undefined]);
  });

  it('names a wrong type or a broken glob with its line and column', async () => {
    expect(await problems('environments:\n  - name: dev\n    path: envs/dev\n    recurse: maybe\n    exclude: "*.json"\n')).toEqual([
      '4:14 environment "dev": recurse must be true or false, found "maybe"',
      '5:14 environment "dev": exclude must be a list of strings, found "*.json"',
    ]);
    expect(await problems('environments:\n  - name: dev\n    path: envs/dev\ndefaults:\n  exclude: ["ok/*", "{a,b"]\n')).toEqual([
      '5:21 defaults: exclude[1]: "{a,b" is not a valid glob (check its brackets and braces)',
    ]);
  });
});
