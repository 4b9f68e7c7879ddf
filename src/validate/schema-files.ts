/**
 * The file-system side of `schemas:` directories: reads a schema file only when it resolves,
 * symlinks included, to a regular file inside its directory (the directory itself was checked
 * to be inside the repository when the config was loaded).
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { SchemaFileReader } from './external-schemas.js';

export const fileSystemSchemaReader: SchemaFileReader = {
  read(directory, relativePath) {
    if (relativePath.split('/').some((part) => part === '..' || part === '')) return undefined;
    try {
      const base = realpathSync(directory.absolute);
      const real = realpathSync(join(base, ...relativePath.split('/')));
      const inside = relative(base, real);
      if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside) || !statSync(real).isFile()) return undefined;
      return readFileSync(real, 'utf8');
    } catch {
      return undefined;
    }
  },
};
