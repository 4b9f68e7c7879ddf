/**
 * The flows through in-memory ports (memory-ports.ts): runIntent for each command, and runDeploy,
 * runPreview and runDrift directly. What is rendered, asked of the cluster, deployed, recorded
 * and promoted, in which order, without a process or a socket.
 */
import { runDeploy } from '../../src/flows/deploy.js';
import { runDrift } from '../../src/flows/drift.js';
import { runPreview } from '../../src/flows/preview.js';
import { promotionPullRequests, runIntent, type IntentOptions } from '../../src/flows/run.js';
import { UserError } from '../../src/model/errors.js';
import type { Intent } from '../../src/plan/intent.js';
import { parseImageRequests } from '../../src/promote/select-images.js';
import { configMap, environment, MemoryWorld, pipeline, web } from './memory-ports.js';

const WEB = 'ghcr.io/acme/web';
const chain = pipeline(
  environment({ name: 'dev' }),
  environment({ name: 'staging', promoteFrom: 'dev' }),
  environment({ name: 'prod', promoteFrom: 'staging', promotion: 'pull-request' }),
);
const options: IntentOptions = { dryRun: false, holder: 'https://ci/run/1', promoteAfterDeploy: true };
const intent = (command: Intent['command'], extra: Partial<Intent> = {}): Intent => ({ command, reason: 'test', ...extra });

/** dev, staging and prod all at 1.0.0, deployed; then a commit moving dev to `devVersion`. */
function worldAfterDevBump(devVersion = '1.1.0'): { world: MemoryWorld; base: string; head: string } {
  const world = new MemoryWorld({ dev: [web(`${WEB}:1.0.0`)], staging: [web(`${WEB}:1.0.0`)], prod: [web(`${WEB}:1.0.0`)] });
  for (const env of ['dev', 'staging', 'prod']) world.seed(env, [web(`${WEB}:1.0.0`)]);
  const base = world.head;
  const head = world.commit({ dev: [web(`${WEB}:${devVersion}`)], staging: [web(`${WEB}:1.0.0`)], prod: [web(`${WEB}:1.0.0`)] });
  return { world, base, head };
}

