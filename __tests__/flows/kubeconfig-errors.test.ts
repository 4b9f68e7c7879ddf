/**
 * A kubeconfig that does not parse is an error in every command, previews included; one that
 * parses but lacks an environment's context is a warning in a preview and an error in deploy and
 * drift. No kubeconfig at all is not an error for a preview: it compares renders and says so.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentConfig, PipelineConfig } from '../../src/config/types.js';
import { createClusterPort, renderDiff, validator } from '../../src/flows/adapters.js';
import { runDeploy } from '../../src/flows/deploy.js';
import { runDrift } from '../../src/flows/drift.js';
import type { Log } from '../../src/flows/log.js';
import type { RendererPort } from '../../src/flows/ports.js';
import { runPreview } from '../../src/flows/preview.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const UNPARSABLE = 'apiVersion: v1\nclusters: [ { name: one\n';
const OTHER_CONTEXTS = `apiVersion: v1
kind: Config
clusters: [{ name: one, cluster: { server: "https://127.0.0.1:6443" } }]
users: [{ name: ci, user: { token: tok-${'a'.repeat(20)} } }]
contexts:
  - { name: dev-cluster, context: { cluster: one, user: ci } }
  - { name: staging-cluster, context: { cluster: one, user: ci } }
current-context: dev-cluster
`;

const env = {
  name: 'prod',
  path: 'envs/prod',
  context: 'prod-cluster',
  namespace: 'apps',
  prune: { enabled: true, maxShare: 0.5 },
  wait: { enabled: false, timeoutMs: 5_000 },
  forceConflicts: false,
} as unknown as EnvironmentConfig;

const object = { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'apps' }, data: { a: '1' } } };
const renderer: RendererPort = { render: async (_env, ref) => ({ objects: ref === 'base' ? [] : [object], findings: [] }) };

function recordingLog(): Log & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => undefined, warning: (m) => void warnings.push(m), error: () => undefined, group: (_t, work) => work() };
}

let dir: string;
let config: PipelineConfig;
/** The value of $KUBECONFIG the entry would pass: a file that does not exist, unless a test writes one. */
let kubeconfigPaths: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-kubeconfig-errors-'));
  config = { root: dir, file: join(dir, 'slipway.yaml'), environments: [env] } as unknown as PipelineConfig;
  kubeconfigPaths = join(dir, 'missing-kubeconfig');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const preview = (cluster: Awaited<ReturnType<typeof createClusterPort>>, log: Log) =>
  runPreview({ config, base: 'base', head: 'head', environments: 'all', clusterAllowed: true }, { renderer, validator, cluster, renderDiff, log });

describe('an unparsable kubeconfig', () => {
  it('given as content (the action input, --kubeconfig) fails as soon as the cluster port is made, whatever the command', async () => {
    await expect(createClusterPort({ secrets, kubeconfig: UNPARSABLE, kubeconfigSource: '--kubeconfig ci.yaml', log: recordingLog() })).rejects.toThrow(
      /Cannot read the kubeconfig from --kubeconfig ci\.yaml: .*\d+:\d+/,
    );
  });

  it('in $KUBECONFIG fails a preview instead of quietly comparing renders', async () => {
    const file = join(dir, 'kubeconfig');
    writeFileSync(file, UNPARSABLE);
    kubeconfigPaths = file;
    await expect(preview(await createClusterPort({ secrets, kubeconfigPaths, log: recordingLog() }), recordingLog())).rejects.toThrow(/Cannot read the kubeconfig from \$KUBECONFIG/);
  });
});

describe('a kubeconfig without the environment context', () => {
  it('is a warning in a preview, naming the context and the ones there are', async () => {
    const log = recordingLog();
    const result = await preview(await createClusterPort({ secrets, kubeconfig: OTHER_CONTEXTS, log }), log);
    const [prod] = result.environments;
    expect(prod.mode).toBe('render');
    expect(prod.note).toMatch(/"prod-cluster" does not exist[\s\S]*dev-cluster, staging-cluster/);
    expect(log.warnings.join('\n')).toMatch(/prod: .*"prod-cluster" does not exist[\s\S]*dev-cluster, staging-cluster/);
  });

  it('is an error in a deploy', async () => {
    const log = recordingLog();
    const result = await runDeploy(
      { config, environments: [env], ref: 'main', dryRun: false, holder: 'test', forcePrune: false, promote: false },
      { renderer, validator, cluster: await createClusterPort({ secrets, kubeconfig: OTHER_CONTEXTS, log }), log },
    );
    expect(result.ok).toBe(false);
    expect(result.environments[0]).toMatchObject({ status: 'failure', error: { message: expect.stringMatching(/"prod-cluster" does not exist/), hint: expect.any(String) } });
  });

  it('is an error in drift detection', async () => {
    const log = recordingLog();
    const [drift] = await runDrift({ environments: [env], dryRun: true, holder: 'test' }, { renderer, cluster: await createClusterPort({ secrets, kubeconfig: OTHER_CONTEXTS, log }), log });
    expect(drift.error?.message).toMatch(/"prod-cluster" does not exist/);
  });
});

describe('no kubeconfig at all', () => {
  it('lets a preview compare renders, saying why', async () => {
    const log = recordingLog();
    const result = await preview(await createClusterPort({ secrets, kubeconfigPaths, log }), log);
    expect(result.environments[0]).toMatchObject({ mode: 'render', note: expect.stringMatching(/no kubeconfig/) });
    expect(log.warnings).toEqual([]);
  });
});

describe('the kubeconfig of a run', () => {
  it('is read once: checking for credentials and connecting use what was read first', async () => {
    const file = join(dir, 'kubeconfig');
    writeFileSync(file, OTHER_CONTEXTS);
    const cluster = await createClusterPort({ secrets, kubeconfigPaths: file, log: recordingLog() });
    expect(await cluster.hasCredentials(env)).toBe(true);
    // A file rewritten mid-run is not read again: every environment sees the same kubeconfig.
    writeFileSync(file, UNPARSABLE);
    expect(await cluster.hasCredentials(env)).toBe(true);
    await expect(cluster.connect(env)).rejects.toThrow(/"prod-cluster" does not exist[\s\S]*dev-cluster, staging-cluster/);
  });
});
