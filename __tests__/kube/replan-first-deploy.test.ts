// The re-plan under the deploy lock on a first deploy to an empty cluster: nothing was written
// between the plan and the lock, so nothing may count as changed (in particular a custom
// resource planned behind its CRD, whose kind is still not served under the lock).
import { describe, expect, it } from '@jest/globals';
import { buildChangeSet } from '../../src/kube/changeset.js';
import { deployEnvironment } from '../../src/kube/deploy-environment.js';
import { systemClock } from '../../src/kube/wait-api.js';
import type { KubeObject, RenderedObject } from '../../src/model/objects.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { testEnvironment } from '../support/environment.js';

/** Cluster-wide definitions, as the example repository's `platform` environment holds them. */
const platform = testEnvironment('platform', { path: 'platform', wait: { enabled: false, timeoutMs: 1000 } });

/** Deploys `plan` under the lock, keeping what the deploy logs. */
function deploy(client: Parameters<typeof deployEnvironment>[0], plan: Parameters<typeof deployEnvironment>[2], infos: string[]) {
  return deployEnvironment(
    client,
    platform,
    plan,
    { timeoutMs: 5_000, holder: 'test', forcePrune: false },
    { log: { info: (m) => infos.push(m), warning: (m) => infos.push(m) }, clock: systemClock },
  );
}

const rendered = (object: KubeObject, file: string): RenderedObject => ({ object, source: { file, line: 1, column: 1 } });

const render: RenderedObject[] = [
  rendered({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops' } }, 'platform/backups.yaml'),
  rendered(
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'backupschedules.ops.acme.dev' },
      spec: {
        group: 'ops.acme.dev',
        scope: 'Namespaced',
        names: { plural: 'backupschedules', singular: 'backupschedule', kind: 'BackupSchedule' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { schedule: { type: 'string' } } } } } } }],
      },
    },
    'platform/crds/backups.yaml',
  ),
  rendered({ apiVersion: 'ops.acme.dev/v1', kind: 'BackupSchedule', metadata: { name: 'nightly', namespace: 'ops' }, spec: { schedule: '0 3 * * *' } }, 'platform/backups.yaml'),
  rendered({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'backup-settings', namespace: 'ops' }, data: { retainDays: '14' } }, 'platform/backups.yaml'),
];

describe('re-plan under the lock on a first deploy', () => {
  it('plans nothing again and sends no second dry-run when nothing was written between plan and lock', async () => {
    const server = FakeKubeApiServer.inProcess();
    const client = server.client();
    try {
      const plan = await buildChangeSet(client, platform, render, { prune: true });
      expect(plan.entries.map((e) => e.action)).toEqual(['create', 'create', 'create', 'create']);

      const infos: string[] = [];
      server.clearRequests();
      const outcome = await deploy(client, plan, infos);

      expect(outcome.apply.failed).toEqual([]);
      expect(infos.filter((m) => m.includes('planned again under the lock'))).toEqual([]);
      // The plan's dry-runs stand: the deploy sends none of its own.
      expect(server.requests.filter((r) => r.dryRun).map((r) => r.path)).toEqual([]);
      expect(server.getObject('ops.acme.dev/v1', 'BackupSchedule', 'nightly', 'ops')).toBeDefined();
    } finally {
      client.close();
    }
  });

  it('still plans a custom resource again when someone else served its kind and created it between plan and lock', async () => {
    const server = FakeKubeApiServer.inProcess();
    const client = server.client();
    const other = server.client();
    try {
      const plan = await buildChangeSet(client, platform, render, { prune: true });
      // Another tool applies the Namespace, the CRD and a BackupSchedule of the same name before the lock is taken.
      await other.apply(render[0].object, { fieldManager: 'kubectl', force: true });
      await other.apply(render[1].object, { fieldManager: 'kubectl', force: true });
      await other.apply({ ...render[2].object, spec: { schedule: '0 4 * * *' } }, { fieldManager: 'kubectl', force: true });

      const infos: string[] = [];
      const outcome = await deploy(client, plan, infos);

      expect(outcome.apply.failed).toEqual([]);
      expect(infos).toContain('platform: planned again under the lock: 3 object(s) changed since the plan');
      expect(outcome.changeSet?.entries.find((e) => e.ref.kind === 'BackupSchedule')?.action).toBe('update');
      expect(server.getObject('ops.acme.dev/v1', 'BackupSchedule', 'nightly', 'ops')?.spec).toEqual({ schedule: '0 3 * * *' });
    } finally {
      other.close();
      client.close();
    }
  });
});
