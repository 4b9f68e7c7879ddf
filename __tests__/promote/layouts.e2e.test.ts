import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promote } from '../support/host-runner.js';
import { parseImageRequests } from '../../src/promote/select-images.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { DIGEST_C, environment, fixtureRepo, pipeline } from './support.js';

const repos: TestRepo[] = [];
afterEach(() => {
  while (repos.length) repos.pop()!.cleanup();
});
function track(repo: TestRepo): TestRepo {
  repos.push(repo);
  return repo;
}
const devToStaging = (root: string, base: string) =>
  pipeline(root, [environment({ name: 'dev', path: `${base}/dev` }), environment({ name: 'staging', path: `${base}/staging`, promoteFrom: 'dev' })]);

describe('Helm values in several conventions', () => {
  it('edits image.tag, a registry/repository/tag flow map and an image: string, keeping each quoting style', async () => {
    const repo = track(fixtureRepo('helm'));
    const result = await promote({ root: repo.dir, config: devToStaging(repo.dir, 'envs'), to: 'staging', mode: 'working-tree', dryRun: false });
    expect(result.changes.map(({ image, from, to, line }) => ({ image, from, to, line }))).toEqual([
      { image: 'ghcr.io/acme/api', from: '2.0.0', to: '2.1.0', line: 4 },
      { image: 'ghcr.io/acme/worker', from: '1.9', to: '1.10', line: 7 },
      { image: 'ghcr.io/acme/sidecar', from: '0.1.0', to: '0.2.0', line: 9 },
    ]);
    // `1.10` written plain would be read back as the number 1.1, so that one value gains quotes.
    expect(readFileSync(join(repo.dir, 'envs/staging/values.yaml'), 'utf8')).toBe(
      [
        '# API image (single-quoted on purpose)',
        'image:',
        '  repository: ghcr.io/acme/api',
        "  tag: '2.1.0'   # bumped by promotion",
        '',
        'worker:',
        '  image: {registry: ghcr.io, repository: acme/worker, tag: "1.10"}',
        'sidecar:',
        '  image: ghcr.io/acme/sidecar:0.2.0',
        '',
      ].join('\n'),
    );
  });

  it('an image written only in a chart template is an error that says where it is set', async () => {
    const repo = track(fixtureRepo('helm'));
    await expect(
      promote({ root: repo.dir, config: devToStaging(repo.dir, 'envs'), to: 'staging', images: parseImageRequests(['ghcr.io/acme/exporter=0.6.0']), mode: 'working-tree', dryRun: false }),
    ).rejects.toThrow(/ghcr\.io\/acme\/exporter is set outside the target directory envs\/staging \(used by Deployment\/api.*\)[\s\S]*values file of envs\/staging/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});

describe('plain manifests', () => {
  it('edits image: fields in a Deployment, and in a custom resource pod template written as a flow map', async () => {
    const repo = track(fixtureRepo('plain'));
    const result = await promote({ root: repo.dir, config: devToStaging(repo.dir, 'envs'), to: 'staging', mode: 'working-tree', dryRun: false });
    expect(result.changes).toEqual([
      { image: 'ghcr.io/acme/web', from: '3.1.0', to: '3.2.0', file: 'envs/staging/app.yaml', line: 14 },
      { image: 'ghcr.io/acme/canary', from: '1.0.0', to: '1.1.0', file: 'envs/staging/canary.yaml', line: 9 },
    ]);
    expect(repo.git('diff', '-U0').split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual([
      '-          image: "ghcr.io/acme/web:3.1.0"   # quoted, with a comment',
      '+          image: "ghcr.io/acme/web:3.2.0"   # quoted, with a comment',
      "-        - {name: canary, image: 'ghcr.io/acme/canary:1.0.0'}",
      "+        - {name: canary, image: 'ghcr.io/acme/canary:1.1.0'}",
    ]);
  });
});

const UGLY = [
  '\uFEFF# Deliberately ugly: every byte of this file but four values must survive a promotion.',
  '---',
  'apiVersion:   apps/v1   # extra spaces',
  'kind: Deployment',
  'metadata: {name: web,   labels: {app: web}}',
  'spec:',
  '   selector:',
  '       matchLabels: {app: web}',
  '   template:',
  '       metadata: {labels: {app: web}}',
  '       spec:',
  '',
  '           # the app itself',
  '           containers:',
  '           -   name: web',
  "               image: &webimg 'ghcr.io/acme/web:1.0.0'   # anchored, single-quoted",
  '               env: [{name: A, value: "x"}]',
  '           - {name: api, image: "ghcr.io/acme/api:1.0.0" , ports: [{containerPort: 80}]}',
  '           -   name: worker',
  '               image: ghcr.io/acme/worker:1.0.0    # plain',
  '           initContainers:',
  '             - name: web-init',
  '               image: *webimg',
  '...',
  '---',
  '# second document: a Job runs the same worker, written differently',
  'apiVersion: batch/v1',
  'kind: Job',
  'metadata:',
  '  name: once',
  'spec:',
  '  template:',
  '    spec:',
  '      restartPolicy: Never',
  '      containers:',
  '      - name: once',
  '        image: "ghcr.io/acme/worker:1.0.0"',
  '',
].join('\r\n');

const UGLY_PROMOTED = [
  '\uFEFF# Deliberately ugly: every byte of this file but four values must survive a promotion.',
  '---',
  'apiVersion:   apps/v1   # extra spaces',
  'kind: Deployment',
  'metadata: {name: web,   labels: {app: web}}',
  'spec:',
  '   selector:',
  '       matchLabels: {app: web}',
  '   template:',
  '       metadata: {labels: {app: web}}',
  '       spec:',
  '',
  '           # the app itself',
  '           containers:',
  '           -   name: web',
  "               image: &webimg 'ghcr.io/acme/web:1.1.0'   # anchored, single-quoted",
  '               env: [{name: A, value: "x"}]',
  `           - {name: api, image: "ghcr.io/acme/api@${DIGEST_C}" , ports: [{containerPort: 80}]}`,
  '           -   name: worker',
  '               image: ghcr.io/acme/worker:1.10    # plain',
  '           initContainers:',
  '             - name: web-init',
  '               image: *webimg',
  '...',
  '---',
  '# second document: a Job runs the same worker, written differently',
  'apiVersion: batch/v1',
  'kind: Job',
  'metadata:',
  '  name: once',
  'spec:',
  '  template:',
  '    spec:',
  '      restartPolicy: Never',
  '      containers:',
  '      - name: once',
  '        image: "ghcr.io/acme/worker:1.10"',
  '',
].join('\r\n');

describe('golden: a deliberately ugly file', () => {
  it('changes exactly the four values and nothing else, byte for byte', async () => {
    const repo = track(createTestRepo({ files: { 'apps/live/workloads.yaml': UGLY } }));
    const config = pipeline(repo.dir, [environment({ name: 'live', path: 'apps/live' })]);
    const result = await promote({
      root: repo.dir,
      config,
      to: 'live',
      images: parseImageRequests(['ghcr.io/acme/web=1.1.0', `ghcr.io/acme/api@${DIGEST_C}`, 'ghcr.io/acme/worker=1.10']),
      mode: 'working-tree',
      dryRun: false,
    });
    expect(readFileSync(join(repo.dir, 'apps/live/workloads.yaml'), 'utf8')).toBe(UGLY_PROMOTED);
    expect(result.changes.map((c) => `${c.image}@${c.line}`)).toEqual([
      'ghcr.io/acme/web@16',
      'ghcr.io/acme/api@18',
      'ghcr.io/acme/worker@20',
      'ghcr.io/acme/worker@37',
    ]);
    expect(repo.git('diff', '--numstat')).toBe('4\t4\tapps/live/workloads.yaml');
  });
});
