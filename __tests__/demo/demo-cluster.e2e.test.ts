// `npm run demo -- --cluster` end to end against the loopback Kubernetes API server (which plays
// the Deployment controller): deploy dev and wait, a manual `kubectl scale` by the real kubectl,
// then drift detection; and a KUBECONFIG whose cluster does not answer stops the demo at once.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { demoTempDir } from '../support/demo-temp.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';

const tsx = resolve('node_modules/.bin/tsx');

/** Runs the demo without blocking this process, whose event loop serves the API server. */
function runDemo(env: Record<string, string>): Promise<{ output: string; status: number | null }> {
  return new Promise((done) => {
    const child = spawn(tsx, ['scripts/demo.ts', '--cluster'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ output, status });
    });
  });
}

describe('npm run demo -- --cluster', () => {
  let temp: string;
  let server: FakeKubeApiServer;
  let output: string;
  let status: number | null;

  beforeAll(async () => {
    temp = demoTempDir('slipway-demo-cluster-');
    server = await FakeKubeApiServer.start();
    server.simulateRollouts(20);
    ({ output, status } = await runDemo({ TMPDIR: temp, KUBECONFIG: server.writeKubeconfig(temp, { context: 'kind-demo' }) }));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  const web = () => server.getObject('apps/v1', 'Deployment', 'web', 'shop-dev');

  it('runs to the end and exits 0', () => {
    expect(output).toContain('== What to try next');
    expect(status).toBe(0);
  });

  it('deploys platform and dev to the current context and waits for the rollout by watching', () => {
    expect(output).toContain('== 4a. Deploy dev to your cluster (context kind-demo): apply, prune, wait until healthy');
    expect(output).toContain('dev: success (4 created, 0 updated, 0 deleted, 0 unchanged)');
    expect(server.getObject('v1', 'Namespace', 'shop-dev')).toBeDefined();
    expect(server.getObject('v1', 'ConfigMap', 'web-config', 'shop-dev')?.data).toMatchObject({ FEATURE_CHECKOUT_V2: 'on' });
    expect(web()?.spec).toMatchObject({ template: { spec: { containers: [expect.objectContaining({ image: 'ghcr.io/acme/shop-web:1.6.0' })] } } });
    const scaledAt = server.requests.findIndex((r) => r.path.endsWith('/deployments/web/scale'));
    const watchedBefore = server.requests.slice(0, scaledAt).some((r) => r.query.watch === 'true' && r.path.includes('/deployments'));
    expect(watchedBefore).toBe(true);
  });

  it('scales by hand with the real kubectl, which the server records as its own write', () => {
    expect(output).toContain('$ kubectl scale deployment/web --replicas=5 -n shop-dev\ndeployment.apps/web scaled\n');
    const managers = (web()?.metadata.managedFields ?? []) as { manager: string; subresource?: string; fieldsV1: unknown }[];
    expect(managers).toContainEqual(expect.objectContaining({ manager: 'kubectl', subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }));
  });

  it('reports the drift the scale made, and only reads: the hand-set replicas stay', () => {
    expect(output).toContain('$ slipway drift --env dev\n');
    expect(output).toContain('dev: drifted (0 missing, 1 changed, 0 not in Git)');
    expect(output).toContain('  Deployment shop-dev/web: replicas 5 -> 1\n');
    expect(output).toContain('(Exit code 1: drift found. `slipway drift --env dev --heal` re-applies what Git says.)');
    expect(web()?.spec).toMatchObject({ replicas: 5 });
  });

  it('still promotes afterwards, as the offline demo does', () => {
    expect(output).toMatch(/promote dev -> staging: shop-web 1\.4\.2 -> 1\.6\.0/);
    expect(output).toContain('Title: Promote staging -> prod: shop-web 1.6.0');
  });
});

describe('npm run demo -- --cluster without a cluster that answers', () => {
  let temp: string;

  beforeAll(() => {
    temp = demoTempDir('slipway-demo-nocluster-');
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('stops before anything else, naming the context and what to do', async () => {
    const kubeconfig = join(temp, 'kubeconfig');
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: gone, cluster: { server: "https://127.0.0.1:1" } }]',
        'users: [{ name: me, user: { token: not-a-secret } }]',
        'contexts: [{ name: kind-gone, context: { cluster: gone, user: me } }]',
        'current-context: kind-gone',
        '',
      ].join('\n'),
    );
    const { output, status } = await runDemo({ TMPDIR: temp, KUBECONFIG: kubeconfig });
    expect(status).toBe(2);
    expect(output).toContain(`--cluster: the cluster of context "kind-gone" (KUBECONFIG ${kubeconfig}) did not answer:`);
    expect(output).toContain('Start it (kind, minikube) or switch to another context, then run the demo again.');
    expect(output).not.toContain('== 1. Validate');
  });

  it('without KUBECONFIG says what --cluster needs', async () => {
    const { output, status } = await runDemo({ TMPDIR: temp, KUBECONFIG: '' });
    expect(status).toBe(2);
    expect(output).toContain('--cluster needs KUBECONFIG pointing at a cluster you may write to (kind, minikube, a test cluster).');
  });
});
