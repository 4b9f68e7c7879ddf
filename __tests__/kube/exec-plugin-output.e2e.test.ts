/**
 * What a failing kubeconfig exec credential plugin may put into an error: its stderr masked and
 * cut to its last lines, never its stdout (which carries the credential).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentConfig, PipelineConfig } from '../../src/config/types.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { createClusterPort, renderDiff, validator } from '../../src/flows/adapters.js';
import { silentLog } from '../../src/flows/log.js';
import { runPreview } from '../../src/flows/preview.js';
import { loadKubeConfig, resolveSettings } from '../../src/kube/connection.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const PLUGIN_ENV_SECRET = 'aws-secret-' + 'k'.repeat(20);
const OTHER_SECRET = 'ghs_' + 'z'.repeat(24);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-exec-plugin-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A kubeconfig whose user runs `script` (a POSIX shell script) as its exec plugin. */
function kubeconfigWithPlugin(script: string): string {
  const plugin = join(dir, 'credential-plugin');
  writeFileSync(plugin, `#!/bin/sh\n${script}\n`);
  chmodSync(plugin, 0o755);
  return `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]
users:
  - name: ci
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: ${plugin}
        interactiveMode: Never
        env: [{ name: PLUGIN_SECRET, value: ${PLUGIN_ENV_SECRET} }]
contexts: [{ name: prod-cluster, context: { cluster: c, user: ci } }]
current-context: prod-cluster
`;
}

const NOISY_FAILURE = `
i=0
while [ $i -lt 80 ]; do echo "debug: step $i of the token exchange" >&2; i=$((i+1)); done
echo "debug: calling STS with $PLUGIN_SECRET" >&2
echo "debug: cached credential ${OTHER_SECRET}" >&2
echo "error: AccessDenied: the role cannot be assumed" >&2
exit 1`;

async function authFailure(kubeconfig: string): Promise<string> {
  try {
    await resolveSettings(await loadKubeConfig({ kubeconfig, secrets }), secrets);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('authentication was expected to fail');
}

describe('exec plugin failures', () => {
  it('keep only the last lines of the plugin stderr, with every registered secret masked', async () => {
    secrets.add(OTHER_SECRET);
    const message = await authFailure(kubeconfigWithPlugin(NOISY_FAILURE));
    expect(message).toContain('with kubeconfig context "prod-cluster"');
    expect(message).toContain('error: AccessDenied: the role cannot be assumed');
    expect(message).toContain('debug: calling STS with ***');
    expect(message).toContain('debug: cached credential ***');
    expect(message).not.toContain(PLUGIN_ENV_SECRET);
    expect(message).not.toContain(OTHER_SECRET);
    // The start of a long stderr is left out, and the message says so.
    expect(message).not.toContain('step 0 of');
    expect(message).toMatch(/\d+ earlier lines of the plugin's stderr are not shown/);
    expect(message.split('\n').filter((line) => line.includes('debug: step')).length).toBeLessThanOrEqual(10);
  });

  it('cut a single overlong stderr line', async () => {
    const message = await authFailure(kubeconfigWithPlugin(`head -c 100000 /dev/zero | tr '\\0' 'x' >&2; echo >&2; exit 1`));
    expect(message.length).toBeLessThan(2_000);
  });

  it('never quote the plugin stdout when it is not an ExecCredential', async () => {
    const token = 'tok-' + 'p'.repeat(30);
    const message = await authFailure(kubeconfigWithPlugin(`echo "token: ${token}"; exit 0`));
    expect(message).toMatch(/exec plugin printed something that is not an ExecCredential/);
    expect(message).not.toContain(token.slice(0, 6));
  });

  it('shape the preview note "the cluster could not be asked" the same way', async () => {
    secrets.add(OTHER_SECRET);
    const env = {
      name: 'prod',
      path: 'envs/prod',
      context: 'prod-cluster',
      namespace: 'apps',
      prune: { enabled: true, maxShare: 0.5 },
      wait: { enabled: false, timeoutMs: 5_000 },
      forceConflicts: false,
    } as unknown as EnvironmentConfig;
    const config = { root: dir, file: join(dir, 'slipway.yaml'), environments: [env] } as unknown as PipelineConfig;
    const object = { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'apps' }, data: { a: '1' } } };
    const preview = await runPreview(
      { config, base: 'base', head: 'head', environments: 'all', clusterAllowed: true },
      {
        renderer: { render: async (_env, ref) => ({ objects: ref === 'head' ? [object] : [], findings: [] }) },
        validator,
        cluster: await createClusterPort({ secrets, kubeconfig: kubeconfigWithPlugin(NOISY_FAILURE), log: silentLog }),
        renderDiff,
        log: silentLog,
      },
    );
    const note = preview.environments[0].note ?? '';
    expect(note).toMatch(/^the cluster could not be asked/);
    expect(note).toContain('error: AccessDenied');
    expect(note).not.toContain('step 0 of');
    expect(note).not.toContain(PLUGIN_ENV_SECRET);
    expect(note).not.toContain(OTHER_SECRET);
  });
});
