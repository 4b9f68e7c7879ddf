/** A small GitOps repository for end-to-end runs: a shared kustomize base and two overlays. */
export const READY_DEPLOYMENT_STATUS = (generation: number, replicas = 1) => ({
  observedGeneration: generation,
  replicas,
  updatedReplicas: replicas,
  readyReplicas: replicas,
  availableReplicas: replicas,
  conditions: [
    { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web" has successfully progressed.' },
  ],
});

export const STALLED_DEPLOYMENT_STATUS = (generation: number) => ({
  observedGeneration: generation,
  replicas: 1,
  updatedReplicas: 1,
  unavailableReplicas: 1,
  conditions: [
    { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.' },
  ],
});

const overlay = (env: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${env}
resources:
  - ../../base
  - namespace.yaml
configMapGenerator: []
`;

export function gitopsFiles(): Record<string, string> {
  return {
    'slipway.yaml': `environments:
  - name: dev
    path: envs/dev
    namespace: dev
  - name: prod
    path: envs/prod
    namespace: prod
defaults:
  wait: { timeout: 20s }
`,
    'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - config.yaml\n',
    'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
`,
    'base/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  LOG_LEVEL: info
`,
    'envs/dev/kustomization.yaml': overlay('dev'),
    'envs/dev/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n',
    'envs/prod/kustomization.yaml': overlay('prod'),
    'envs/prod/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n',
  };
}
