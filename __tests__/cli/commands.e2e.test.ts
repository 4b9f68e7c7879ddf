/** The CLI in-process over real Git, real kubectl/kustomize and the loopback API server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { gitopsFiles, READY_DEPLOYMENT_STATUS } from '../action/fixture.js';

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', isTty: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

async function cli(...argv: string[]) {
  const io = capture();
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('slipway CLI', () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = createTestRepo({ files: gitopsFiles() });
  });
  afterEach(() => repo.cleanup());

  it('prints usage for --help and exits 2 on an unknown command', async () => {
    expect((await cli('--help')).out).toMatch(/Usage: slipway/);
    const unknown = await cli('ship');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown command 'ship'\.[\s\S]*validate/);
  });

  it('validates the example repository cleanly', async () => {
    const result = await cli('validate', '--repo', 'examples/gitops');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/No problems found/);
    expect(result.out).toMatch(/4 environment\(s\)/);
  });

  it('reports a schema error with its file and line and exits 1', async () => {
    repo.write({ 'base/deployment.yaml': gitopsFiles()['base/deployment.yaml'].replace('  replicas: 1', '  replicas: 1\n  strategyy: {}') });
    const result = await cli('validate', '--repo', repo.dir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/base\/deployment\.yaml:\d+:\d+\s+error\s+schema/);
    expect(result.out).toMatch(/strategyy/);
    expect(result.out).toMatch(/strategy/);
  });

  it('names the config file line on a config error and exits 2', async () => {
    repo.write({ 'slipway.yaml': 'environments:\n  - name: dev\n    path: envs/dev\n    contxt: x\n' });
    const result = await cli('validate', '--repo', repo.dir);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/slipway\.yaml:4:5/);
    expect(result.err).toMatch(/context/);
  });

  it('plans the environments a change affects, as JSON', async () => {
    const base = repo.head();
    repo.write({ 'envs/prod/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: { tier: gold }\n' });
    const head = repo.commit('label prod');
    const result = await cli('plan', '--repo', repo.dir, '--base', base, '--head', head);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual(['prod']);
  });

  it('diffs two commits without a cluster', async () => {
    const base = repo.head();
    repo.write({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });
    repo.commit('debug logs');
    const result = await cli('diff', '--repo', repo.dir, '--base', base, '--render-only');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/-\s+LOG_LEVEL: info/);
    expect(result.out).toMatch(/\+\s+LOG_LEVEL: debug/);
    expect(result.out).toMatch(/# dev/);
    expect(result.out).toMatch(/# prod/);
  });

  describe('against a cluster', () => {
    let kube: FakeKubeApiServer;
    let dir: string;
    let kubeconfig: string;
    beforeEach(async () => {
      kube = await FakeKubeApiServer.start();
      kube.onRead('Deployment', (o) => READY_DEPLOYMENT_STATUS(Number(o.metadata.generation ?? 1)));
      dir = mkdtempSync(join(tmpdir(), 'slipway-cli-'));
      kubeconfig = kube.writeKubeconfig(dir);
    });
    afterEach(async () => {
      await kube.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('applies an environment, then finds nothing to change and no drift', async () => {
      const applied = await cli('apply', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig);
      expect(applied.err).not.toMatch(/error/);
      expect(applied.code).toBe(0);
      expect(applied.out).toMatch(/dev: success \(3 created/);
      expect(kube.getObject('apps/v1', 'Deployment', 'web', 'dev')?.metadata.labels?.['applyset.kubernetes.io/part-of']).toBeDefined();

      const writes = kube.writeCount();
      const drift = await cli('drift', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig);
      expect(drift.code).toBe(0);
      expect(drift.out).toMatch(/dev: in sync/);
      expect(kube.writeCount()).toBe(writes);
    });

    it('heals drift when asked: the cluster matches Git again afterwards', async () => {
      await cli('apply', '--repo', repo.dir, '--env', 'prod', '--kubeconfig', kubeconfig);
      repo.write({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'error') });
      const healed = await cli('drift', '--repo', repo.dir, '--env', 'prod', '--kubeconfig', kubeconfig, '--heal');
      expect(healed.code).toBe(0);
      expect(healed.out).toMatch(/prod: drifted \(0 missing, 1 changed, 0 not in Git\), re-applied/);
      expect(kube.getObject('v1', 'ConfigMap', 'web-config', 'prod')?.data).toEqual({ LOG_LEVEL: 'error' });
      const after = await cli('drift', '--repo', repo.dir, '--env', 'prod', '--kubeconfig', kubeconfig);
      expect(after.out).toMatch(/prod: in sync/);
    });

    it('shows a dry-run apply without writing, and drift with its diff', async () => {
      const planned = await cli('apply', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig, '--dry-run');
      expect(planned.code).toBe(0);
      expect(planned.out).toMatch(/dev: planned/);
      expect(kube.writeCount()).toBe(0);

      await cli('apply', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig);
      repo.write({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'warn') });
      const drift = await cli('drift', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig);
      expect(drift.code).toBe(1);
      expect(drift.out).toMatch(/dev: drifted \(0 missing, 1 changed, 0 not in Git\)/);
      expect(drift.out).toMatch(/\+\s+LOG_LEVEL: warn/);
    });
  });
});
