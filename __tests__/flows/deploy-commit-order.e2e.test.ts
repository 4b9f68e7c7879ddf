/**
 * Two deploy runs of one environment race: the run with the newer commit takes the Lease first,
 * the run with the older commit waits for it and gets it last. The Lease orders applies, not
 * commits, so the later holder must see the newer deployed commit and apply nothing. Ordering
 * comes from events (a held request, the "waiting for the deploy lock" line), never from time.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EnvironmentConfig, PipelineConfig } from '../../src/config/types.js';
import { Git } from '../../src/exec/git.js';
import { hostRunner } from '../support/host-runner.js';
import { createClusterPort } from '../../src/flows/adapters.js';
import { runDeploy, type DeployRequest } from '../../src/flows/deploy.js';
import { gitHistory } from '../../src/flows/git-history.js';
import type { Log } from '../../src/flows/log.js';
import type { CommitHistoryPort, DeploymentsPort, RendererPort, ValidatorPort } from '../../src/flows/ports.js';
import { DEPLOYED_COMMIT_ANNOTATION } from '../../src/kube/deployed-commit.js';
import type { KubeObject } from '../../src/model/objects.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const env = {
  name: 'prod',
  path: 'envs/prod',
  namespace: 'default',
  promotion: 'commit',
  prune: { enabled: true, maxShare: 0.5 },
  wait: { enabled: false, timeoutMs: 60_000 },
  forceConflicts: true,
} as EnvironmentConfig;

const configMap = (version: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'default' }, data: { version } });

/** The environment as rendered at one commit (each run renders its own checkout). */
const rendererAt = (version: string): RendererPort => ({ render: async () => ({ objects: [{ object: configMap(version) }], findings: [] }) });
const noFindings: ValidatorPort = { validate: (renders) => new Map(renders.map((r) => [r.environment.name, []])) };

function recordingLog(lines: string[], onLine: (line: string) => void = () => undefined): Log {
  const write = (line: string) => {
    lines.push(line);
    onLine(line);
  };
  return { info: write, warning: (m) => write(`warning: ${m}`), error: (m) => write(`error: ${m}`), group: (_t, work) => work() };
}

