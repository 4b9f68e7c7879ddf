/**
 * A file several environments read is never edited for one of them. Two environments on one
 * Helm chart directory (as in Argo CD's example apps: helm-guestbook and helm-guestbook-prod
 * with valuesFiles: [values-production.yaml]): the prod promotion goes into the values file only
 * prod reads (added there when missing: the later values file wins), and a promotion of the
 * environment that has no values file of its own is refused, naming the other one. Helm's
 * precedence decides which values file counts when several set the tag. The same rule holds for
 * a kustomize directory another environment's kustomization includes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promote } from '../support/host-runner.js';
import { parseImageRequests } from '../../src/promote/select-images.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { environment, pipeline } from './support.js';

const CHART = {
  'apps/helm-guestbook/Chart.yaml': 'apiVersion: v2\nname: helm-guestbook\nversion: 0.1.0\n',
  'apps/helm-guestbook/values.yaml': `replicaCount: 1

image:
  repository: ghcr.io/acme/guestbook
  tag: v6   # the default for every environment on this chart
  pullPolicy: IfNotPresent

service:
  port: 80
`,
  'apps/helm-guestbook/values-production.yaml': '# production overrides\nreplicaCount: 3\n',
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
          imagePullPolicy: {{ .Values.image.pullPolicy }}
`,
};

const GUESTBOOK = 'ghcr.io/acme/guestbook';

function chartConfig(root: string) {
  return pipeline(root, [
    environment({ name: 'helm-guestbook', path: 'apps/helm-guestbook', namespace: 'guestbook' }),
    environment({ name: 'helm-guestbook-prod', path: 'apps/helm-guestbook', namespace: 'guestbook-prod', helm: { valuesFiles: ['values-production.yaml'] } }),
  ]);
}

let repo: TestRepo;
afterEach(() => repo.cleanup());
const read = (path: string) => readFileSync(join(repo.dir, path), 'utf8');
const pin = (to: string) => parseImageRequests([`${GUESTBOOK}=${to}`]);

describe('two environments on one Helm chart directory', () => {
  beforeEach(() => {
    repo = createTestRepo({ files: CHART });
  });

  it('promoting prod sets the tag in values-production.yaml (adding it), never in the shared values.yaml', async () => {
    const result = await promote({ root: repo.dir, config: chartConfig(repo.dir), to: 'helm-guestbook-prod', images: pin('v7'), mode: 'working-tree', dryRun: false });
    expect(read('apps/helm-guestbook/values.yaml')).toBe(CHART['apps/helm-guestbook/values.yaml']);
    expect(read('apps/helm-guestbook/values-production.yaml')).toBe('# production overrides\nreplicaCount: 3\nimage:\n  tag: v7\n');
    expect(result.changes).toEqual([{ image: GUESTBOOK, from: 'v6', to: 'v7', file: 'apps/helm-guestbook/values-production.yaml', line: 4 }]);
  });

  it('an image map the prod values file already has gets the tag added inside it', async () => {
    repo.write({ 'apps/helm-guestbook/values-production.yaml': 'replicaCount: 3\nimage:\n  pullPolicy: Always\nresources: {}\n' });
    repo.commit('prod pull policy');
    await promote({ root: repo.dir, config: chartConfig(repo.dir), to: 'helm-guestbook-prod', images: pin('v7'), mode: 'working-tree', dryRun: false });
    expect(read('apps/helm-guestbook/values-production.yaml')).toBe('replicaCount: 3\nimage:\n  pullPolicy: Always\n  tag: v7\nresources: {}\n');
    expect(read('apps/helm-guestbook/values.yaml')).toBe(CHART['apps/helm-guestbook/values.yaml']);
  });

  it('the environment with no values file of its own is refused, naming the other environment; nothing changes', async () => {
    await expect(
      promote({ root: repo.dir, config: chartConfig(repo.dir), to: 'helm-guestbook', images: pin('v7'), mode: 'working-tree', dryRun: false }),
    ).rejects.toThrow(/apps\/helm-guestbook\/values\.yaml:5 sets ghcr\.io\/acme\/guestbook for helm-guestbook, but environment helm-guestbook-prod reads apps\/helm-guestbook\/values\.yaml too/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('values.yaml and values-production.yaml both set the tag: the later file wins and is the one edited', async () => {
    repo.write({ 'apps/helm-guestbook/values-production.yaml': 'replicaCount: 3\nimage:\n  repository: ghcr.io/acme/guestbook\n  tag: v5\n' });
    repo.commit('prod pinned to v5');
    const result = await promote({ root: repo.dir, config: chartConfig(repo.dir), to: 'helm-guestbook-prod', images: pin('v7'), mode: 'working-tree', dryRun: false });
    expect(read('apps/helm-guestbook/values-production.yaml')).toBe('replicaCount: 3\nimage:\n  repository: ghcr.io/acme/guestbook\n  tag: v7\n');
    expect(read('apps/helm-guestbook/values.yaml')).toBe(CHART['apps/helm-guestbook/values.yaml']);
    expect(result.changes).toEqual([{ image: GUESTBOOK, from: 'v5', to: 'v7', file: 'apps/helm-guestbook/values-production.yaml', line: 4 }]);
  });

  it('a tag-only override in values-production.yaml is edited in place', async () => {
    repo.write({ 'apps/helm-guestbook/values-production.yaml': 'image:\n  tag: "v5"\n' });
    repo.commit('prod pinned to v5');
    await promote({ root: repo.dir, config: chartConfig(repo.dir), to: 'helm-guestbook-prod', images: pin('v7'), mode: 'working-tree', dryRun: false });
    expect(read('apps/helm-guestbook/values-production.yaml')).toBe('image:\n  tag: "v7"\n');
  });
});

describe('a kustomize directory another environment includes', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
`;
  beforeEach(() => {
    repo = createTestRepo({
      files: {
        'envs/prod/kustomization.yaml': 'resources:\n  - deployment.yaml\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.0.0\n',
        'envs/prod/deployment.yaml': deployment,
        'envs/prod-eu/kustomization.yaml': 'resources:\n  - ../prod\nnamespace: prod-eu\n',
      },
    });
  });
  const config = () => pipeline(repo.dir, [environment({ name: 'prod', path: 'envs/prod' }), environment({ name: 'prod-eu', path: 'envs/prod-eu' })]);

  it('promoting prod is refused: prod-eu reads its kustomization too', async () => {
    await expect(
      promote({ root: repo.dir, config: config(), to: 'prod', images: parseImageRequests(['ghcr.io/acme/web=1.1.0']), mode: 'working-tree', dryRun: false }),
    ).rejects.toThrow(/envs\/prod\/kustomization\.yaml:5 sets ghcr\.io\/acme\/web for prod, but environment prod-eu reads envs\/prod\/kustomization\.yaml too/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('promoting prod-eu adds an images: entry to its own kustomization', async () => {
    await promote({ root: repo.dir, config: config(), to: 'prod-eu', images: parseImageRequests(['ghcr.io/acme/web=1.1.0']), mode: 'working-tree', dryRun: false });
    expect(read('envs/prod/kustomization.yaml')).toContain('newTag: 1.0.0');
    expect(read('envs/prod-eu/kustomization.yaml')).toBe('resources:\n  - ../prod\nnamespace: prod-eu\nimages:\n  - name: ghcr.io/acme/web\n    newTag: 1.1.0\n');
  });
});
