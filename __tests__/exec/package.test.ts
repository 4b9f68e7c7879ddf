import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageRoot, packageVersion } from '../../src/exec/package.js';
import { TOOLING } from '../../src/kube/applyset.js';

const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as { version: string };

describe("Slipway's own package", () => {
  it('is found from the module, with the version package.json holds', () => {
    expect(packageRoot()).toBe(resolve('.'));
    expect(packageVersion()).toBe(pkg.version);
  });

  it('names the ApplySet tooling after that version', () => {
    expect(TOOLING).toBe(`slipway/v${pkg.version}`);
  });
});
