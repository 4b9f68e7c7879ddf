// Two projects, one run: `unit` (no processes, no sockets: __tests__/support/unit-guard.ts makes
// either throw) and `e2e` (files named *.e2e.test.ts: real Git, kubectl, helm, loopback servers
// and the bundle built from the current sources, see __tests__/support/bundle.ts).
// ESM TypeScript tests, transpiled by ts-jest (type checking is `npm run typecheck`'s job).
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // The client library's kubeconfig module as dist/ bundles it, one file: unbundled it pulls in
    // every generated API class, several hundred files that jest would compile again in each test
    // file that reads a kubeconfig (most of a second each). CI checks that dist/ is current.
    '^@kubernetes/client-node/dist/config\\.js$': '<rootDir>/dist/chunks/kubernetes-client.js',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  setupFiles: ['<rootDir>/__tests__/support/setup-env.ts'],
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$'],
      setupFilesAfterEnv: ['<rootDir>/__tests__/support/unit-guard.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/**/*.e2e.test.ts'],
      // Real processes on a shared, busy machine: a timeout far above the real duration.
      setupFilesAfterEnv: ['<rootDir>/__tests__/support/e2e-timeout.ts'],
    },
  ],
  reporters: ['default', '<rootDir>/scripts/summary-reporter.cjs'],
  // Unit tests take milliseconds; the e2e project raises this (see e2e-timeout.ts).
  testTimeout: 60000,
  maxWorkers: 2,
};
