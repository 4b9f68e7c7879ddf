import { byRule, deploymentYaml, validateYaml } from './helpers.js';

const duplicates = (text: string) => byRule(validateYaml(text), 'list-map-duplicate').map((f) => f.message);

describe('list-map keys after defaults (list-map-duplicate)', () => {
  it('refuses two ports with the same containerPort once protocol defaults to TCP', () => {
    expect(duplicates(deploymentYaml('          ports: [{containerPort: 80, name: http}, {containerPort: 80, protocol: TCP, name: web}]\n'))).toEqual([
      'spec.template.spec.containers[0].ports[1]: duplicate entries for key [containerPort=80, protocol="TCP"]: spec.template.spec.containers[0].ports[0] has the same key; server-side apply refuses the object',
    ]);
  });

  it('accepts the same containerPort over TCP and UDP', () => {
    expect(duplicates(deploymentYaml('          ports: [{containerPort: 53, name: dns}, {containerPort: 53, protocol: UDP, name: dns-udp}]\n'))).toEqual([]);
  });

  it('refuses repeated env names, volume names, mount paths and container names', () => {
    const text = deploymentYaml(
      `          env: [{name: A, value: "1"}, {name: A, value: "2"}]
          volumeMounts: [{name: a, mountPath: /data}, {name: b, mountPath: /data}]
`,
      `        - name: web
          image: nginx:1.27.1
      volumes: [{name: a, emptyDir: {}}, {name: b, emptyDir: {}}, {name: a, configMap: {name: x}}]
`,
    );
    expect(duplicates(text).map((m) => m.split(': ')[0])).toEqual([
      'spec.template.spec.volumes[2]',
      'spec.template.spec.containers[1]',
      'spec.template.spec.containers[0].env[1]',
      'spec.template.spec.containers[0].volumeMounts[1]',
    ]);
  });

  it('refuses Service ports with the same port and protocol', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: apps}\nspec:\n  ports: [{name: a, port: 80}, {name: b, port: 80, protocol: TCP}, {name: c, port: 80, protocol: UDP}]\n';
    expect(duplicates(text)).toEqual([expect.stringContaining('spec.ports[1]: duplicate entries for key [port=80, protocol="TCP"]')]);
  });
});
