import { isBuiltinNamespaced, lookupBuiltinKind, schemaKubernetesVersion } from '../../src/validate/builtin-kinds.js';
import { builtinSchemaData } from '../../src/validate/schemas/builtin.js';

describe('generated built-in schema table', () => {
  it('knows kinds, their root types and scope', () => {
    expect(lookupBuiltinKind('apps/v1', 'Deployment')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', typeName: 'V1Deployment', namespaced: true });
    expect(isBuiltinNamespaced('', 'Namespace')).toBe(false);
    expect(isBuiltinNamespaced('rbac.authorization.k8s.io', 'ClusterRoleBinding')).toBe(false);
    expect(isBuiltinNamespaced('networking.k8s.io', 'Ingress')).toBe(true);
    expect(schemaKubernetesVersion).toMatch(/^1\.\d+$/);
  });

  it('carries required fields and quantities from kubernetes-models', () => {
    const [containerFields, containerRequired] = builtinSchemaData.types.V1Container;
    expect(containerRequired).toEqual(['name']);
    expect(containerFields.image).toBe('s');
    expect(builtinSchemaData.types.V1ResourceRequirements[0].limits).toBe('{q');
    expect(builtinSchemaData.types.V1EmptyDirVolumeSource[0].sizeLimit).toBe('q');
    expect(builtinSchemaData.types.V1ServicePort[0].targetPort).toBe('is');
    expect(builtinSchemaData.types.V1ServicePort[1]).toEqual(['port']);
  });
});
