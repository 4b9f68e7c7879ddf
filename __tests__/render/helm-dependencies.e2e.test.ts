import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { removeDir, tempDir } from '../exec/temp-repo.js';
import { renderEnvironment } from '../support/host-runner.js';
import { testEnvironment } from '../support/environment.js';

const ROOT = resolve('__tests__/fixtures/render/helm-deps');

const environment = testEnvironment;

const placed = (result: Awaited<ReturnType<typeof renderEnvironment>>) =>
  result.objects.map((o) => `${o.object.kind}/${o.object.metadata.name} ${o.source?.file}:${o.source?.line}`);

describe('helm chart dependencies', () => {
  afterEach(() => {
    // Never written into the checkout.
    for (const env of ['shop', 'remote', 'oci']) expect(readdirSync(join(ROOT, 'envs', env)).sort()).not.toContain('charts');
  });

  it('builds a file:// dependency pinned by Chart.lock into a temporary copy and renders it', async () => {
    const result = await renderEnvironment(environment('shop'), { root: ROOT });
    expect(result.findings).toEqual([]);
    expect(placed(result)).toEqual(['ConfigMap/shop-common charts/common/templates/configmap.yaml:2', 'Service/shop-web envs/shop/templates/service.yaml:2']);
    expect(result.objects[0]!.object.data).toEqual({ team: 'checkout' });
    expect(existsSync(join(ROOT, 'envs/shop/charts'))).toBe(false);
  });

  it('names the chart, the dependency and the repository when the repository cannot be reached', async () => {
    const result = await renderEnvironment(environment('remote'), { root: ROOT });
    expect(result.objects).toEqual([]);
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'helm-dependency', file: 'envs/remote/Chart.yaml', environment: 'remote' })]);
    expect(result.findings[0]!.message).toMatch(
      /^helm could not fetch the dependencies of chart "storefront" \(envs\/remote\/Chart\.yaml\) for environment "remote": "redis" 19\.0\.2 from http:\/\/127\.0\.0\.1:9\/charts\.\n[\s\S]*connection refused[\s\S]*helm dependency build envs\/remote/,
    );
  });

  it('treats an oci:// dependency the same way', async () => {
    const result = await renderEnvironment(environment('oci'), { root: ROOT });
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'helm-dependency', file: 'envs/oci/Chart.yaml' })]);
    expect(result.findings[0]!.message).toMatch(/chart "storefront" .*"podinfo" 6\.5\.0 from oci:\/\/127\.0\.0\.1:9\/charts\.\n[\s\S]*connection refused/);
  });
});

describe('helm chart dependencies from an http repository', () => {
  let server: Server;
  let served: string;
  let repo: string;
  beforeAll(async () => {
    served = tempDir();
    execFileSync('helm', ['package', join(ROOT, 'charts/common'), '-d', served], { env: process.env });
    server = createServer((req, res) => {
      const file = join(served, String(req.url).replace(/^\/+/, ''));
      if (!existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200).end(readFileSync(file));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    execFileSync('helm', ['repo', 'index', served, '--url', url], { env: process.env });
    repo = tempDir();
    mkdirSync(join(repo, 'envs/web/templates'), { recursive: true });
    writeFileSync(join(repo, 'envs/web/Chart.yaml'), `apiVersion: v2\nname: web\nversion: 1.0.0\ndependencies:\n  - name: common\n    version: 1.2.0\n    repository: ${url}\n`);
    writeFileSync(join(repo, 'envs/web/templates/service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports: [{port: 80}]\n');
    // As committed: Chart.lock from `helm dependency update`, charts/ left out (e.g. by .gitignore).
    const scratch = tempDir();
    cpSync(join(repo, 'envs/web'), scratch, { recursive: true });
    // Asynchronously: the repository is served by this very process.
    await promisify(execFile)('helm', ['dependency', 'update', scratch, '--repository-config', join(scratch, 'none.yaml'), '--repository-cache', join(scratch, 'cache')], { env: process.env });
    cpSync(join(scratch, 'Chart.lock'), join(repo, 'envs/web/Chart.lock'));
    removeDir(scratch);
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
    removeDir(served);
    removeDir(repo);
  });

  it('fetches the dependency without helm repo add and renders the subchart, leaving the checkout as it was', async () => {
    const result = await renderEnvironment(environment('web'), { root: repo });
    expect(result.findings).toEqual([]);
    expect(result.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual(['ConfigMap/web-common', 'Service/web']);
    expect(readdirSync(join(repo, 'envs/web')).sort()).toEqual(['Chart.lock', 'Chart.yaml', 'templates']);
  });
});

describe('kustomize helmCharts', () => {
  it('renders with --enable-helm, using the helm Slipway found', async () => {
    const result = await renderEnvironment(environment('search'), { root: ROOT });
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(result.objects.map((o) => [o.object.kind, o.object.metadata.name, o.object.metadata.namespace, o.object.data])).toEqual([
      ['ConfigMap', 'search-common', 'search', { team: 'search' }],
    ]);
    expect(result.objects[0]!.source).toEqual({ file: 'envs/search/kustomization.yaml', line: 1, column: 1 });
  });
});
