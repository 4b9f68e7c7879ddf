/**
 * Paths in slipway.yaml are repository-relative and must stay inside the repository, also
 * through symlinks: Slipway may run with cluster credentials, so a config must not make it
 * read files elsewhere on the runner.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative, sep } from 'node:path';

export type PathCheck = { path: string } | { problem: string };

/**
 * Normalises `path` (relative to `base`, itself relative to the repository root) and checks
 * that it exists as the wanted kind inside the repository. Returns the repository-relative path.
 */
export function checkRepositoryPath(rootReal: string, base: string, path: string, kind: 'directory' | 'file'): PathCheck {
  const slashed = path.replace(/\\/g, '/');
  if (isAbsolute(path) || slashed.startsWith('/')) {
    return { problem: `"${path}" is an absolute path; write it relative to the ${base === '.' ? 'repository root' : `directory ${base}`}` };
  }
  const normalised = posix.normalize(posix.join(base, slashed)).replace(/\/+$/, '') || '.';
  if (normalised === '..' || normalised.startsWith('../')) {
    return { problem: `"${path}" points outside the repository (it resolves to ${normalised}); use a path inside the repository` };
  }
  const full = join(rootReal, ...normalised.split('/'));
  let real: string;
  try {
    real = realpathSync(full);
  } catch {
    return { problem: `${kind} "${normalised}" does not exist in the repository; create it or fix the path` };
  }
  const inside = relative(rootReal, real);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return { problem: `"${normalised}" is a symlink to ${real}, outside the repository; point it at a directory inside the repository` };
  }
  const stat = statSync(real);
  if (kind === 'directory' ? !stat.isDirectory() : !stat.isFile()) {
    return { problem: `"${normalised}" is not a ${kind}; it must name a ${kind} in the repository` };
  }
  return { path: normalised };
}
