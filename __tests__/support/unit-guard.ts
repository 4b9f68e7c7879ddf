/**
 * Unit tests run no process and open no socket: while a unit test file runs, starting a child
 * process, connecting a socket or listening on one throws, naming what was tried. A test that
 * needs real Git, kubectl, helm or a loopback server is an end-to-end test: name its file
 * `*.e2e.test.ts` (see jest.config.js).
 */
import { createRequire } from 'node:module';

// Node's own modules, not jest's ESM wrappers: a wrapper copies the functions when first
// imported, so the patch must be in place before any test file imports child_process.
const require = createRequire(import.meta.url);
const childProcess = require('node:child_process') as typeof import('node:child_process');
const net = require('node:net') as typeof import('node:net');

const HINT = 'unit tests run no processes and open no sockets: use an in-memory port, or name the file *.e2e.test.ts';

type Patch = { target: Record<string, unknown>; name: string; original: unknown };
const patches: Patch[] = [];

function forbid(target: object, name: string, describe: (args: unknown[]) => string): void {
  const record = target as Record<string, unknown>;
  patches.push({ target: record, name, original: record[name] });
  record[name] = (...args: unknown[]) => {
    throw new Error(`${describe(args)}: ${HINT}.`);
  };
}

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  forbid(childProcess, name, (args) => `child_process.${name}(${JSON.stringify(String(args[0]))})`);
}
forbid(net.Socket.prototype, 'connect', () => 'a socket connection');
forbid(net.Server.prototype, 'listen', () => 'a listening server');

// The patched functions live on Node's shared modules: put them back for the next test file in this worker.
afterAll(() => {
  for (const { target, name, original } of patches.reverse()) target[name] = original;
});
