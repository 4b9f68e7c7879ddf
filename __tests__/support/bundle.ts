/**
 * The bundled entry points the end-to-end tests run: built from the current sources by the e2e
 * project's global setup (bundle-setup.mjs), which names their directory in SLIPWAY_BUNDLE_DIR.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export function bundledEntry(name: 'index' | 'cli'): string {
  const dir = process.env.SLIPWAY_BUNDLE_DIR;
  if (!dir) throw new Error('SLIPWAY_BUNDLE_DIR is not set: bundled entry points are for end-to-end tests (files named *.e2e.test.ts), whose setup builds them.');
  const entry = join(dir, `${name}.js`);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: the e2e setup did not build the bundle.`);
  return entry;
}
