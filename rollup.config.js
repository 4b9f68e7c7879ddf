// Bundles the action entry and the CLI into dist/ (committed: actions run dist/index.js as is).
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

const shared = {
  plugins: [
    typescript({ tsconfig: './tsconfig.build.json', module: 'NodeNext', moduleResolution: 'NodeNext', noEmitOnError: true, outputToFilesystem: false }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json(),
  ],
  onwarn(warning, warn) {
    // Third-party bundles use `this` at top level and have circular imports; both are harmless here.
    if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
};

export default {
  ...shared,
  input: { index: 'src/main.ts', cli: 'src/cli.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name].js',
    banner: (chunk) => (chunk.name === 'cli' ? '#!/usr/bin/env node' : ''),
    sourcemap: false,
  },
};
