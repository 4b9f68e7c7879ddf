// ignoreDifferences from slipway.yaml, through the CLI, against the loopback API server: diff, drift and apply.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { gitopsFiles, READY_DEPLOYMENT_STATUS } from '../action/fixture.js';

async function cli(...argv: string[]) {
  const io = { out: '', err: '', isTty: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  const code = await runCli(argv, io as CliIo);
  return { code, out: io.out, err: io.err };
}

const CONFIG = `environments:
  - name: dev
    path: envs/dev
    namespace: dev
defaults:
  wait: { timeout: 20s }
  ignoreDifferences:
    - group: ""
      kind: ConfigMap
      name: web-*
      jsonPointers: [/data/LOG_LEVEL]
`;

describe('slipway with ignoreDifferences', () => {
  let repo: TestRepo;
  let kube: FakeKubeApiServer;
  let dir: string;
  let kubeconfig: string;
  beforeEach(async () => {
    repo = createTestRepo({ files: { ...gitopsFiles(), 'slipway.yaml': CONFIG } });
    kube = await FakeKubeApiServer.start();
    kube.onRead('Deployment', (o) => READY_DEPLOYMENT_STATUS(Number(o.metadata.generation ?? 1)));
    dir = mkdtempSync(join(tmpdir(), 'slipway-ignore-'));
    kubeconfig = kube.writeKubeconfig(dir);
  });
  afterEach(async () => {
    await kube.stop();
    rmSync(dir, { recursive: true, force: true });
    repo.cleanup();
  });

  it('an ignored field changed in Git is no drift, no diff and not applied; the count is printed', async () => {
    expect((await cli('apply', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig)).code).toBe(0);
    repo.write({ 'base/config.yaml': gitopsFiles()['base/config.yaml'].replace('info', 'debug') });

    const drift = await cli('drift', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig);
    expect(drift.code).toBe(0);
    expect(drift.out).toMatch(/dev: in sync/);
    const diff = await cli('diff', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig);
    expect(diff.out).toContain('1 field ignored');
    expect(diff.out).not.toContain('debug');

    const writes = kube.writeCount();
    expect((await cli('apply', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig)).code).toBe(0);
    expect(kube.writeCount()).toBe(writes);
    expect(kube.getObject('v1', 'ConfigMap', 'web-config', 'dev')?.data).toEqual({ LOG_LEVEL: 'info' });
  });
});
