/** Validation stage: rendered objects in, findings out. */
export { validateObjects, type ValidationContext, type ValidationEnvironment } from './validate-objects.js';
export { collectCrdSchemas, emptyCrdSchemaIndex, CrdSchemaIndex, type CrdDefinition, type CrdVersion } from './crd-schemas.js';
export { deprecationStatus, type DeprecatedApi } from './deprecated-apis.js';
export { schemaKubernetesVersion } from './builtin-kinds.js';
export { ExternalSchemas, type SchemaFileReader } from './external-schemas.js';
export { fileSystemSchemaReader } from './schema-files.js';
