import { BUILTIN_ENUMS } from '../../src/validate/server/enums.js';
import { builtinSchemaData } from '../../src/validate/schemas/builtin.js';
import { byRule, deploymentYaml, validateYaml } from './helpers.js';

describe('enumerations of built-in fields (server-enum)', () => {
  it('names only types and string fields the schema table has', () => {
    for (const [typeName, fields] of Object.entries(BUILTIN_ENUMS)) {
      const type = builtinSchemaData.types[typeName];
      expect([typeName, type !== undefined]).toEqual([typeName, true]);
      for (const field of Object.keys(fields)) expect([typeName, field, type[0][field]]).toEqual([typeName, field, expect.stringMatching(/^\[?s$/)]);
    }
  });

  it('refuses values outside the documented ones, at the field, with the allowed values', () => {
    const text = deploymentYaml(
      `          imagePullPolicy: IfNotPresnt
          ports: [{containerPort: 80, protocol: tcp}]
`,
      `      dnsPolicy: ClusterFirst
      restartPolicy: Always
`,
      `  strategy: {type: Rolling}
`,
    );
    const findings = byRule(validateYaml(text), 'server-enum');
    expect(findings.map((f) => [f.line, f.message])).toEqual([
      [10, 'spec.strategy.type: unsupported value "Rolling": supported values: "Recreate", "RollingUpdate"'],
      [18, 'spec.template.spec.containers[0].imagePullPolicy: unsupported value "IfNotPresnt": supported values: "Always", "IfNotPresent", "Never"'],
      [19, 'spec.template.spec.containers[0].ports[0].protocol: unsupported value "tcp": supported values: "TCP", "UDP", "SCTP"'],
    ]);
  });

  it('checks items of string lists, and every kind that embeds the type', () => {
    const text = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec:
  type: LoadBalancer
  ipFamilies: [IPv4, ipv6]
  externalTrafficPolicy: Local
  ports: [{port: 53, protocol: UDP}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: apps}
spec:
  rules: [{http: {paths: [{path: /, pathType: prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: apps}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Percent, averageUtilization: 60}}}]
`;
    expect(byRule(validateYaml(text), 'server-enum').map((f) => f.message.split(':')[0])).toEqual([
      'spec.ipFamilies[1]',
      'spec.rules[0].http.paths[0].pathType',
      'spec.metrics[0].resource.target.type',
    ]);
  });

  it('accepts empty strings (unset, defaulted by the server) and every documented value', () => {
    const text = deploymentYaml('          imagePullPolicy: ""\n          ports: [{containerPort: 80, protocol: SCTP}]\n', '      dnsPolicy: None\n      dnsConfig: {nameservers: [1.1.1.1]}\n', '  strategy: {type: Recreate}\n');
    expect(validateYaml(text)).toEqual([]);
  });
});
