/**
 * ignoreDifferences over real HTTPS against the loopback API server: ignored fields are left out
 * of the cluster diff, of drift and of the "changed" decision, and a deploy leaves their live
 * value alone without taking them from the manager that writes them.
 */

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildChangeSet } from '../../src/kube/changeset.js';
import { KubeClient } from '../../src/kube/client.js';
import { ownsField } from '../../src/kube/ignore-managed.js';
import { countIgnored, hasChanges } from '../../src/model/changeset.js';
import type { KubeObject } from '../../src/model/objects.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { call } from '../kube-server/client.js';
import { configMap, deploy, deployment, environment, rendered, seedNamespace } from './engine-loopback.js';

let server: FakeKubeApiServer;
let client: KubeClient;

beforeAll(async () => {
  server = await FakeKubeApiServer.start();
  client = await KubeClient.connect({ kubeconfig: server.kubeconfig() });
});

afterAll(async () => {
  client.close();
  await server.stop();
});

/** A write by another field manager (an Update, as a controller or kubectl edit makes it). */
async function patchAs(manager: string, path: string, body: unknown): Promise<void> {
  const reply = await call(server, 'PATCH', `${path}?fieldManager=${manager}`, { body, contentType: 'application/merge-patch+json' });
  expect(reply.status).toBe(200);
}

const hpa = (target: string): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: target },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 2, maxReplicas: 10 },
});

const REPLICAS = [{ key: 'spec' }, { key: 'replicas' }];