describe('runIntent', () => {
  it('validate: every environment rendered and validated; an error finding fails the run', async () => {
    const { world } = worldAfterDevBump();
    world.findings.set('staging', [{ severity: 'error', rule: 'schema', message: 'spec.replicas must be an integer', file: 'envs/staging/objects.yaml', line: 3 }]);
    const outcome = await runIntent(intent('validate'), chain, options, world.ports());
    expect(outcome).toMatchObject({ command: 'validate', ok: false });
    if (outcome.command !== 'validate') throw new Error('not validate');
    expect(outcome.validations.map((v) => [v.environment.name, v.findings.map((f) => `${f.environment} ${f.rule}`)])).toEqual([
      ['dev', []],
      ['staging', ['staging schema']],
      ['prod', []],
    ]);
    expect(world.calls.filter((c) => c.startsWith('connect'))).toEqual([]);
  });

  it('plan: the environments whose render changed between base and head; one that cannot render counts and fails the plan', async () => {
    const { world, base, head } = worldAfterDevBump();
    expect(await runIntent(intent('plan', { base, head }), chain, options, world.ports())).toEqual({ command: 'plan', affected: ['dev'], ok: true });
    world.renderFailures.set('prod', { objects: [], findings: [], skipped: 'helm is not installed' });
    expect(await runIntent(intent('plan', { base, head }), chain, options, world.ports())).toEqual({ command: 'plan', affected: ['dev', 'prod'], ok: false });
    expect(world.logs).toContainEqual({ level: 'error', message: 'prod: helm is not installed' });
  });

  it('plan: a merge is compared with its first parent', async () => {
    const { world, head } = worldAfterDevBump();
    const outcome = await runIntent(intent('plan', { head, baseIsFirstParentOfHead: true }), chain, options, world.ports());
    expect(outcome).toEqual({ command: 'plan', affected: ['dev'], ok: true });
    expect(world.calls).toContain(`resolve ${head}^1`);
  });

  it('preview: only affected environments, diffed against their cluster, against the merge base of base and head', async () => {
    const { world, base, head } = worldAfterDevBump('1.2.0');
    const outcome = await runIntent(intent('preview', { base, head }), chain, options, world.ports());
    if (outcome.command !== 'preview') throw new Error('not preview');
    expect(outcome.ok).toBe(true);
    expect(outcome.preview.affected).toEqual(['dev']);
    expect(outcome.preview.environments).toEqual([expect.objectContaining({ name: 'dev', mode: 'cluster', affected: true })]);
    expect(outcome.preview.environments[0].changeSet?.entries.map((e) => e.action)).toEqual(['update']);
    expect(world.calls).toContain(`merge-base ${base.slice(-4)} ${head.slice(-4)}`);
    // Reads only: nothing deployed, nothing promoted, the session closed.
    expect(world.calls.filter((c) => /^(deploy|promote) /.test(c))).toEqual([]);
    expect(world.calls).toContain('close dev');
    expect(world.live('dev')).toEqual([web(`${WEB}:1.0.0`)]);
  });

  it('preview of a fork: the cluster is never connected; the base render is the comparison, and the note says why', async () => {
    const { world, base, head } = worldAfterDevBump();
    const pullRequest = { number: 7, baseSha: base, headSha: head, fromFork: true, merged: false };
    const outcome = await runIntent(intent('preview', { base, head, pullRequest }), chain, options, world.ports());
    if (outcome.command !== 'preview') throw new Error('not preview');
    expect(outcome.preview.environments).toEqual([
      expect.objectContaining({ name: 'dev', mode: 'render', note: 'pull request from a fork: cluster credentials are never used for it' }),
    ]);
    expect(world.calls.filter((c) => c.startsWith('connect'))).toEqual([]);
  });

  it('deploy: validates everything first, deploys the affected environment, promotes it by commit and deploys the target from that commit; the pull-request target is only opened', async () => {
    const { world, base, head } = worldAfterDevBump();
    const outcome = await runIntent(intent('deploy', { base, head }), chain, options, world.ports());
    if (outcome.command !== 'deploy') throw new Error('not deploy');
    expect(outcome.ok).toBe(true);
    expect(outcome.affected).toEqual(['dev']);
    expect(outcome.deploy.environments.map((e) => [e.name, e.status])).toEqual([
      ['dev', 'success'],
      ['staging', 'success'],
    ]);
    const promotionCommit = world.head;
    expect(world.calls.filter((c) => /^(validate|deploy|promote) /.test(c))).toEqual([
      'validate dev,staging,prod',
      `deploy dev ${head.slice(-4)}`,
      'promote dev -> staging',
      `deploy staging ${promotionCommit.slice(-4)}`,
      'promote staging -> prod',
    ]);
    expect(world.live('dev')).toEqual([web(`${WEB}:1.1.0`)]);
    expect(world.live('staging')).toEqual([web(`${WEB}:1.1.0`)]);
    expect(world.live('prod')).toEqual([web(`${WEB}:1.0.0`)]);
    expect(outcome.deploy.promotions.map((p) => [p.target, p.pushed ?? false, p.pullRequest?.url])).toEqual([
      ['staging', true, undefined],
      ['prod', false, 'https://github.example/acme/gitops/pull/2'],
    ]);
    // The entry previews the opened pull request after the run: its commit against the base it was built on.
    expect(promotionPullRequests(outcome)).toEqual([
      { number: 2, url: 'https://github.example/acme/gitops/pull/2', action: 'created', branch: 'slipway/promote-prod', commit: 'e'.repeat(40), baseCommit: promotionCommit, target: 'prod' },
    ]);
    // GitHub deployments: each from the commit it deployed.
    expect(world.deployments).toEqual([
      { id: 1, environment: 'dev', ref: head, state: 'success', description: 'deployed and healthy' },
      { id: 2, environment: 'staging', ref: promotionCommit, state: 'success', description: 'deployed and healthy' },
    ]);
  });

  it('deploy: an error finding in a deployed environment stops the run before any write', async () => {
    const { world, base, head } = worldAfterDevBump();
    world.findings.set('dev', [{ severity: 'error', rule: 'schema', message: 'bad', file: 'envs/dev/objects.yaml', line: 1 }]);
    const outcome = await runIntent(intent('deploy', { base, head }), chain, options, world.ports());
    if (outcome.command !== 'deploy') throw new Error('not deploy');
    expect(outcome.ok).toBe(false);
    expect(outcome.deploy.environments).toEqual([expect.objectContaining({ name: 'dev', status: 'skipped', reason: 'validation failed: nothing was deployed' })]);
    expect(outcome.deploy.blockingFindings).toEqual([expect.objectContaining({ rule: 'schema', environment: 'dev' })]);
    expect(world.calls.filter((c) => /^(connect|deploy|promote) /.test(c))).toEqual([]);
    expect(world.deployments).toEqual([]);
  });

  it('drift: an environment changed in the cluster has drifted; the run fails unless healed', async () => {
    const { world } = worldAfterDevBump();
    world.seed('staging', [web(`${WEB}:0.9.0-hotfix`)]);
    const outcome = await runIntent(intent('drift', { environments: 'all' }), chain, options, world.ports());
    if (outcome.command !== 'drift') throw new Error('not drift');
    expect(outcome.ok).toBe(false);
    expect(outcome.drift.map((d) => [d.name, d.drifted])).toEqual([
      ['dev', true],
      ['staging', true],
      ['prod', false],
    ]);
    expect(world.calls.filter((c) => c.startsWith('deploy'))).toEqual([]);

    const healed = await runIntent(intent('drift', { environments: ['staging'] }), chain, { ...options, heal: true }, world.ports());
    expect(healed).toMatchObject({ command: 'drift', ok: true });
    expect(world.live('staging')).toEqual([web(`${WEB}:1.0.0`)]);
  });

  it('promote: a pinned image into a commit-mode target is pushed and deployed in the same run', async () => {
    const { world } = worldAfterDevBump();
    const images = parseImageRequests([`${WEB}=2.0.0`]);
    const outcome = await runIntent(intent('promote'), chain, { ...options, to: 'staging', images }, world.ports());
    if (outcome.command !== 'promote') throw new Error('not promote');
    expect(outcome.ok).toBe(true);
    expect(world.promotions[0]).toEqual({ from: undefined, to: 'staging', images, mode: 'commit', dryRun: false });
    expect(outcome.deploy?.environments.map((e) => [e.name, e.status])).toEqual([['staging', 'success']]);
    expect(world.live('staging')).toEqual([web(`${WEB}:2.0.0`)]);
    // Healthy staging goes on down the chain: prod gets its pull request.
    expect(world.promotions.slice(1).map((p) => [p.from, p.to, p.mode])).toEqual([['staging', 'prod', 'pull-request']]);
    expect(promotionPullRequests(outcome).map((p) => [p.target, p.number])).toEqual([['prod', 2]]);
  });

  it('promote: a target without promoteFrom and without pins names both ways out', async () => {
    const { world } = worldAfterDevBump();
    const error = await runIntent(intent('promote'), chain, { ...options, to: 'dev' }, world.ports()).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining("Promotion to 'dev' has no source: 'dev' has no promoteFrom in slipway.yaml"), hint: expect.stringMatching(/from.*or pin images with images: NAME=TAG/) });
    expect(world.promotions).toEqual([]);
  });
});

