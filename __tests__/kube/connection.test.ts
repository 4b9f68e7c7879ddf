import { describe, expect, it } from '@jest/globals';
import { SecretMask } from '../../src/exec/secrets.js';
import { loadKubeConfig, resolveSettings } from '../../src/kube/connection.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const TOKEN = 'tok-3f9c1d2e8b7a6f5e4d3c2b1a';
const kubeconfig = `apiVersion: v1
kind: Config
clusters:
  - name: one
    cluster: { server: 'https://127.0.0.1:6443', insecure-skip-tls-verify: true }
users:
  - name: robot
    user: { token: '${TOKEN}' }
contexts:
  - name: dev
    context: { cluster: one, user: robot, namespace: apps }
  - name: prod
    context: { cluster: one, user: robot }
current-context: dev
`;

describe('connection', () => {
  it('selects the context, returns bearer auth, and masks the token', async () => {
    const config = await loadKubeConfig({ kubeconfig, context: 'prod', secrets });
    const settings = await resolveSettings(config, secrets);
    expect(settings.context).toBe('prod');
    expect(settings.server.port).toBe('6443');
    expect(settings.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(secrets.mask(`token is ${TOKEN}`)).toBe('token is ***');
    expect((await resolveSettings(await loadKubeConfig({ kubeconfig }))).namespace).toBe('apps');
  });

  it('names the available contexts when the one asked for is missing', async () => {
    await expect(loadKubeConfig({ kubeconfig, context: 'staging' })).rejects.toThrow(/"staging" does not exist[\s\S]*dev, prod/);
  });
});