describe('ignored fields against the cluster', () => {
  it('replicas of a Deployment its HPA scales: no diff, no drift, and a deploy keeps the HPA\'s count', async () => {
    seedNamespace(server, 'hpa');
    const env = environment('hpa', 'hpa');
    const objects = (image: string) => [rendered(deployment('web', 'web', { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } } })), rendered(hpa('web'))];
    await deploy(client, env, objects('nginx:1.27'));
    await patchAs('kube-controller-manager', '/apis/apps/v1/namespaces/hpa/deployments/web', { spec: { replicas: 5 } });

    const drift = await buildChangeSet(client, env, objects('nginx:1.27'), { prune: true });
    const web = drift.entries.find((e) => e.ref.name === 'web' && e.ref.kind === 'Deployment')!;
    expect(web).toMatchObject({ action: 'unchanged', diff: '', ignored: 1 });
    expect(hasChanges(drift)).toBe(false);
    expect(countIgnored(drift.entries)).toBe(1);

    const bumped = await deploy(client, env, objects('nginx:1.28'));
    const update = bumped.changeSet.entries.find((e) => e.ref.name === 'web' && e.ref.kind === 'Deployment')!;
    expect(update.action).toBe('update');
    expect(update.diff).toContain('+        - image: nginx:1.28');
    expect(update.diff).not.toContain('replicas');
    expect(update.ignored).toBe(1);
    expect(bumped.result.ok).toBe(true);
    const live = server.getObject('apps/v1', 'Deployment', 'web', 'hpa')!;
    expect((live.spec as { replicas: number }).replicas).toBe(5);
    // Sent over, Slipway would have taken replicas from the HPA's manager.
    expect(ownsField(live, 'slipway', REPLICAS)).toBe(false);
    expect(ownsField(live, 'kube-controller-manager', REPLICAS)).toBe(true);
  });

  it('an object deleted to be created again keeps the live value of its ignored fields', async () => {
    seedNamespace(server, 'recreate');
    const env = environment('recreate', 'recreate');
    const recreate = { annotations: { 'slipway.dev/recreate': 'enabled' } };
    await deploy(client, env, [rendered(deployment('web', 'web', { replicas: 2 }, recreate)), rendered(hpa('web'))]);
    await patchAs('kube-controller-manager', '/apis/apps/v1/namespaces/recreate/deployments/web', { spec: { replicas: 6 } });
    // A new selector cannot change in place: the Deployment is deleted and created again.
    const again = await deploy(client, env, [rendered(deployment('web', 'web-v2', { replicas: 2 }, recreate)), rendered(hpa('web'))]);
    const entry = again.changeSet.entries.find((e) => e.ref.kind === 'Deployment')!;
    expect(entry.message).toMatch(/deleted and recreated/);
    expect(entry.diff).not.toContain('replicas');
    expect(again.result.ok).toBe(true);
    const live = server.getObject('apps/v1', 'Deployment', 'web', 'recreate')!;
    expect(live.spec).toMatchObject({ replicas: 6, selector: { matchLabels: { app: 'web-v2' } } });
  });

  it('without a rule the same change is drift and a deploy writes it back', async () => {
    seedNamespace(server, 'plain');
    const env = environment('plain', 'plain');
    const objects = [rendered(deployment('web', 'web', { replicas: 2 }))];
    await deploy(client, env, objects);
    await patchAs('kubectl', '/apis/apps/v1/namespaces/plain/deployments/web', { spec: { replicas: 5 } });
    const again = await deploy(client, env, objects);
    expect(again.changeSet.entries[0]).toMatchObject({ action: 'update' });
    expect(again.changeSet.entries[0]!.diff).toMatch(/- {2}replicas: 5\n\+ {2}replicas: 2/);
    expect((server.getObject('apps/v1', 'Deployment', 'web', 'plain')!.spec as { replicas: number }).replicas).toBe(2);
  });

  it('managedFieldsManagers: fields the named manager owns keep its value; the manager keeps them', async () => {
    seedNamespace(server, 'managers');
    // `*` would match Slipway's own manager too; its fields are never ignored that way.
    const rules = { ignoreDifferences: [{ group: '', kind: 'ConfigMap', managedFieldsManagers: ['*'], jsonPointers: [] }] };
    const env = environment('managers', 'managers', rules);
    const objects = (extra: Record<string, string> = {}) => [rendered(configMap('settings', { mode: 'a', owned: '1', ...extra }))];
    await deploy(client, env, objects());
    await patchAs('operator-x', '/api/v1/namespaces/managers/configmaps/settings', { data: { mode: 'b' } });

    const plain = await buildChangeSet(client, environment('managers', 'managers'), objects(), { prune: false });
    expect(plain.entries[0]).toMatchObject({ action: 'update' });
    const ignoring = await buildChangeSet(client, env, objects(), { prune: false });
    expect(ignoring.entries[0]).toMatchObject({ action: 'unchanged', ignored: 1 });

    const writes = server.writeCount();
    const noop = await deploy(client, env, objects());
    expect(noop.result.ok).toBe(true);
    expect(server.writeCount()).toBe(writes);

    const more = await deploy(client, env, objects({ extra: 'x', owned: '2' }));
    expect(more.changeSet.entries[0]!.diff).toContain('+  extra: x');
    expect(more.changeSet.entries[0]!.diff).toContain('+  owned: "2"');
    expect(more.changeSet.entries[0]!.diff).not.toContain('mode');
    const live = server.getObject('v1', 'ConfigMap', 'settings', 'managers')!;
    expect(live.data).toEqual({ mode: 'b', owned: '2', extra: 'x' });
    expect(ownsField(live, 'operator-x', [{ key: 'data' }, { key: 'mode' }])).toBe(true);
  });

  it('jsonPointers: a field Slipway owns is applied with its live value, so the apply neither changes nor drops it', async () => {
    seedNamespace(server, 'pointers');
    const env = environment('pointers', 'pointers', { ignoreDifferences: [{ kind: 'ConfigMap', name: 'flags', jsonPointers: ['/metadata/annotations/example.com~1rollout', 'data.beta'], managedFieldsManagers: [] }] });
    const objects = (beta: string) => [rendered(configMap('flags', { beta, other: '1' }, { annotations: { 'example.com/rollout': 'blue' } }))];
    await deploy(client, env, objects('off'));
    const changed = await deploy(client, env, [rendered(configMap('flags', { beta: 'on', other: '2' }, { annotations: { 'example.com/rollout': 'green' } }))]);
    const entry = changed.changeSet.entries[0]!;
    expect(entry.action).toBe('update');
    expect(entry.ignored).toBe(2);
    expect(entry.diff).toContain('+  other: "2"');
    expect(entry.diff).not.toMatch(/beta|rollout/);
    const live = server.getObject('v1', 'ConfigMap', 'flags', 'pointers')!;
    expect(live.data).toEqual({ beta: 'off', other: '2' });
    expect(live.metadata.annotations?.['example.com/rollout']).toBe('blue');
    // Still Slipway's: sent with the live value, not left out (which would have deleted them).
    expect(ownsField(live, 'slipway', [{ key: 'data' }, { key: 'beta' }])).toBe(true);
  });

  it('built in: a caBundle another manager injected is neither a diff nor overwritten', async () => {
    const webhook = (timeoutSeconds: number): KubeObject => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'injector', annotations: { 'cert-manager.io/inject-ca-from': 'system/serving-cert' } },
      webhooks: [{ name: 'inject.example.com', admissionReviewVersions: ['v1'], sideEffects: 'None', timeoutSeconds, clientConfig: { caBundle: '', service: { name: 'webhook', namespace: 'system' } } }],
    });
    const env = environment('webhooks', 'default');
    await deploy(client, env, [rendered(webhook(5))]);
    const injected = server.getObject('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'injector')!;
    const webhooks = structuredClone(injected.webhooks) as { clientConfig: { caBundle: string } }[];
    webhooks[0]!.clientConfig.caBundle = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t';
    await patchAs('cainjector', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/injector', { webhooks });

    const drift = await buildChangeSet(client, env, [rendered(webhook(5))], { prune: false });
    expect(drift.entries[0]).toMatchObject({ action: 'unchanged', ignored: 1 });
    const changed = await deploy(client, env, [rendered(webhook(10))]);
    expect(changed.changeSet.entries[0]!.diff).toContain('timeoutSeconds: 10');
    expect(changed.changeSet.entries[0]!.diff).not.toContain('caBundle');
    const live = server.getObject('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'injector')!;
    expect((live.webhooks as { clientConfig: { caBundle: string }; timeoutSeconds: number }[])[0]).toMatchObject({ timeoutSeconds: 10, clientConfig: { caBundle: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t' } });
  });
});
