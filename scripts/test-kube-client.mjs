#!/usr/bin/env node
// The Kubernetes client library's kubeconfig module as one file, for the tests: jest.config.js
// maps `@kubernetes/client-node/dist/config.js` to it. Unbundled, that module pulls in every
// generated API class of the library, several hundred files that jest compiles afresh in each
// test file that reads a kubeconfig (most of a second each time). Bundled the way dist/ bundles
// it (rollup.config.js, undici left out), it is one file that compiles in a tenth of that.
// Built once per lock file, by the tests' global setup (__tests__/support/global-setup.mjs).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_CACHE } from './bundle-inputs.mjs';

const DIR = join(BUNDLE_CACHE, 'kubernetes-client');
const ENTRY = 'node_modules/@kubernetes/client-node/dist/config.js';

const stamp = createHash('sha256');
for (const file of ['package-lock.json', 'rollup.config.js', 'scripts/test-kube-client.mjs']) stamp.update(readFileSync(file)).update('\0');
const inputs = stamp.digest('hex');
const stampFile = join(DIR, 'inputs');

if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== inputs) {
  process.stderr.write(`Bundling ${ENTRY} for the tests into ${DIR} ...\n`);
  const [{ rollup }, { default: commonjs }, { default: json }, { nodeResolve }, { withoutClientFetchDispatchers }] = await Promise.all([
    import('rollup'),
    import('@rollup/plugin-commonjs'),
    import('@rollup/plugin-json'),
    import('@rollup/plugin-node-resolve'),
    import('../rollup.config.js'),
  ]);
  const bundle = await rollup({
    input: ENTRY,
    // The module's own exports, under their own names (KubeConfig, ...), as src imports them.
    preserveEntrySignatures: 'strict',
    plugins: [nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }), commonjs(), json(), withoutClientFetchDispatchers()],
    onwarn(warning, warn) {
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
  });
  // Written next to its place and renamed into it, so a stopped build leaves nothing half-written.
  const partial = `${DIR}.partial-${process.pid}`;
  try {
    await bundle.write({ file: join(partial, 'config.mjs'), format: 'es', inlineDynamicImports: true });
  } finally {
    await bundle.close();
  }
  writeFileSync(join(partial, 'inputs'), inputs);
  rmSync(DIR, { recursive: true, force: true });
  renameSync(partial, DIR);
}
