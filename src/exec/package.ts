/**
 * Slipway's own package, found from this module (src/exec/ or a chunk of the dist/ bundle), not
 * from the working directory, so `npx slipway` run anywhere finds its own files and version.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageJson {
  name?: unknown;
  version?: unknown;
}

let found: { root: string; version: string } | null | undefined;

function findPackage(): { root: string; version: string } | undefined {
  if (found === undefined) {
    found = null;
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let depth = 0; depth < 5; depth++) {
      const pkg = readPackageJson(join(dir, 'package.json'));
      if (pkg?.name === 'slipway') {
        found = { root: dir, version: typeof pkg.version === 'string' ? pkg.version : 'unknown' };
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return found ?? undefined;
}

function readPackageJson(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

/** Directory of Slipway's package.json; undefined when this code runs outside the package. */
export function packageRoot(): string | undefined {
  return findPackage()?.root;
}

/** The `version` of Slipway's package.json, or `unknown` outside the package. */
export function packageVersion(): string {
  return findPackage()?.version ?? 'unknown';
}
