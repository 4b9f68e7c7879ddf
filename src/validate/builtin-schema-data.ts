/**
 * Shape of the generated built-in schema table (src/validate/schemas/builtin.ts, written by
 * scripts/generate-schemas.ts). Kept tiny so loading it costs one JSON.parse.
 *
 * Type references are short strings: `s` string, `i` integer, `n` number, `b` boolean,
 * `t` date-time string, `q` quantity, `is` int-or-string, `a` anything, `[X` array of X,
 * `{X` map of string to X; anything else names an entry of `types`.
 */
export interface BuiltinSchemaData {
  /** Kubernetes release the models were generated from, e.g. `1.36`. */
  kubernetesVersion: string;
  /** apiVersion -> kind -> [root type name, 1 when namespaced else 0]. */
  kinds: Record<string, Record<string, [string, 0 | 1]>>;
  /** type name -> [field name -> type reference, required field names]. */
  types: Record<string, [Record<string, string>, string[]]>;
}
