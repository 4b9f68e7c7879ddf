/**
 * kubectl 1.35 reads the inventory Slipway writes: members by the part-of label, the parent
 * by the id label. And what `kubectl apply --prune --applyset` makes of our parent: it refuses
 * it because the tooling annotation names slipway, not kubectl (see applyset.ts). Once the
 * tooling is relabelled, kubectl accepts the same parent and would prune our members, which
 * shows the id, labels and contains-group-kinds are laid out as kubectl expects.
 */

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { APPLYSET_ID_LABEL, APPLYSET_TOOLING_ANNOTATION } from '../../src/kube/applyset.js';
import { buildChangeSet } from '../../src/kube/changeset.js';
import { KubeClient } from '../../src/kube/client.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { configMap, deploy, deployment, environment, rendered, seedNamespace } from './engine-loopback.js';

let server: FakeKubeApiServer;
let client: KubeClient;
let dir: string;
let kubeconfig: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real kubectl (first on PATH in tests) with a private HOME and cache, and only the environment given. */
function kubectl(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const fullArgs = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args];
  return new Promise((resolve) => {
    execFile('kubectl', fullArgs, { env: { PATH: process.env.PATH ?? '', HOME: dir, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  server = await FakeKubeApiServer.start();
  client = await KubeClient.connect({ kubeconfig: server.kubeconfig() });
  dir = mkdtempSync(join(tmpdir(), 'slipway-applyset-'));
  kubeconfig = server.writeKubeconfig(dir);
  seedNamespace(server, 'apps');
  seedNamespace(server, 'edge');
  const { result } = await deploy(client, environment('dev', 'apps'), [
    rendered(configMap('settings')),
    rendered(configMap('routes', { k: 'v' }, { namespace: 'edge' })),
    rendered(deployment('web')),
    rendered({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'dev-reader' }, rules: [] }),
  ]);
  expect(result.ok).toBe(true);
});

afterAll(async () => {
  client.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const applySetIdOf = (): string => server.getObject('v1', 'Secret', 'slipway-dev', 'apps')!.metadata.labels![APPLYSET_ID_LABEL];

describe('kubectl sees the inventory Slipway writes', () => {
  it('lists the members by the part-of label, across namespaces and cluster scope', async () => {
    const got = await kubectl(['get', 'configmaps,deployments.apps,clusterroles.rbac.authorization.k8s.io', '-A', '-l', `applyset.kubernetes.io/part-of=${applySetIdOf()}`, '-o', 'name']);
    expect(got.stderr).toBe('');
    expect(got.stdout.trim().split('\n').sort()).toEqual(['clusterrole.rbac.authorization.k8s.io/dev-reader', 'configmap/routes', 'configmap/settings', 'deployment.apps/web']);
  });

  it('finds the parent by the id label', async () => {
    const got = await kubectl(['get', 'secrets', '-A', '-l', APPLYSET_ID_LABEL, '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {.metadata.annotations}{"\\n"}{end}']);
    expect(got.code).toBe(0);
    expect(got.stdout).toContain('apps/slipway-dev');
    expect(got.stdout).toContain('"applyset.kubernetes.io/contains-group-kinds":"ClusterRole.rbac.authorization.k8s.io,ConfigMap,Deployment.apps"');
    expect(got.stdout).toContain('"applyset.kubernetes.io/additional-namespaces":"edge"');
  });
});

describe('kubectl apply --prune --applyset against our parent', () => {
  const manifest = (): string => {
    const file = join(dir, 'settings.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  k: v\n');
    return file;
  };
  const pruneArgs = (): string[] => ['apply', '--server-side', '--prune', '--applyset=secret/slipway-dev', '-n', 'apps', '--dry-run=server', '-f', manifest()];

  it('needs KUBECTL_APPLYSET=true in 1.35 (the flag is still alpha)', async () => {
    const got = await kubectl(pruneArgs());
    expect(got.code).not.toBe(0);
    expect(got.stderr).toContain('unknown flag: --applyset');
  });

  it('refuses a parent whose tooling annotation is not kubectl, and changes nothing', async () => {
    const writes = server.writeCount();
    const got = await kubectl(pruneArgs(), { KUBECTL_APPLYSET: 'true' });
    expect(got.code).not.toBe(0);
    expect(got.stderr).toContain('ApplySet parent object "secrets./slipway-dev" already exists and is managed by tooling "slipway" instead of "kubectl"');
    expect(server.writeCount()).toBe(writes);
  });

  it('accepts the same parent once its tooling says kubectl, and would prune our other members', async () => {
    // Only to show the rest of the layout is what kubectl expects; Slipway never writes this.
    await client.request({
      method: 'PATCH',
      path: '/api/v1/namespaces/apps/secrets/slipway-dev',
      contentType: 'application/merge-patch+json',
      body: { metadata: { annotations: { [APPLYSET_TOOLING_ANNOTATION]: 'kubectl/v1.35.0' } } },
    });
    const writes = server.writeCount();
    const got = await kubectl(pruneArgs(), { KUBECTL_APPLYSET: 'true' });
    expect(got.code).toBe(0);
    // kubectl writes the parent as field manager kubectl-applyset and force-takes the
    // annotations Slipway's apply owns (a server dry run here, so nothing is stored).
    expect(got.stderr).toContain('conflicts with "slipway"');
    expect(got.stderr).toContain('ApplySet field manager kubectl-applyset should own these fields. Retrying with conflicts forced.');
    expect(server.writeCount()).toBe(writes);
    const lines = got.stdout.trim().split('\n').sort();
    expect(lines).toEqual([
      'clusterrole.rbac.authorization.k8s.io/dev-reader pruned (server dry run)',
      'configmap/routes pruned (server dry run)',
      'configmap/settings serverside-applied (server dry run)',
      'deployment.apps/web pruned (server dry run)',
    ]);
    expect(server.getObject('apps/v1', 'Deployment', 'web', 'apps')).toBeDefined();
  });

  it('is then refused by Slipway in turn: the inventory of another tool is not adopted', async () => {
    await expect(buildChangeSet(client, environment('dev', 'apps'), [rendered(configMap('settings'))], { prune: true })).rejects.toThrow(
      /Secret\/apps\/slipway-dev.*managed by tooling "kubectl\/v1.35.0", not Slipway/,
    );
  });
});
