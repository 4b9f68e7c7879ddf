/**
 * A temporary directory to run the demo in (its TMPDIR, so the demo's workspace lands there and
 * is removed with it). tsx keeps its compile cache under TMPDIR too (`tsx-<uid>`): linked to the
 * cache under this process's own temporary directory, the demo's sources are compiled once for
 * the whole suite instead of afresh on every demo run (two seconds of CPU each).
 */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export function demoTempDir(prefix: string): string {
  const temp = mkdtempSync(join(tmpdir(), prefix));
  const cacheName = `tsx-${process.geteuid?.() ?? userInfo().username}`;
  const sharedCache = join(tmpdir(), cacheName);
  mkdirSync(sharedCache, { recursive: true });
  symlinkSync(sharedCache, join(temp, cacheName), 'dir');
  return temp;
}
