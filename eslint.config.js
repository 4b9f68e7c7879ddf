import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The stages of src/ and what each may import (see README, "Layers"). Data flows one way: a
// folder imports only the folders listed for it, never one that runs after it or an entry.
const LAYERS = {
  model: [],
  exec: ['model'],
  config: ['model', 'exec'],
  plan: ['model', 'config'],
  render: ['model', 'exec', 'config'],
  validate: ['model', 'exec', 'config'],
  kube: ['model', 'exec', 'config'],
  changeset: ['model', 'config', 'kube'],
  github: ['model', 'exec'],
  promote: ['model', 'exec', 'config', 'render', 'github'],
  report: ['model', 'exec', 'config', 'plan'],
  init: ['model', 'config', 'render'],
  flows: ['model', 'exec', 'config', 'plan', 'render', 'validate', 'kube', 'changeset', 'promote'],
  action: ['model', 'exec', 'config', 'plan', 'render', 'validate', 'kube', 'changeset', 'promote', 'github', 'report', 'flows'],
  cli: ['model', 'exec', 'config', 'plan', 'render', 'validate', 'kube', 'changeset', 'promote', 'github', 'report', 'flows', 'init'],
};

function layerRules(layer, allowed) {
  const denied = Object.keys(LAYERS).filter((other) => other !== layer && !allowed.includes(other));
  const may = allowed.length > 0 ? `only ${allowed.map((name) => `${name}/`).join(', ')}` : 'nothing else of Slipway';
  const patterns = [{ regex: '^(\\.\\./)+(main|cli)\\.js$', message: 'The entries (src/main.ts, src/cli.ts) are imported by nothing.' }];
  if (denied.length > 0) {
    patterns.push({ regex: `^(\\.\\./)+(${denied.join('|')})(/|\\.js$)`, message: `${layer}/ may import ${may} (README, "Layers").` });
  }
  return { files: [`src/${layer}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
}

export default tseslint.config(
  { ignores: ['dist/**', 'build/**', 'node_modules/**', '.tools/**', 'coverage/**', '.bundle/**', 'examples/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', module: 'writable', require: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  ...Object.entries(LAYERS).map(([layer, allowed]) => layerRules(layer, allowed)),
  {
    // Type-aware: a promise nobody awaits loses its error, and one handed where a void callback is
    // expected runs unobserved.
    files: ['src/**/*.ts', '__tests__/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Only the entries read the environment; everything below them gets what it needs as options,
    // so a test (or a second run in one process) decides it, and nothing depends on hidden state.
    files: ['src/**/*.ts'],
    ignores: ['src/main.ts', 'src/cli.ts', 'src/action/main.ts', 'src/cli/main.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only the entries (src/main.ts, src/cli.ts, src/action/main.ts, src/cli/main.ts) read process.env: pass the setting in as an option.' },
      ],
    },
  },
  {
    // The action's log is written only through src/action/output.ts, which makes every value inert.
    files: ['src/**/*.ts'],
    ignores: ['src/action/output.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='core'][callee.property.name=/^(info|debug|notice|warning|error|setFailed|startGroup|endGroup|group)$/]",
          message: 'Write to the Actions log with writeLog() from src/action/output.ts: it masks secrets and keeps values from starting workflow commands.',
        },
      ],
    },
  },
);
