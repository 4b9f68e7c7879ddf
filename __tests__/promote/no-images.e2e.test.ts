/**
 * Environments whose images live in a Flux HelmRelease's values or an Argo CD Application's helm
 * parameters render no containers: a promotion says "no container images found in the render"
 * (naming the objects that hold them), not "already up to date".
 */
import { promote } from '../support/host-runner.js';
import { parseImageRequests } from '../../src/promote/select-images.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { environment, pipeline } from './support.js';

const helmRelease = (tag: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      sourceRef: { kind: HelmRepository, name: podinfo }
  values:
    image:
      repository: ghcr.io/stefanprodan/podinfo
      tag: ${tag}
`;

const application = (tag: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://example.com/charts.git
    path: helm-guestbook
    helm:
      parameters:
        - name: image.tag
          value: ${tag}
  destination: { server: https://kubernetes.default.svc, namespace: guestbook }
`;

let repo: TestRepo;
afterEach(() => repo.cleanup());

describe('images the render does not hold', () => {
  it('Flux HelmRelease values: the source has no container images in its render', async () => {
    repo = createTestRepo({ files: { 'clusters/dev/podinfo.yaml': helmRelease('6.5.0'), 'clusters/staging/podinfo.yaml': helmRelease('6.4.0') } });
    const config = pipeline(repo.dir, [environment({ name: 'dev', path: 'clusters/dev' }), environment({ name: 'staging', path: 'clusters/staging', promoteFrom: 'dev' })]);
    await expect(promote({ root: repo.dir, config, to: 'staging', mode: 'working-tree', dryRun: false })).rejects.toThrow(
      /^No container images found in the render of source environment dev \(clusters\/dev\): it holds HelmRelease\.helm\.toolkit\.fluxcd\.io\/flux-system\/podinfo, whose images are rendered by their controller/,
    );
  });

  it('Argo CD Application helm parameters with a pin: the target has no container images in its render', async () => {
    repo = createTestRepo({ files: { 'apps/prod/guestbook.yaml': application('v6') } });
    const config = pipeline(repo.dir, [environment({ name: 'prod', path: 'apps/prod' })]);
    await expect(
      promote({ root: repo.dir, config, to: 'prod', images: parseImageRequests(['ghcr.io/acme/guestbook=v7']), mode: 'working-tree', dryRun: false }),
    ).rejects.toThrow(/^No container images found in the render of target environment prod \(apps\/prod\): it holds Application\.argoproj\.io\/argocd\/guestbook/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
