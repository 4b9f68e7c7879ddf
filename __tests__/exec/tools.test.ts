import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateKustomize, locateTool } from '../../src/exec/tools.js';
import { removeDir, tempDir } from './temp-repo.js';

describe('tool lookup', () => {
  let bin: string;
  beforeEach(() => {
    bin = tempDir();
    for (const name of ['kubectl', 'helm']) {
      writeFileSync(join(bin, name), '#!/bin/sh\n');
      chmodSync(join(bin, name), 0o755);
    }
  });
  afterEach(() => removeDir(bin));

  it('finds tools on PATH and prefers a configured path, relative to the repository', () => {
    expect(locateTool('helm', { path: bin })).toBe(join(bin, 'helm'));
    expect(locateTool('helm', { configured: { helm: 'helm' }, root: bin, path: '' })).toBe(join(bin, 'helm'));
  });

  it('falls back to kubectl kustomize, and uses kustomize build when present', () => {
    expect(locateKustomize({ path: bin })).toEqual({ command: join(bin, 'kubectl'), args: ['kustomize'] });
    writeFileSync(join(bin, 'kustomize'), '#!/bin/sh\n');
    chmodSync(join(bin, 'kustomize'), 0o755);
    expect(locateKustomize({ path: bin })).toEqual({ command: join(bin, 'kustomize'), args: ['build'] });
  });

  it('names the missing tool, who needed it and how to install it', () => {
    expect(() => locateTool('helm', { path: '/nonexistent', neededBy: 'environment "dev"' })).toThrow(
      /helm was not found on PATH \(needed by environment "dev"\)\.\n\s+Install Helm .*or set tools\.helm in slipway\.yaml/,
    );
    expect(() => locateTool('git', { configured: { git: '/no/git' }, path: bin })).toThrow(/git was not found at "\/no\/git", the path set in slipway\.yaml under tools\.git/);
  });
});
