/**
 * onFailure: rollback against the loopback API server: a deploy whose new image never pulls
 * fails its health wait (fail-fast on the injected clock), and the environment is put back on
 * the render of the last healthy commit recorded on its ApplySet parent. Objects the failed
 * deploy created are pruned; objects that existed before it stay.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EnvironmentConfig, PipelineConfig } from '../../src/config/types.js';
import { createClusterPort } from '../../src/flows/adapters.js';
import { runDeploy, type DeployRequest } from '../../src/flows/deploy.js';
import type { Log } from '../../src/flows/log.js';
import type { DeploymentsPort, ValidatorPort } from '../../src/flows/ports.js';
import { APPLYSET_PART_OF_LABEL } from '../../src/kube/applyset.js';
import { ADOPTED_SINCE_ANNOTATION, CREATED_SINCE_ANNOTATION, DEPLOYED_COMMIT_ANNOTATION } from '../../src/kube/deployed-commit.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { CommitLine, configMap, deployment, imageOf, NS, playDeploymentController, shopEnv, SteppingClock } from './rollback-support.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it. */
const secrets = new SecretMask();

const noFindings: ValidatorPort = { validate: (renders) => new Map(renders.map((r) => [r.environment.name, []])) };

function recordingLog(lines: string[]): Log {
  return { info: (m) => lines.push(m), warning: (m) => lines.push(`warning: ${m}`), error: (m) => lines.push(`error: ${m}`), group: (_t, work) => work() };
}

