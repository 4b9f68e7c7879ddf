/**
 * `slipway rollback --env NAME` in-process over real Git (the recorded commit is rendered from
 * the repository's history) and the loopback API server, whose Deployment controller is played
 * by the test: an image tagged `missing` never pulls.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { loadConfig } from '../../src/config/load.js';
import { Git } from '../../src/exec/git.js';
import { createClusterPort, createRenderer, validator } from '../../src/flows/adapters.js';
import { runDeploy } from '../../src/flows/deploy.js';
import { gitHistory } from '../../src/flows/git-history.js';
import { silentLog } from '../../src/flows/log.js';
import { DEPLOYED_COMMIT_ANNOTATION } from '../../src/kube/deployed-commit.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { hostRunner } from '../support/host-runner.js';
import { imageOf, NS, playDeploymentController, SteppingClock } from '../flows/rollback-support.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it. */
const secrets = new SecretMask();

function capture(): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', isTty: false, env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

const SLIPWAY_YAML = `environments:\n  - name: prod\n    path: envs/prod\n    namespace: ${NS}\n    wait: { timeout: 10m }\n`;

const deploymentYaml = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
`;

const canaryYaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-canary
data:
  weight: "10"
`;

describe('slipway rollback', () => {
  let kube: FakeKubeApiServer;
  let repo: TestRepo;
  let dir: string;
  let kubeconfig: string;
  let stopController: () => void;

  beforeEach(async () => {
    kube = await FakeKubeApiServer.start();
    kube.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    stopController = playDeploymentController(kube);
    dir = mkdtempSync(join(tmpdir(), 'slipway-rollback-'));
    kubeconfig = kube.writeKubeconfig(dir);
    repo = createTestRepo({ files: { 'slipway.yaml': SLIPWAY_YAML, 'envs/prod/web.yaml': deploymentYaml('registry.example.com/shop/web:1.4.0') } });
  });
  afterEach(async () => {
    stopController();
    await kube.stop();
    repo.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(...argv: string[]) {
    const io = capture();
    const code = await runCli([...argv, '--repo', repo.dir, '--kubeconfig', kubeconfig], io);
    return { code, out: io.out, err: io.err };
  }

  /** A deploy of HEAD whose wait fails (fail-fast on the stepping clock), leaving the cluster on it. */
  async function failedDeploy(): Promise<void> {
    const config = await loadConfig(repo.dir);
    const renderer = createRenderer(config, hostRunner);
    const cluster = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: silentLog, clock: new SteppingClock() });
    const result = await runDeploy(
      { config, environments: config.environments, ref: repo.head(), dryRun: false, holder: 'ci', forcePrune: false, promote: false },
      { renderer, validator, cluster, history: gitHistory(Git.forRepository(hostRunner, repo.dir, {})), log: silentLog },
    );
    await renderer.dispose?.();
    expect(result.environments[0]?.status).toBe('failure');
  }

  it('re-applies the last healthy deploy, prunes what came after it, waits and exits 0', async () => {
    const good = repo.head();
    const applied = await cli('apply', '--env', 'prod');
    expect(applied.code).toBe(0);
    expect(kube.getObject('v1', 'Secret', 'slipway-prod', NS)?.metadata.annotations?.[DEPLOYED_COMMIT_ANNOTATION]).toBe(good);

    repo.write({ 'envs/prod/web.yaml': deploymentYaml('registry.example.com/shop/web:missing'), 'envs/prod/canary.yaml': canaryYaml });
    repo.commit('web: new image, canary weight');
    await failedDeploy();
    expect(imageOf(kube)).toBe('registry.example.com/shop/web:missing');

    const rolledBack = await cli('rollback', '--env', 'prod');
    expect(rolledBack.err).not.toMatch(/unexpected/);
    expect(rolledBack.code).toBe(0);
    expect(rolledBack.out).toBe(
      `prod: rollback: rolled back to ${good.slice(0, 12)} and healthy (1 applied, 1 pruned)\n  deleted (created by the failed deploy): ConfigMap/${NS}/web-canary\n`,
    );
    expect(imageOf(kube)).toBe('registry.example.com/shop/web:1.4.0');
    expect(kube.getObject('v1', 'ConfigMap', 'web-canary', NS)).toBeUndefined();
    expect(kube.getObject('v1', 'Secret', 'slipway-prod', NS)?.metadata.annotations?.[DEPLOYED_COMMIT_ANNOTATION]).toBe(good);

    // Again: nothing left to change, still healthy.
    const again = await cli('rollback', '--env', 'prod', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ command: 'rollback', ok: true, environment: 'prod', status: 'rolled-back', commit: good, pruned: [], kept: [], healthy: true });
  });

  it('says there is nothing to roll back to when no healthy deploy is recorded, and exits 1', async () => {
    const result = await cli('rollback', '--env', 'prod');
    expect(result.code).toBe(1);
    expect(result.out).toBe(
      `prod: rollback: nothing to roll back to: no healthy deploy of prod is recorded (annotation ${DEPLOYED_COMMIT_ANNOTATION} on Secret/${NS}/slipway-prod); the environment is left as the failed deploy put it\n`,
    );
    expect(kube.writeCount()).toBe(0);
  });

  it('needs exactly one --env and a known one; --help lists the options and exit codes', async () => {
    const none = await cli('rollback');
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/rollback needs exactly one --env NAME/);
    const unknown = await cli('rollback', '--env', 'prd');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Environment 'prd' not found in slipway\.yaml/);
    const help = await cli('rollback', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: slipway rollback --env NAME/);
    expect(help.out).toContain('Exit codes:\n  0  success\n  1  findings (validation errors), drift, or a failed deploy\n  2  wrong usage or setup');
  });
});
