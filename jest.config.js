// ESM TypeScript tests, transpiled by ts-jest (type checking is `npm run typecheck`'s job).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  setupFiles: ['<rootDir>/__tests__/support/setup-env.ts'],
  reporters: ['default', '<rootDir>/scripts/summary-reporter.cjs'],
  testTimeout: 60000,
  maxWorkers: 2,
};
