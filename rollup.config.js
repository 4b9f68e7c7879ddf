// Bundles the action entry and the CLI into dist/ (committed: actions run dist/index.js as is).
// The test setup builds the same bundle into another directory with bundleConfig(dir).
import { mkdirSync, writeFileSync } from 'node:fs';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import { BUNDLE_CACHE, DIST_STAMP, inputsHash, outputHash } from './scripts/bundle-inputs.mjs';

export function bundleConfig(dir) {
  return {
    plugins: [
      typescript({ tsconfig: './tsconfig.build.json', module: 'NodeNext', moduleResolution: 'NodeNext', outDir: dir, noEmitOnError: true, outputToFilesystem: false }),
      nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
      commonjs(),
      json(),
      withoutClientFetchDispatchers(),
    ],
    onwarn(warning, warn) {
      // Third-party bundles use `this` at top level and have circular imports; both are harmless here.
      if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
      warn(warning);
    },
    // @actions/core imports its OIDC token client (and through it @actions/http-client and undici)
    // for getIDToken, which Slipway never calls: declared free of side effects, it is left out.
    treeshake: { moduleSideEffects: (id) => !id.endsWith('/node_modules/@actions/core/lib/oidc-utils.js') },
    input: { index: 'src/main.ts', cli: 'src/cli.ts' },
    output: {
      dir,
      format: 'es',
      entryFileNames: '[name].js',
      // Rollup would name a chunk after whichever module happens to come first (findings.js,
      // signals.js, index.js); name each for what it holds: the code both entries share, the
      // Kubernetes client library (loaded only when a kubeconfig is read; the tests load it too,
      // see jest.config.js), and the small helpers the CommonJS conversion adds, which both of
      // those use.
      chunkFileNames: (chunk) => `chunks/${chunkName(chunk)}.js`,
      // undici and the HTTP client that builds its proxy dispatcher, loaded only when a proxy
      // is set (src/github/proxy.ts); the CommonJS helpers, which they share with code every run
      // loads, in a chunk of their own, or Rollup would put them with undici.
      manualChunks: (id) => (id.includes('commonjsHelpers') ? COMMONJS_HELPERS_CHUNK : /\/node_modules\/(undici|@actions\/http-client)\/|\/src\/github\/proxy-fetch\.ts$/.test(id) ? GITHUB_PROXY_CHUNK : undefined),
      banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
      sourcemap: false,
    },
  };
}

const CLIENT_UNDICI = '\0client-node-undici';

/**
 * @kubernetes/client-node's kubeconfig module imports its own undici (1.6 MB, a second copy of
 * it) only for the library's fetch-based API classes: their dispatchers and their fetch. Slipway connects
 * through `applyToHTTPSOptions`, which uses Node's https agents, so loading undici there cost
 * every run with a kubeconfig a tenth of a second for nothing. The bundle gives that module
 * classes that say so if anything ever constructs them.
 */
function withoutClientFetchDispatchers() {
  return {
    name: 'without-client-fetch-dispatchers',
    resolveId(source, importer) {
      return source === 'undici' && importer?.includes('/@kubernetes/client-node/dist/') ? CLIENT_UNDICI : null;
    },
    load(id) {
      if (id !== CLIENT_UNDICI) return null;
      return [
        'class NotBundled {',
        '  constructor() {',
        "    throw new Error('Slipway does not bundle undici for @kubernetes/client-node: connect with applyToHTTPSOptions, not its fetch-based API classes.');",
        '  }',
        '}',
        'export { NotBundled as Agent, NotBundled as ProxyAgent };',
        'export function fetch() {',
        '  return Promise.reject(new NotBundled());',
        '}',
      ].join('\n');
    },
  };
}

const GITHUB_PROXY_CHUNK = 'github-proxy';
const COMMONJS_HELPERS_CHUNK = 'commonjs-helpers';

function chunkName(chunk) {
  if (chunk.name === GITHUB_PROXY_CHUNK || chunk.name === COMMONJS_HELPERS_CHUNK) return chunk.name;
  if (chunk.isDynamicEntry) return chunk.facadeModuleId?.includes('@kubernetes/client-node') ? 'kubernetes-client' : chunk.name;
  return 'shared';
}

/** Records which sources dist/ was built from, so the end-to-end tests can use it without building again. */
function recordDistInputs() {
  const inputs = inputsHash('.');
  return {
    name: 'record-dist-inputs',
    writeBundle() {
      mkdirSync(BUNDLE_CACHE, { recursive: true });
      writeFileSync(DIST_STAMP, JSON.stringify({ inputs, output: outputHash('dist') }) + '\n');
    },
  };
}

const dist = bundleConfig('dist');
export default { ...dist, plugins: [...dist.plugins, recordDistInputs()] };
