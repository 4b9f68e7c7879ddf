/**
 * The bundled entry points the end-to-end tests run, built from the current sources (never a
 * stale dist/) by scripts/test-bundle.mjs, under a lock so that parallel test files build once.
 * Building takes minutes on a busy machine: call prepareBundle() from beforeAll with
 * BUNDLE_TIMEOUT_MS, so that no single test's timeout pays for it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const BUNDLE_TIMEOUT_MS = 900_000;

let prepared: Promise<string> | undefined;

/** The bundle's directory, built when the sources changed since the last build. */
export function prepareBundle(): Promise<string> {
  prepared ??= (async () => {
    mkdirSync('.bundle', { recursive: true });
    const { stdout } = await promisify(execFile)('flock', [join('.bundle', 'build.lock'), process.execPath, join('scripts', 'test-bundle.mjs')], {
      timeout: BUNDLE_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim().split('\n').at(-1)!;
  })();
  return prepared;
}

export async function bundledEntry(name: 'index' | 'cli'): Promise<string> {
  return join(await prepareBundle(), `${name}.js`);
}
