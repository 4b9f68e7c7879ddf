#!/usr/bin/env node
// Prints the directory of a bundle built from the sources as they are now, for the end-to-end
// tests (see __tests__/support/bundle.ts, which runs this under a lock): dist/ when
// `npm run package` built it from exactly these sources (CI does that just before the tests),
// otherwise .bundle/<inputs hash>/, built once and kept for the next run.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUNDLE_CACHE, DIST_STAMP, inputsHash, outputHash } from './bundle-inputs.mjs';

const inputs = inputsHash('.');
process.stdout.write(`${resolve(distIsCurrent(inputs) ? 'dist' : await cachedBuild(inputs))}\n`);

function distIsCurrent(inputs) {
  if (!existsSync(DIST_STAMP) || !existsSync('dist')) return false;
  const stamp = JSON.parse(readFileSync(DIST_STAMP, 'utf8'));
  return stamp.inputs === inputs && stamp.output === outputHash('dist');
}

async function cachedBuild(inputs) {
  const dir = join(BUNDLE_CACHE, inputs.slice(0, 16));
  if (existsSync(join(dir, 'index.js'))) return dir;
  // Built next to its final place and renamed into it, so a run that stops halfway leaves no partial bundle.
  const partial = `${dir}.partial-${process.pid}`;
  process.stderr.write(`Building the bundle for the end-to-end tests into ${dir} ...\n`);
  // Loaded only to build: every end-to-end file runs this script, and most find the build done.
  const [{ rollup }, { bundleConfig }] = await Promise.all([import('rollup'), import('../rollup.config.js')]);
  const { output, ...input } = bundleConfig(partial);
  const bundle = await rollup(input);
  try {
    await bundle.write(output);
  } finally {
    await bundle.close();
  }
  removeOtherBuilds();
  renameSync(partial, dir);
  return dir;
}

/** Bundles of earlier sources, and halves left by runs that were stopped (a live run's half stays). */
function removeOtherBuilds() {
  for (const name of readdirSync(BUNDLE_CACHE)) {
    const pid = /\.partial-(\d+)$/.exec(name)?.[1];
    if (name === 'dist.json' || (pid && isRunning(Number(pid)))) continue;
    rmSync(join(BUNDLE_CACHE, name), { recursive: true, force: true });
  }
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
