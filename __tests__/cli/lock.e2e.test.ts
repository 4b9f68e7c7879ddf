/**
 * The deploy lock as two `slipway apply` runs on one machine see it: each process holds it under
 * its own identity, and a cancelled run (SIGTERM/SIGINT, here its abort signal) releases it at
 * once. Ordering comes from a held request and log lines, never from time.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../../src/cli/main.js';
import { leaseName } from '../../src/kube/lock.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { gitopsFiles, READY_DEPLOYMENT_STATUS } from '../action/fixture.js';

function capture(onErrLine: (line: string) => void = () => undefined): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    isTty: false,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => {
      io.err += t;
      onErrLine(t);
    },
  };
  return io;
}

describe('slipway apply and the deploy lock', () => {
  let repo: TestRepo;
  let kube: FakeKubeApiServer;
  let dir: string;
  let kubeconfig: string;
  beforeEach(async () => {
    repo = createTestRepo({ files: gitopsFiles() });
    kube = await FakeKubeApiServer.start();
    kube.onRead('Deployment', (o) => READY_DEPLOYMENT_STATUS(Number(o.metadata.generation ?? 1)));
    dir = mkdtempSync(join(tmpdir(), 'slipway-cli-lock-'));
    kubeconfig = kube.writeKubeconfig(dir);
  });
  afterEach(async () => {
    await kube.stop();
    rmSync(dir, { recursive: true, force: true });
    repo.cleanup();
  });

  const holderOf = () => (kube.getObject('coordination.k8s.io/v1', 'Lease', leaseName('dev'), 'default')?.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
  const deploymentApply = (r: { method: string; dryRun: boolean; path: string }) => r.method === 'PATCH' && !r.dryRun && r.path.endsWith('/namespaces/dev/deployments/web');

  it('two runs by one user on one host do not both hold the lock: the second waits for the first', async () => {
    const held = kube.hold(deploymentApply);
    const first = capture();
    const firstRun = runCli(['apply', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig], first);
    await held.reached;
    const holder = holderOf();
    expect(holder).toMatch(/^\S+@\S+ \(pid \d+, [0-9a-f]{8}\)$/);

    const second = capture((line) => {
      if (line.includes('waiting for the deploy lock')) held.release();
    });
    const secondRun = runCli(['apply', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig], second);
    const [firstCode, secondCode] = await Promise.all([firstRun, secondRun]);
    expect(second.err).toContain(`dev: waiting for the deploy lock held by ${holder}`);
    expect(firstCode).toBe(0);
    expect(secondCode).toBe(0);
    expect(first.err).not.toMatch(/lost/);
    expect(holderOf()).toBeUndefined();
  });

  it('a cancelled run releases the lock at once and fails', async () => {
    const held = kube.hold(deploymentApply);
    const cancel = new AbortController();
    const io = capture();
    const run = runCli(['apply', '--repo', repo.dir, '--env', 'dev', '--kubeconfig', kubeconfig], io, cancel.signal);
    await held.reached;
    expect(holderOf()).toBeDefined();

    cancel.abort(new Error('Cancelled by SIGTERM'));
    const code = await run;
    // Released while its apply still hangs: the next deploy need not wait for the lease to lapse.
    expect(holderOf()).toBeUndefined();
    expect(code).toBe(1);
    expect(`${io.out}${io.err}`).toMatch(/dev: failure[\s\S]*Cancelled by SIGTERM/);
    held.release();
  });
});