describe('deploys racing for one environment', () => {
  let kube: FakeKubeApiServer;
  let repo: TestRepo;
  let config: PipelineConfig;
  let history: CommitHistoryPort;

  beforeEach(async () => {
    kube = await FakeKubeApiServer.start();
    repo = createTestRepo({ files: { 'envs/prod/web.yaml': 'version: 1\n' } });
    config = { file: 'slipway.yaml', root: repo.dir, environments: [env], tools: {} };
    history = gitHistory(Git.forRepository(hostRunner, repo.dir, {}));
  });
  afterEach(async () => {
    await kube.stop();
    repo.cleanup();
  });

  const request = (ref: string, holder: string): DeployRequest => ({ config, environments: [env], ref, dryRun: false, holder, forcePrune: false, promote: false });

  it('never deploys an older commit over a newer one that took the lock first', async () => {
    const older = repo.head();
    repo.write({ 'envs/prod/web.yaml': 'version: 2\n' });
    const newer = repo.commit('web 2');
    // The newer run holds the Lease while its apply of the ConfigMap hangs.
    const newerApply = kube.hold((r) => r.method === 'PATCH' && !r.dryRun && r.path.endsWith('/configmaps/web'));
    const newerLines: string[] = [];
    const newerLog = recordingLog(newerLines);
    const newerCluster = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: newerLog });
    const newerRun = runDeploy(request(newer, 'run-new'), { renderer: rendererAt('2'), validator: noFindings, cluster: newerCluster, history, log: newerLog });
    await newerApply.reached;

    // The older run plans, finds the Lease held and waits: only then may the newer run finish.
    const olderLines: string[] = [];
    const deployments: Array<{ state: string; description: string }> = [];
    const deploymentsPort: DeploymentsPort = {
      start: async () => ({ id: 1 }),
      finish: async (_handle, state, description) => void deployments.push({ state, description }),
    };
    const olderLog = recordingLog(olderLines, (line) => {
      if (line.includes('waiting for the deploy lock held by run-new')) newerApply.release();
    });
    const olderCluster = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: olderLog });
    const olderRun = runDeploy(request(older, 'run-old'), { renderer: rendererAt('1'), validator: noFindings, cluster: olderCluster, history, deployments: deploymentsPort, log: olderLog });

    const [newerResult, olderResult] = await Promise.all([newerRun, olderRun]);
    expect(newerResult.environments[0]).toMatchObject({ name: 'prod', status: 'success' });
    expect(olderLines).toContain('prod: waiting for the deploy lock held by run-new');

    // The newer commit stays deployed, and says so on the ApplySet parent.
    expect(kube.getObject('v1', 'ConfigMap', 'web', 'default')?.data).toEqual({ version: '2' });
    expect(kube.getObject('v1', 'Secret', 'slipway-prod', 'default')?.metadata.annotations?.[DEPLOYED_COMMIT_ANNOTATION]).toBe(newer);
    expect(olderResult.ok).toBe(true);
    expect(olderResult.environments[0]).toMatchObject({ name: 'prod', status: 'skipped', reason: `a newer commit (${newer}) is already deployed` });
    expect(olderLines).toContain(`prod: a newer commit (${newer}) is already deployed; ${older} was not applied`);
    // The older run's GitHub deployment does not claim to be the environment's live one.
    expect(deployments).toEqual([{ state: 'inactive', description: `a newer commit (${newer}) is already deployed` }]);
  });

  it('deploys a newer commit over an older recorded one, and records it', async () => {
    const older = repo.head();
    const cluster = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: recordingLog([]) });
    const first = await runDeploy(request(older, 'run-1'), { renderer: rendererAt('1'), validator: noFindings, cluster, history, log: recordingLog([]) });
    expect(first.environments[0].status).toBe('success');
    expect(kube.getObject('v1', 'Secret', 'slipway-prod', 'default')?.metadata.annotations?.[DEPLOYED_COMMIT_ANNOTATION]).toBe(older);

    repo.write({ 'envs/prod/web.yaml': 'version: 2\n' });
    const newer = repo.commit('web 2');
    const second = await runDeploy(request(newer, 'run-2'), { renderer: rendererAt('2'), validator: noFindings, cluster, history, log: recordingLog([]) });
    expect(second.environments[0].status).toBe('success');
    expect(kube.getObject('v1', 'ConfigMap', 'web', 'default')?.data).toEqual({ version: '2' });
    // The parent's own apply (manager slipway) keeps the annotation written by the record's manager.
    expect(kube.getObject('v1', 'Secret', 'slipway-prod', 'default')?.metadata.annotations?.[DEPLOYED_COMMIT_ANNOTATION]).toBe(newer);
  });

  it('fetches a newer commit it lacks before comparing (commit-mode promotion pushed by another run)', async () => {
    const older = repo.head();
    // Another runner pushed a newer commit and deployed it; this clone has never seen it.
    const other = createTestRepo();
    try {
      other.git('fetch', '--quiet', repo.origin, 'main');
      other.git('reset', '--quiet', '--hard', 'FETCH_HEAD');
      other.write({ 'envs/prod/web.yaml': 'version: 3\n' });
      other.git('add', '--all');
      other.git('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'web 3');
      other.git('push', '--quiet', repo.origin, 'HEAD:main');
      const newer = other.head();
      const cluster = await createClusterPort({ secrets, kubeconfig: kube.kubeconfig(), log: recordingLog([]) });
      await runDeploy(request(newer, 'run-other'), { renderer: rendererAt('3'), validator: noFindings, cluster, history: gitHistory(Git.forRepository(hostRunner, other.dir, {})), log: recordingLog([]) });
      expect(await history.has(newer)).toBe(false);

      const result = await runDeploy({ ...request(older, 'run-late'), refPushed: true }, { renderer: rendererAt('1'), validator: noFindings, cluster, history, log: recordingLog([]) });
      expect(result.environments[0]).toMatchObject({ status: 'skipped', reason: `a newer commit (${newer}) is already deployed` });
      expect(kube.getObject('v1', 'ConfigMap', 'web', 'default')?.data).toEqual({ version: '3' });
    } finally {
      other.cleanup();
    }
  });
});