describe('runDeploy', () => {
  const request = (world: MemoryWorld, names: string[], extra = {}) => ({
    config: chain,
    environments: chain.environments.filter((e) => names.includes(e.name)),
    ref: world.head,
    dryRun: false,
    holder: 'run',
    forcePrune: false,
    promote: true,
    ...extra,
  });

  it('an unhealthy environment fails, records a failed deployment and promotes nothing', async () => {
    const { world } = worldAfterDevBump();
    world.unhealthy.add('dev');
    const result = await runDeploy(request(world, ['dev']), world.ports());
    expect(result.ok).toBe(false);
    expect(result.environments).toEqual([expect.objectContaining({ name: 'dev', status: 'failure', error: { message: 'not healthy before the timeout: Deployment/apps/web (replicas not ready)' } })]);
    expect(world.promotions).toEqual([]);
    expect(world.deployments.map((d) => d.state)).toEqual(['failure']);
  });

  it('an environment below one that failed in this run is skipped, naming it', async () => {
    const { world } = worldAfterDevBump();
    world.unhealthy.add('dev');
    const result = await runDeploy(request(world, ['dev', 'staging']), world.ports());
    expect(result.environments.map((e) => [e.name, e.status, e.reason])).toEqual([
      ['dev', 'failure', undefined],
      ['staging', 'skipped', 'skipped: dev failed'],
    ]);
    expect(world.calls.filter((c) => c.startsWith('connect'))).toEqual(['connect dev']);
  });

  it('a newer commit already deployed: skipped, the deployment marked inactive, nothing promoted', async () => {
    const { world } = worldAfterDevBump();
    world.newerDeployed.set('dev', 'f'.repeat(40));
    const result = await runDeploy(request(world, ['dev']), world.ports());
    expect(result.ok).toBe(true);
    expect(result.environments).toEqual([expect.objectContaining({ name: 'dev', status: 'skipped', reason: `a newer commit (${'f'.repeat(40)}) is already deployed` })]);
    expect(world.deployments.map((d) => d.state)).toEqual(['inactive']);
    expect(world.promotions).toEqual([]);
  });

  it('a failed promotion fails its target, and the run', async () => {
    const { world } = worldAfterDevBump();
    world.promotionFailures.set('staging', 'push rejected 8 times');
    const result = await runDeploy(request(world, ['dev']), world.ports());
    expect(result.ok).toBe(false);
    expect(result.environments.map((e) => [e.name, e.status, e.error])).toEqual([
      ['dev', 'success', undefined],
      ['staging', 'failure', { message: 'promotion from dev failed: push rejected 8 times' }],
    ]);
    expect(world.logs).toContainEqual({ level: 'error', message: 'promotion dev -> staging failed: push rejected 8 times' });
  });

  it('a failure keeps its hint to the report: a promotion refused with what to do', async () => {
    const { world } = worldAfterDevBump();
    const ports = world.ports();
    ports.promotion = {
      promote: () => Promise.reject(new UserError('envs/staging/version.yml has uncommitted changes.', 'Commit or discard them and promote again.')),
    };
    const result = await runDeploy(request(world, ['dev']), ports);
    expect(result.environments[1]).toMatchObject({
      name: 'staging',
      status: 'failure',
      error: { message: 'promotion from dev failed: envs/staging/version.yml has uncommitted changes.', hint: 'Commit or discard them and promote again.' },
    });
  });

  it('dry run: planned, no GitHub deployment, nothing written; promotions are dry runs and deploy nothing', async () => {
    const { world } = worldAfterDevBump();
    const result = await runDeploy(request(world, ['dev'], { dryRun: true }), world.ports());
    expect(result.environments.map((e) => [e.name, e.status])).toEqual([['dev', 'planned']]);
    expect(world.deployments).toEqual([]);
    expect(world.calls.filter((c) => c.startsWith('deploy'))).toEqual([]);
    expect(world.live('dev')).toEqual([web(`${WEB}:1.0.0`)]);
    expect(world.promotions.map((p) => [p.to, p.dryRun])).toEqual([['staging', true]]);
  });

  it('prunes what is no longer rendered, when the environment prunes', async () => {
    const world = new MemoryWorld({ dev: [web(`${WEB}:1.0.0`)] });
    world.seed('dev', [web(`${WEB}:1.0.0`), configMap('old', { a: '1' })]);
    const result = await runDeploy(request(world, ['dev'], { promote: false }), world.ports());
    expect(result.environments[0].apply).toMatchObject({ deleted: 1, unchanged: 1 });
    expect(result.environments[0].applySetParent).toEqual({ group: '', version: 'v1', kind: 'Secret', namespace: 'default', name: 'slipway-dev' });
    expect(world.live('dev')).toEqual([web(`${WEB}:1.0.0`)]);
  });
});

