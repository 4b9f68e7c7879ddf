import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findTool, locateKustomize, locateTool, packageToolsDir } from '../../src/exec/tools.js';
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
    expect(locateTool('helm', { path: bin, packageTools: false })).toBe(join(bin, 'helm'));
    expect(locateTool('helm', { configured: { helm: 'helm' }, root: bin, path: '', packageTools: false })).toBe(join(bin, 'helm'));
  });

  it('falls back to kubectl kustomize, and uses kustomize build when present', () => {
    expect(locateKustomize({ path: bin, packageTools: false })).toEqual({ command: join(bin, 'kubectl'), args: ['kustomize'] });
    writeFileSync(join(bin, 'kustomize'), '#!/bin/sh\n');
    chmodSync(join(bin, 'kustomize'), 0o755);
    expect(locateKustomize({ path: bin, packageTools: false })).toEqual({ command: join(bin, 'kustomize'), args: ['build'] });
  });

  it('names the missing tool, who needed it and how to install it', () => {
    expect(() => locateTool('helm', { path: '/nonexistent', packageTools: false, neededBy: 'environment "dev"' })).toThrow(
      /helm was not found on PATH \(needed by environment "dev"\)\.\n\s+Install Helm .*or set tools\.helm in slipway\.yaml/,
    );
    expect(() => locateTool('git', { configured: { git: '/no/git' }, path: bin })).toThrow(/git was not found at "\/no\/git", the path set in slipway\.yaml under tools\.git/);
  });
});

describe('the package’s own tools (.tools/bin, unpacked by npm ci)', () => {
  let packaged: string;
  let onPath: string;
  beforeEach(() => {
    packaged = tempDir();
    onPath = tempDir();
    for (const dir of [packaged, onPath]) {
      writeFileSync(join(dir, 'helm'), '#!/bin/sh\n');
      chmodSync(join(dir, 'helm'), 0o755);
    }
  });
  afterEach(() => {
    removeDir(packaged);
    removeDir(onPath);
  });

  it('are found relative to the package, not the working directory', () => {
    expect(packageToolsDir()).toBe(resolve('.tools/bin'));
    const saved = process.cwd();
    process.chdir(onPath);
    try {
      expect(findTool('helm', { path: '' })).toBe(resolve(saved, '.tools/bin/helm'));
    } finally {
      process.chdir(saved);
    }
  });

  it('come after tools: in slipway.yaml and before PATH', () => {
    expect(findTool('helm', { packageTools: packaged, path: onPath })).toBe(join(packaged, 'helm'));
    expect(findTool('helm', { configured: { helm: join(onPath, 'helm') }, packageTools: packaged, path: '' })).toBe(join(onPath, 'helm'));
    expect(findTool('kubectl', { packageTools: packaged, path: onPath })).toBeUndefined();
    expect(locateKustomize({ path: '' })).toEqual({ command: resolve('.tools/bin/kubectl'), args: ['kustomize'] });
  });
});
