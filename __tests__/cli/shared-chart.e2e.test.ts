/**
 * The bundled CLI over a repository with two environments on one Helm chart directory
 * (helm-guestbook, and helm-guestbook-prod adding values-production.yaml): a pin promoted to
 * prod goes into values-production.yaml only; the environment without a values file of its own
 * is refused, naming the other one; the shared values.yaml is never touched.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_TIMEOUT_MS, bundledEntry } from '../support/bundle.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const VALUES = 'replicaCount: 1\nimage:\n  repository: ghcr.io/acme/guestbook\n  tag: v6\n';
const FILES = {
  'slipway.yaml': `environments:
  - name: helm-guestbook
    path: apps/helm-guestbook
    namespace: guestbook
  - name: helm-guestbook-prod
    path: apps/helm-guestbook
    namespace: guestbook-prod
    helm:
      valuesFiles: [values-production.yaml]
`,
  'apps/helm-guestbook/Chart.yaml': 'apiVersion: v2\nname: helm-guestbook\nversion: 0.1.0\n',
  'apps/helm-guestbook/values.yaml': VALUES,
  'apps/helm-guestbook/values-production.yaml': 'replicaCount: 3\n',
  'apps/helm-guestbook/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels: { app: guestbook }
  template:
    metadata:
      labels: { app: guestbook }
    spec:
      containers:
        - name: guestbook
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`,
};

let repo: TestRepo;
let cli: string;
beforeAll(async () => {
  cli = await bundledEntry('cli');
}, BUNDLE_TIMEOUT_MS);
beforeEach(() => {
  repo = createTestRepo({ files: FILES });
});
afterEach(() => repo.cleanup());

function slipway(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args, '--repo', repo.dir], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: join(repo.dir, 'no-kubeconfig') },
    timeout: 600_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bundled CLI: two environments on one chart', () => {
  it('promotes a name:tag pin into values-production.yaml only, committed locally', () => {
    const result = slipway('promote', '--to', 'helm-guestbook-prod', '--image', 'ghcr.io/acme/guestbook:v7', '--commit');
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('apps/helm-guestbook/values-production.yaml:3  ghcr.io/acme/guestbook  v6 -> v7\n');
    expect(readFileSync(join(repo.dir, 'apps/helm-guestbook/values.yaml'), 'utf8')).toBe(VALUES);
    expect(readFileSync(join(repo.dir, 'apps/helm-guestbook/values-production.yaml'), 'utf8')).toBe('replicaCount: 3\nimage:\n  tag: v7\n');
    expect(repo.git('show', '--format=%s', '--name-only', 'HEAD')).toBe('promote to helm-guestbook-prod: guestbook v6 -> v7\n\napps/helm-guestbook/values-production.yaml');
  });

  it('refuses the environment with no values file of its own, naming the other (exit 2), and changes nothing', () => {
    const result = slipway('promote', '--to', 'helm-guestbook', '--image', 'ghcr.io/acme/guestbook=v7');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/apps\/helm-guestbook\/values\.yaml:4 sets ghcr\.io\/acme\/guestbook for helm-guestbook, but environment helm-guestbook-prod reads apps\/helm-guestbook\/values\.yaml too/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('validates both environments', () => {
    const result = slipway('validate');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2 environment(s), 2 object(s) checked.');
  });
});
