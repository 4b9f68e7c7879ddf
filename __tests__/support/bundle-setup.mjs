// Jest global setup of the e2e project: the end-to-end tests run the bundle built from the
// sources as they are now, never a stale dist/. dist/ is used when `npm run package` built it
// from exactly these sources (CI does that just before the tests); otherwise the bundle is built
// once into .bundle/<inputs hash>/ and kept for the next run. The tests find it through
// SLIPWAY_BUNDLE_DIR (see bundle.ts).
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rollup } from 'rollup';
import { bundleConfig } from '../../rollup.config.js';
import { BUNDLE_CACHE, DIST_STAMP, inputsHash, outputHash } from '../../scripts/bundle-inputs.mjs';

export default async function bundleSetup() {
  const inputs = inputsHash('.');
  process.env.SLIPWAY_BUNDLE_DIR = resolve(distIsCurrent(inputs) ? 'dist' : await cachedBuild(inputs));
}

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
  process.stdout.write(`\nBuilding the bundle for the end-to-end tests into ${dir} ...\n`);
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