describe('rollback after a failed health wait', () => {
  let kube: FakeKubeApiServer;
  let repo: CommitLine;
  let stopController: () => void;
  let lines: string[];
  let statuses: Array<{ state: string; description: string }>;

  beforeEach(async () => {
    kube = await FakeKubeApiServer.start();
    kube.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
    stopController = playDeploymentController(kube);
    repo = new CommitLine();
    lines = [];
    statuses = [];
  });
  afterEach(async () => {
    stopController();
    await kube.stop();
  });

  const deploymentsPort: DeploymentsPort = {
    start: async () => ({ id: 1 }),
    finish: async (_handle, state, description) => void statuses.push({ state, description }),
  };

  async function deploy(env: EnvironmentConfig, ref: string) {
    const config: PipelineConfig = { file: 'slipway.yaml', root: '/repo', environments: [env], tools: {} };
    const request: DeployRequest = { config, environments: [env], ref, dryRun: false, holder: 'run-1', forcePrune: false, promote: false };
    const log = recordingLog(lines);
    const cluster = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log, clock: new SteppingClock() });
    return runDeploy(request, { renderer: repo.renderer(), validator: noFindings, cluster, history: repo.history(), deployments: deploymentsPort, log });
  }

  const parentAnnotations = () => kube.getObject('v1', 'Secret', 'slipway-prod', NS)?.metadata.annotations ?? {};

  it('restores the previous image, prunes what the failed deploy created, keeps what existed before, and reports both', async () => {
    const good = repo.commit([deployment('registry.example.com/shop/web:1.4.0'), configMap('web-settings', { mode: 'stable' })]);
    const first = await deploy(shopEnv(), good);
    expect(first.environments[0]).toMatchObject({ status: 'success' });
    expect(parentAnnotations()[DEPLOYED_COMMIT_ANNOTATION]).toBe(good);

    // Someone created `shared-flags` by hand; the next commit starts managing it, and adds `web-canary`.
    kube.seed(configMap('shared-flags', { beta: 'off' }), { manager: 'kubectl-client-side-apply' });
    const bad = repo.commit([
      deployment('registry.example.com/shop/web:missing'),
      configMap('web-settings', { mode: 'new' }),
      configMap('web-canary', { weight: '10' }),
      configMap('shared-flags', { beta: 'on' }),
    ]);
    statuses.length = 0;
    const result = await deploy(shopEnv(), bad);
    const env = result.environments[0];

    expect(result.ok).toBe(false);
    expect(env?.status).toBe('failure');
    expect(env?.error?.message).toMatch(/^unhealthy: Deployment\/shop\/web: .*Failing fast: image "registry.example.com\/shop\/web:missing" of container web cannot be pulled \(ImagePullBackOff\) for 60 s; 2 Pods: container web: ImagePullBackOff/);
    expect(env?.rollback).toMatchObject({ status: 'rolled-back', commit: good });
    expect(env?.rollback?.summary).toBe(`rolled back to ${good.slice(0, 12)} and healthy (2 applied, 1 pruned, 1 kept (existed before))`);
    expect(env?.rollback?.pruned.map((r) => r.name)).toEqual(['web-canary']);
    expect(env?.rollback?.kept.map((r) => r.name)).toEqual(['shared-flags']);
    expect(env?.rollback?.health?.healthy).toBe(true);

    // The cluster runs the last healthy render again.
    expect(imageOf(kube)).toBe('registry.example.com/shop/web:1.4.0');
    expect(kube.getObject('v1', 'ConfigMap', 'web-settings', NS)?.data).toEqual({ mode: 'stable' });
    expect(kube.getObject('v1', 'ConfigMap', 'web-canary', NS)).toBeUndefined();
    // Existed before the failed deploy: left as that deploy left it, not deleted, and out of the set again.
    expect(kube.getObject('v1', 'ConfigMap', 'shared-flags', NS)?.data).toEqual({ beta: 'on' });
    expect(kube.getObject('v1', 'ConfigMap', 'shared-flags', NS)?.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toBeUndefined();
    // The record still names the last healthy commit, and nothing is left listed as created since.
    expect(parentAnnotations()[DEPLOYED_COMMIT_ANNOTATION]).toBe(good);
    expect(parentAnnotations()[CREATED_SINCE_ANNOTATION]).toBeUndefined();
    expect(parentAnnotations()[ADOPTED_SINCE_ANNOTATION]).toBeUndefined();
    expect(repo.rendered).toContain(good);

    expect(statuses).toHaveLength(1);
    expect(statuses[0]?.state).toBe('failure');
    expect(statuses[0]?.description).toMatch(new RegExp(`^failed; rolled back to ${good.slice(0, 12)} and healthy .*Why it failed: unhealthy: Deployment/shop/web`));
    expect(lines).toContain(`prod: rolling back to ${good.slice(0, 12)}, the last healthy deploy`);
    expect(lines).toContain(`prod: rolled back to ${good.slice(0, 12)} and healthy (2 applied, 1 pruned, 1 kept (existed before))`);

    // The next healthy deploy, without shared-flags, does not prune what Slipway never created.
    const fixed = repo.commit([deployment('registry.example.com/shop/web:1.4.1'), configMap('web-settings', { mode: 'new' })]);
    expect((await deploy(shopEnv(), fixed)).environments[0]).toMatchObject({ status: 'success' });
    expect(kube.getObject('v1', 'ConfigMap', 'shared-flags', NS)?.data).toEqual({ beta: 'on' });
  });

  it('a later deploy after a rollback is not held back, and the rollback did not pass the newer-commit check by accident', async () => {
    const good = repo.commit([deployment('registry.example.com/shop/web:1.4.0')]);
    await deploy(shopEnv(), good);
    const bad = repo.commit([deployment('registry.example.com/shop/web:missing')]);
    const failed = await deploy(shopEnv(), bad);
    expect(failed.environments[0]?.rollback?.status).toBe('rolled-back');
    // The rollback applied an older commit although a newer one (bad) was the one last tried.
    expect(imageOf(kube)).toBe('registry.example.com/shop/web:1.4.0');
    const fixed = repo.commit([deployment('registry.example.com/shop/web:1.4.1')]);
    const next = await deploy(shopEnv(), fixed);
    expect(next.environments[0]).toMatchObject({ status: 'success' });
    expect(imageOf(kube)).toBe('registry.example.com/shop/web:1.4.1');
    expect(parentAnnotations()[DEPLOYED_COMMIT_ANNOTATION]).toBe(fixed);
  });

  it('rolls back after a wait that timed out (Pods no node can take: no fail-fast cause)', async () => {
    const good = repo.commit([deployment('registry.example.com/shop/web:1.4.0')]);
    await deploy(shopEnv(), good);
    const bad = repo.commit([deployment('registry.example.com/shop/web:huge')]);
    const result = await deploy(shopEnv(), bad);
    const env = result.environments[0];
    expect(env?.health?.timedOut).toBe(true);
    expect(env?.error?.message).toMatch(/^not healthy before the timeout: Deployment\/shop\/web \(.*2 Pods: Unschedulable: 0\/3 nodes are available: 3 Insufficient cpu\./);
    expect(env?.rollback).toMatchObject({ status: 'rolled-back', commit: good });
    expect(imageOf(kube)).toBe('registry.example.com/shop/web:1.4.0');
  });

  it('says plainly that there is nothing to roll back to when no healthy deploy is recorded', async () => {
    const bad = repo.commit([deployment('registry.example.com/shop/web:missing'), configMap('web-settings', { mode: 'new' })]);
    const result = await deploy(shopEnv(), bad);
    const env = result.environments[0];
    expect(env?.status).toBe('failure');
    expect(env?.rollback).toMatchObject({ status: 'nothing' });
    expect(env?.rollback?.summary).toBe(
      `nothing to roll back to: no healthy deploy of prod is recorded (annotation ${DEPLOYED_COMMIT_ANNOTATION} on Secret/${NS}/slipway-prod); the environment is left as the failed deploy put it`,
    );
    // Nothing was deleted or re-applied.
    expect(imageOf(kube)).toBe('registry.example.com/shop/web:missing');
    expect(kube.getObject('v1', 'ConfigMap', 'web-settings', NS)?.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toBeDefined();
    expect(statuses[0]?.description).toMatch(/^failed; nothing to roll back to: /);
  });

  it('does nothing more than report the failure with onFailure: none', async () => {
    const good = repo.commit([deployment('registry.example.com/shop/web:1.4.0')]);
    await deploy(shopEnv({ onFailure: 'none' }), good);
    const bad = repo.commit([deployment('registry.example.com/shop/web:missing')]);
    const result = await deploy(shopEnv({ onFailure: 'none' }), bad);
    expect(result.environments[0]?.status).toBe('failure');
    expect(result.environments[0]?.rollback).toBeUndefined();
    expect(imageOf(kube)).toBe('registry.example.com/shop/web:missing');
  });

  it('fetches the recorded commit when the checkout lacks it (shallow clone) before rendering it', async () => {
    const good = repo.commit([deployment('registry.example.com/shop/web:1.4.0')]);
    await deploy(shopEnv(), good);
    const bad = repo.commit([deployment('registry.example.com/shop/web:missing')]);
    repo.missing.add(good);
    const result = await deploy(shopEnv(), bad);
    expect(repo.fetched).toEqual([good]);
    expect(result.environments[0]?.rollback?.status).toBe('rolled-back');
  });

  it('a failed rollback says so and why', async () => {
    const good = repo.commit([deployment('registry.example.com/shop/web:1.4.0')]);
    await deploy(shopEnv(), good);
    // Since then the registry lost the good image too: its render now names one that never pulls.
    repo.commits[0] = { sha: good, objects: [deployment('registry.example.com/shop/web:missing')] };
    const bad = repo.commit([deployment('registry.example.com/shop/web:missing'), configMap('web-canary', { weight: '10' })]);
    const result = await deploy(shopEnv(), bad);
    const rollback = result.environments[0]?.rollback;
    expect(rollback?.status).toBe('failed');
    expect(rollback?.summary).toMatch(new RegExp(`^rollback to ${good.slice(0, 12)} failed: unhealthy: Deployment/shop/web: .*cannot be pulled`));
    expect(rollback?.pruned.map((r) => r.name)).toEqual(['web-canary']);
    expect(lines.some((l) => l.startsWith(`error: prod: rollback to ${good.slice(0, 12)} failed: `))).toBe(true);
    expect(statuses.at(-1)?.description).toMatch(/^failed; rollback to \w+ failed: /);
  });
});