describe('runPreview', () => {
  it('no kubeconfig: a render diff with a note; an unreachable cluster: a render diff and a warning naming the error', async () => {
    const { world, base, head } = worldAfterDevBump();
    const config = pipeline(environment({ name: 'dev' }), environment({ name: 'qa' }));
    world.commits[0].tree.qa = [configMap('settings', { level: 'info' })];
    world.commits[1].tree.qa = [configMap('settings', { level: 'debug' })];
    world.noCredentials.add('dev');
    world.unreachable.add('qa');
    const result = await runPreview({ config, base, head, clusterAllowed: true }, world.ports());
    expect(result.environments.map((e) => [e.name, e.mode, e.note])).toEqual([
      ['dev', 'render', 'no kubeconfig available: compared with the base render'],
      ['qa', 'render', 'the cluster could not be asked: connect ECONNREFUSED for context qa'],
    ]);
    expect(result.environments.map((e) => e.changeSet?.entries.map((x) => x.action))).toEqual([['update'], ['update']]);
    expect(world.logs).toContainEqual({ level: 'warning', message: 'qa: the cluster could not be asked (connect ECONNREFUSED for context qa); comparing with the base render instead' });
  });

  it('an environment that could not render is shown with its reason, and an error when it has error findings', async () => {
    const { world, base, head } = worldAfterDevBump();
    world.renderFailures.set('dev', { objects: [], findings: [{ severity: 'error', rule: 'render-failed', message: 'kustomize failed', file: 'envs/dev' }], skipped: 'kustomize build failed' });
    const result = await runPreview({ config: chain, base, head, clusterAllowed: true }, world.ports());
    expect(result.environments).toEqual([
      expect.objectContaining({ name: 'dev', mode: 'render', note: 'kustomize build failed', error: { message: 'the environment was not rendered; see the findings' } }),
    ]);
    expect(world.calls.filter((c) => c.startsWith('connect'))).toEqual([]);
  });
});

describe('runDrift', () => {
  it('a render error is reported with where it is and how to see all of it; dry run never heals', async () => {
    const { world } = worldAfterDevBump();
    world.seed('staging', [web(`${WEB}:0.9.0`)]);
    world.renderFailures.set('dev', { objects: [], findings: [{ severity: 'error', rule: 'yaml-syntax', message: 'bad indentation', file: 'envs/dev/web.yaml', line: 4, column: 3 }] });
    const [dev, staging] = await runDrift({ environments: chain.environments.slice(0, 2), dryRun: true, holder: 'run', heal: true }, world.ports());
    expect(dev).toMatchObject({ name: 'dev', drifted: false, error: { message: 'the environment did not render (envs/dev/web.yaml:4:3: bad indentation)', hint: 'Run `slipway validate --env dev` to see every finding.' } });
    expect(staging).toMatchObject({ name: 'staging', drifted: true });
    expect(staging.healed).toBeUndefined();
    expect(world.live('staging')).toEqual([web(`${WEB}:0.9.0`)]);
  });
});
