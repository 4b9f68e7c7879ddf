import { validateYaml } from './helpers.js';

// Shaped like the StatefulSet example of the Kubernetes documentation (web + www claims).
const statefulSet = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: apps}
spec:
  selector:
    matchLabels: {app: nginx}
  serviceName: nginx
  replicas: 3
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
        - name: nginx
          image: registry.k8s.io/nginx-slim:0.24
          volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
    - metadata:
        name: www
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests: {storage: 1Gi}
`;

describe('embedded objects are not top-level objects', () => {
  it('accepts volumeClaimTemplates without apiVersion and kind', () => {
    expect(validateYaml(statefulSet)).toEqual([]);
  });

  it('accepts a CronJob jobTemplate, a pod template and an ephemeral claim template with no name', () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: apps}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: job
              image: busybox:1.36
              volumeMounts: [{name: scratch, mountPath: /scratch}]
          volumes:
            - name: scratch
              ephemeral:
                volumeClaimTemplate:
                  spec:
                    accessModes: [ReadWriteOnce]
                    resources: {requests: {storage: 1Gi}}
`;
    expect(validateYaml(text)).toEqual([]);
  });

  it('still checks the fields of an embedded object', () => {
    const findings = validateYaml(statefulSet.replace('accessModes: [ReadWriteOnce]', 'accesModes: [ReadWriteOnce]'));
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('spec.volumeClaimTemplates[0].spec.accesModes: unknown field "accesModes"');
  });

  it('still requires apiVersion, kind and a name of top-level objects', () => {
    expect(validateYaml('kind: ConfigMap\nmetadata: {name: a}\n')[0].message).toContain('apiVersion');
    expect(validateYaml('apiVersion: v1\nmetadata: {name: a}\n')[0].message).toContain('kind');
    expect(validateYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {a: b}}\n')[0].message).toContain('metadata.name is required');
  });
});
