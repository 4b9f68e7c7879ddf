import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConfig } from '../../src/kube/connection.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

describe('kubeconfig credentials in errors', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-kubeconfig-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('never prints a token from a malformed $KUBECONFIG, even where the parse error quotes it', async () => {
    const token = 'tok-' + 'q'.repeat(24);
    const path = join(dir, 'config');
    writeFileSync(path, `apiVersion: v1\nusers:\n  - name: ci\n    user:\n      token: ${token}\n  bad: [unclosed\n`);
    let message = '';
    try {
      await loadKubeConfig({ kubeconfigPaths: path, secrets });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/Cannot read the kubeconfig from \$KUBECONFIG.*\(6:3\)/);
    // The parser quotes nearby lines and cuts long ones short: not even a prefix may show.
    expect(message).not.toContain(token.slice(0, 8));
  });
});

describe('kubeconfig auth failures', () => {
  it('name the context and cluster when an exec plugin cannot run', async () => {
    const { resolveSettings } = await import('../../src/kube/connection.js');
    const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]
users: [{ name: u, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: /nowhere/aws-iam-authenticator, interactiveMode: Never } } }]
contexts: [{ name: prod-cluster, context: { cluster: c, user: u } }]
current-context: prod-cluster
`;
    const config = await loadKubeConfig({ kubeconfig });
    await expect(resolveSettings(config)).rejects.toThrow(/Cannot authenticate to cluster https:\/\/127\.0\.0\.1:6443 with kubeconfig context "prod-cluster"[\s\S]*exec plugin/);
  });
});
