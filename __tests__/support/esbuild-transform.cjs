// Jest's transform for the TypeScript sources and tests: esbuild strips the types of each file on
// its own (tsconfig.json has isolatedModules, so every file can be compiled alone), in a fraction
// of the time the TypeScript compiler takes; a fresh checkout compiles every file once before the
// cache holds it. Type checking is `npm run typecheck`'s job. The emit follows tsconfig.json:
// ES2023, class fields with define semantics, imports used only as types left out.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { transformSync } = require('esbuild');

const TSCONFIG = { compilerOptions: { target: 'ES2023', useDefineForClassFields: true } };
const OWN = createHash('sha256').update(readFileSync(require.resolve('./esbuild-transform.cjs'))).update(require('esbuild/package.json').version).digest('hex');

module.exports = {
  getCacheKey(source, path, options) {
    return createHash('sha256').update(OWN).update('\0').update(path).update('\0').update(String(options.supportsStaticESM)).update('\0').update(source).digest('hex');
  },
  process(source, path, options) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: options.supportsStaticESM ? 'esm' : 'cjs',
      target: 'es2023',
      tsconfigRaw: TSCONFIG,
      sourcemap: true,
      sourcefile: path,
    });
    return { code, map };
  },
};
