/** `slipway apply` whose prune is refused by prune.maxShare: the counts it prints are what it did. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  owner: web\n`;

async function cli(...argv: string[]) {
  const io = { out: '', err: '', isTty: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) } satisfies CliIo & { out: string; err: string };
  const code = await runCli(argv, io);
  return { code, out: io.out, err: io.err };
}

let kube: FakeKubeApiServer;
let repo: TestRepo;
let dir: string;
beforeEach(async () => {
  kube = await FakeKubeApiServer.start();
  dir = mkdtempSync(join(tmpdir(), 'slipway-refused-prune-'));
  const files: Record<string, string> = {
    'slipway.yaml': 'environments:\n  - name: shop\n    path: clusters/shop\n    namespace: shop\ndefaults:\n  wait: { enabled: false }\n',
    'clusters/shop/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
  };
  for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) files[`clusters/shop/${name}.yaml`] = configMap(`settings-${name}`);
  repo = createTestRepo({ files });
  repo.commit('shop');
});
afterEach(async () => {
  await kube.stop();
  repo.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

it('prints 0 deleted, not the 6 deletions it planned', async () => {
  const kubeconfig = kube.writeKubeconfig(dir);
  const first = await cli('apply', '--repo', repo.dir, '--env', 'shop', '--kubeconfig', kubeconfig);
  expect(first.code).toBe(0);
  expect(first.out).toContain('shop: success (7 created, 0 updated, 0 deleted, 0 unchanged)');

  // The six ConfigMaps go, one new one comes: 6 of 7 deletions is more than prune.maxShare allows.
  repo.write(Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => [`clusters/shop/${name}.yaml`, null])));
  repo.write({ 'clusters/shop/fresh.yaml': configMap('settings-fresh') });
  repo.commit('replace the settings');
  const second = await cli('apply', '--repo', repo.dir, '--env', 'shop', '--kubeconfig', kubeconfig);
  expect(second.code).toBe(1);
  expect(second.out).toMatch(/prune/);
  expect(second.out).toContain('shop: failure (1 created, 0 updated, 0 deleted, 1 unchanged)');
  expect(kube.getObject('v1', 'ConfigMap', 'settings-a', 'shop')).toBeDefined();
});
