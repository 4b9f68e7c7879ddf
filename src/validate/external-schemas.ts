/**
 * JSON Schemas for custom resources whose CRD is not in the repository, from the `schemas:`
 * directories, in the layout kubeconform and the public CRDs catalogue use:
 * `{group}/{kind}_{version}.json` with the kind in lower case. Files are read through a port
 * on first use and parsed once.
 */
import type { SchemaDirectory } from '../config/types.js';
import { isPlainObject } from '../model/objects.js';

type Schema = Record<string, unknown>;

/** Reads one schema file; undefined when it does not exist (or escapes the repository). */
export interface SchemaFileReader {
  read(directory: SchemaDirectory, relativePath: string): string | undefined;
}

export type ExternalSchemaLookup =
  | { found: true; schema: Schema; file: string }
  | { found: false; searched: string[]; problem?: string };

export class ExternalSchemas {
  private readonly cache = new Map<string, ExternalSchemaLookup>();

  constructor(private readonly reader: SchemaFileReader) {}

  lookup(directories: readonly SchemaDirectory[], group: string, kind: string, version: string): ExternalSchemaLookup {
    const names = [...new Set([`${kind.toLowerCase()}_${version}.json`, `${kind}_${version}.json`])];
    const relativePaths = names.map((name) => (group ? `${group}/${name}` : name));
    const key = JSON.stringify([directories.map((d) => d.absolute), relativePaths]);
    let result = this.cache.get(key);
    if (!result) {
      result = this.search(directories, relativePaths);
      this.cache.set(key, result);
    }
    return result;
  }

  private search(directories: readonly SchemaDirectory[], relativePaths: readonly string[]): ExternalSchemaLookup {
    const searched: string[] = [];
    for (const directory of directories) {
      for (const relativePath of relativePaths) {
        const file = `${directory.path === '.' ? '' : `${directory.path}/`}${relativePath}`;
        const text = this.reader.read(directory, relativePath);
        if (text === undefined) {
          if (!searched.includes(file)) searched.push(file);
          continue;
        }
        let schema: unknown;
        try {
          schema = JSON.parse(text);
        } catch (error) {
          return { found: false, searched: [file], problem: `${file} is not valid JSON (${(error as Error).message}); fix or remove it` };
        }
        if (!isPlainObject(schema)) return { found: false, searched: [file], problem: `${file} does not hold a JSON Schema object` };
        return { found: true, schema, file };
      }
    }
    return { found: false, searched };
  }
}
