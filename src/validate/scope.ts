/** Whether a kind is namespaced: from the built-in schema table, else from a CRD in the repository. */
import { splitApiVersion } from '../model/objects.js';
import { isBuiltinNamespaced } from './builtin-kinds.js';
import type { CrdSchemaIndex } from './crd-schemas.js';

/** True or false when known; undefined for kinds with no schema anywhere. */
export function isNamespacedKind(apiVersion: string, kind: string, crds: CrdSchemaIndex): boolean | undefined {
  const { group } = splitApiVersion(apiVersion);
  return isBuiltinNamespaced(group, kind) ?? crds.lookup(group, kind)?.namespaced;
}
