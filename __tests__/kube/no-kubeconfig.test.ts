import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoKubeconfigError, readKubeconfig } from '../../src/kube/connection.js';

describe('no kubeconfig at all', () => {
  const saved = { HOME: process.env.HOME };
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'slipway-home-'));
    process.env.HOME = home;
  });
  afterEach(() => {
    process.env.HOME = saved.HOME;
    rmSync(home, { recursive: true, force: true });
  });

  it('names the lookup order, and the flag on the command line', async () => {
    await expect(readKubeconfig({ kubeconfigSetting: '--kubeconfig FILE' })).rejects.toThrow(NoKubeconfigError);
    await expect(readKubeconfig({ kubeconfigSetting: '--kubeconfig FILE' })).rejects.toThrow(
      'No kubeconfig: looked for $KUBECONFIG (not set), then ~/.kube/config (no such file), then an in-cluster service account (none).\n  Pass --kubeconfig FILE, or set $KUBECONFIG.',
    );
  });

  it('names the input in the action, and a $KUBECONFIG that points nowhere', async () => {
    const kubeconfigPaths = join(home, 'missing.yaml');
    await expect(readKubeconfig({ kubeconfigPaths })).rejects.toThrow(`looked for $KUBECONFIG (${kubeconfigPaths}: no such file)`);
    await expect(readKubeconfig({ kubeconfigPaths })).rejects.toThrow('Pass one in the `kubeconfig` input (a secret), or set $KUBECONFIG.');
  });
});
