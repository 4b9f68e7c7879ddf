// Once before any test file: what jest.config.js maps modules to must exist
// (scripts/test-kube-client.mjs). Under the lock the end-to-end bundle is built under, so that
// two runs at once do not build into the same place.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function globalSetup() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  mkdirSync(join(root, '.bundle'), { recursive: true });
  execFileSync('flock', [join(root, '.bundle', 'build.lock'), process.execPath, join('scripts', 'test-kube-client.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}
