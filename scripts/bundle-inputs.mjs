// What the bundle is built from, and what it is: hashes that tell the test setup whether a
// bundle on disk was built from the sources as they are now (see __tests__/support/bundle-setup.mjs).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Everything rollup reads from the repository (dependencies are pinned by the lock file). */
const INPUTS = ['src', 'rollup.config.js', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json', 'scripts/bundle-inputs.mjs'];

/** Git-ignored: bundles built for tests, one directory per inputs hash, and dist/'s stamp. */
export const BUNDLE_CACHE = '.bundle';
export const DIST_STAMP = join(BUNDLE_CACHE, 'dist.json');

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => files(join(path, name)));
}

function hashFiles(root, paths) {
  const hash = createHash('sha256');
  for (const file of paths) {
    hash.update(relative(root, file).split(sep).join('/')).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function inputsHash(root) {
  return hashFiles(root, INPUTS.flatMap((path) => files(join(root, path))));
}

export function outputHash(dir) {
  return hashFiles(dir, files(dir));
}
