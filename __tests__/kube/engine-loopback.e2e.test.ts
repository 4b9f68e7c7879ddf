/**
 * The engine end to end over real HTTPS, against the loopback API server: change-set actions,
 * no-op re-apply, fields the client library's models do not know, CRDs, Namespaces created by
 * the render, Secret masking, field-manager conflicts, immutable fields, prune guard rails and
 * retries under injected faults. (engine.test.ts covers the same logic against an in-memory
 * stand-in; this file proves it holds on the wire.)
 */

import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { APPLYSET_ID_LABEL, APPLYSET_PART_OF_LABEL } from '../../src/kube/applyset.js';
import { buildChangeSet } from '../../src/kube/changeset.js';
import { KubeClient } from '../../src/kube/client.js';
import { countChanges } from '../../src/model/changeset.js';
import type { KubeObject } from '../../src/model/objects.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import { configMap, deploy, deployment, environment, printable, rendered, seedNamespace } from './engine-loopback.js';

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

afterEach(() => server.clearFaults());

describe('change-set actions over HTTPS', () => {
  it('creates, updates, keeps unchanged, prunes, and reports an error with the server message and source', async () => {
    seedNamespace(server, 'actions');
    const env = environment('actions', 'actions');
    const first = await deploy(client, env, [rendered(configMap('a'), 'a.yaml', 3), rendered(configMap('b')), rendered(configMap('c')), rendered(configMap('d'))]);
    expect(countChanges(first.changeSet.entries)).toMatchObject({ create: 4 });
    expect(first.result.ok).toBe(true);

    const second = await deploy(client, env, [
      rendered(configMap('a', { k: 'changed' }), 'a.yaml', 3),
      rendered(configMap('b')),
      rendered(configMap('c')),
      rendered(configMap('Bad_Name'), 'bad.yaml', 12),
    ]);
    const byName = new Map(second.changeSet.entries.map((e) => [e.ref.name, e]));
    expect(byName.get('a')).toMatchObject({ action: 'update' });
    expect(byName.get('a')?.diff).toContain('+  k: changed');
    expect(byName.get('b')).toMatchObject({ action: 'unchanged', diff: '' });
    expect(byName.get('d')).toMatchObject({ action: 'delete', message: 'no longer in Git' });
    expect(byName.get('Bad_Name')?.action).toBe('error');
    expect(byName.get('Bad_Name')?.message).toContain('ConfigMap/actions/Bad_Name (envs/bad.yaml:12)');
    expect(byName.get('Bad_Name')?.message).toContain('a lowercase RFC 1123 subdomain must consist of');
    // A failed object stops prune: nothing is deleted while the render is in doubt.
    expect(second.result.pruneSkipped).toMatch(/failed to apply/);
    expect(server.getObject('v1', 'ConfigMap', 'd', 'actions')).toBeDefined();
    expect(server.getObject('v1', 'ConfigMap', 'a', 'actions')?.data).toEqual({ k: 'changed' });

    const third = await deploy(client, env, [rendered(configMap('a', { k: 'changed' })), rendered(configMap('b')), rendered(configMap('c'))]);
    expect(third.result.results.find((r) => r.ref.name === 'd')?.outcome).toBe('deleted');
    expect(server.getObject('v1', 'ConfigMap', 'd', 'actions')).toBeUndefined();
  });

  it('re-applies with zero non-dry-run writes and no resourceVersion moving', async () => {
    seedNamespace(server, 'noop');
    const env = environment('noop', 'noop');
    const objects = [
      rendered(configMap('cm')),
      rendered(deployment('web')),
      rendered({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { token: randomBytes(12).toString('hex') } }),
      rendered({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } }),
    ];
    await deploy(client, env, objects);
    const writes = server.writeCount();
    const revision = server.currentResourceVersion();
    const again = await deploy(client, env, objects);
    expect(countChanges(again.changeSet.entries)).toMatchObject({ unchanged: 4, create: 0, update: 0, delete: 0 });
    expect(server.writeCount()).toBe(writes);
    expect(server.currentResourceVersion()).toBe(revision);
  });
});

describe('the manifest reaches the server exactly as rendered', () => {
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gizmos.loop.slipway.dev' },
    spec: {
      group: 'loop.slipway.dev',
      names: { kind: 'Gizmo', plural: 'gizmos', singular: 'gizmo', listKind: 'GizmoList' },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
  const gizmo: KubeObject = {
    apiVersion: 'loop.slipway.dev/v1',
    kind: 'Gizmo',
    metadata: { name: 'g' },
    spec: { anything: { goes: [1, 'two', { three: true }] } },
    topLevelExtra: 'kept',
  };

  it('applies a CRD and its custom resource in one run, with fields no model knows', async () => {
    seedNamespace(server, 'crds');
    const env = environment('crds', 'crds');
    const { changeSet, result } = await deploy(client, env, [rendered(gizmo, 'gizmo.yaml', 1), rendered(crd, 'crd.yaml', 1)]);
    expect(changeSet.entries.map((e) => [e.ref.kind, e.action])).toEqual([
      ['Gizmo', 'create'],
      ['CustomResourceDefinition', 'create'],
    ]);
    expect(result.ok).toBe(true);
    const stored = server.getObject('loop.slipway.dev/v1', 'Gizmo', 'g', 'crds');
    expect(stored?.spec).toEqual(gizmo.spec);
    expect(stored?.topLevelExtra).toBe('kept');
    const again = await buildChangeSet(client, env, [rendered(gizmo), rendered(crd)], { prune: true });
    expect(countChanges(again.entries)).toMatchObject({ unchanged: 2 });
  });

  it('sends a made-up field on a built-in kind, and the server stores it', async () => {
    seedNamespace(server, 'future');
    const env = environment('future', 'future');
    const object = deployment('web', 'web', { futureKnob: { enabled: true, level: 3 } });
    server.clearRequests();
    const { result } = await deploy(client, env, [rendered(object)]);
    expect(result.ok).toBe(true);
    expect((server.getObject('apps/v1', 'Deployment', 'web', 'future')?.spec as Record<string, unknown>).futureKnob).toEqual({ enabled: true, level: 3 });
    const applies = server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/deployments/web'));
    expect(applies.map((r) => [r.contentType, r.fieldManager, r.query.fieldValidation])).toContainEqual(['application/apply-patch+yaml', 'slipway', 'Strict']);
  });

  it('plans and applies objects in a Namespace the same render creates, with the parent inside it', async () => {
    const env = environment('fresh', 'fresh-ns');
    const objects = [rendered(configMap('inside')), rendered({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh-ns' } }, 'ns.yaml', 1)];
    const { changeSet, result } = await deploy(client, env, objects);
    const inside = changeSet.entries.find((e) => e.ref.name === 'inside');
    expect(inside).toMatchObject({ action: 'create' });
    expect(inside?.message).toContain('its Namespace fresh-ns is created first');
    expect(result.ok).toBe(true);
    expect(server.getObject('v1', 'ConfigMap', 'inside', 'fresh-ns')?.metadata.labels?.[APPLYSET_PART_OF_LABEL]).toMatch(/^applyset-/);
    expect(server.getObject('v1', 'Secret', 'slipway-fresh', 'fresh-ns')?.metadata.labels?.[APPLYSET_ID_LABEL]).toMatch(/^applyset-/);
    const again = await buildChangeSet(client, env, objects, { prune: true });
    expect(countChanges(again.entries)).toMatchObject({ unchanged: 2 });
  });
});

describe('Secret values never appear', () => {
  const secretValues = (n: number): string[] => Array.from({ length: n }, () => randomBytes(18).toString('base64url'));
  const secret = (name: string, stringData: Record<string, string>, extra: Partial<KubeObject> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    type: 'Opaque',
    stringData,
    ...extra,
  });
  const expectNoValues = (text: string, values: string[]): void => {
    for (const value of values) {
      expect(text).not.toContain(value);
      expect(text).not.toContain(Buffer.from(value).toString('base64'));
    }
  };

  it('masks created, changed, immutable and conflicting Secrets in diffs and messages', async () => {
    seedNamespace(server, 'secrets');
    const values = secretValues(8);
    const env = environment('secrets', 'secrets', { forceConflicts: false });
    const first = await deploy(client, env, [
      rendered(secret('plain', { a: values[0], b: values[1] })),
      rendered(secret('frozen', { c: values[2] }, { immutable: true })),
    ]);
    expect(first.result.ok).toBe(true);
    // Another manager owns a key of a third Secret: our apply of that key conflicts.
    server.seed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shared', namespace: 'secrets' }, data: { d: Buffer.from(values[3]).toString('base64') } }, { manager: 'vault-injector' });

    const second = await deploy(client, env, [
      rendered(secret('plain', { a: values[0], b: values[4], e: values[5] })),
      rendered(secret('frozen', { c: values[6] }, { immutable: true }), 'frozen.yaml', 7),
      rendered(secret('shared', { d: values[7] }), 'shared.yaml', 2),
    ]);
    const byName = new Map(second.changeSet.entries.map((e) => [e.ref.name, e]));
    expect(byName.get('plain')?.action).toBe('update');
    expect(byName.get('plain')?.diff).toContain('*** (before)');
    expect(byName.get('plain')?.diff).toContain('*** (after)');
    expect(byName.get('frozen')?.action).toBe('error');
    expect(byName.get('frozen')?.message).toContain('Secret/secrets/frozen (envs/frozen.yaml:7)');
    expect(byName.get('frozen')?.message).toMatch(/immutable/);
    expect(byName.get('shared')?.action).toBe('error');
    expect(byName.get('shared')?.message).toContain('vault-injector');
    expectNoValues(printable(first), values);
    expectNoValues(printable(second), values);
    expectNoValues(JSON.stringify(second.result), values);
  });
});

describe('field managers and immutable fields', () => {
  it('takes fields from another manager by default and reports which and from whom', async () => {
    seedNamespace(server, 'takeover');
    server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tuned', namespace: 'takeover' }, data: { k: 'theirs', other: 'x' } }, { manager: 'kubectl-edit' });
    const { changeSet, result } = await deploy(client, environment('takeover', 'takeover'), [rendered(configMap('tuned', { k: 'ours' }))]);
    expect(changeSet.entries[0].action).toBe('update');
    expect(changeSet.entries[0].message).toContain('data.k from "kubectl-edit"');
    expect(result.results[0]).toMatchObject({ outcome: 'applied', takenFields: [{ manager: 'kubectl-edit', fields: ['data.k'] }] });
    expect(server.getObject('v1', 'ConfigMap', 'tuned', 'takeover')?.data).toEqual({ k: 'ours', other: 'x' });
  });

  it('refuses the conflict with forceConflicts false, naming the manager and the fields', async () => {
    seedNamespace(server, 'refuse');
    server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tuned', namespace: 'refuse' }, data: { k: 'theirs' } }, { manager: 'kubectl-edit' });
    const { changeSet, result } = await deploy(client, environment('refuse', 'refuse', { forceConflicts: false }), [rendered(configMap('tuned', { k: 'ours' }), 'tuned.yaml', 4)]);
    expect(changeSet.entries[0].action).toBe('error');
    expect(changeSet.entries[0].message).toContain('ConfigMap/refuse/tuned (envs/tuned.yaml:4)');
    expect(changeSet.entries[0].message).toContain('"kubectl-edit"');
    expect(changeSet.entries[0].message).toContain('.data.k');
    expect(changeSet.entries[0].message).toContain('forceConflicts');
    expect(result.ok).toBe(false);
    expect(server.getObject('v1', 'ConfigMap', 'tuned', 'refuse')?.data).toEqual({ k: 'theirs' });
  });

  it('explains an immutable field change, and recreates the object only when annotated', async () => {
    seedNamespace(server, 'immutable');
    const env = environment('immutable', 'immutable');
    await deploy(client, env, [rendered(deployment('web', 'web'))]);
    const uid = server.getObject('apps/v1', 'Deployment', 'web', 'immutable')?.metadata.uid;

    const refused = await deploy(client, env, [rendered(deployment('web', 'web-v2'), 'web.yaml', 9)]);
    expect(refused.changeSet.entries[0].action).toBe('error');
    expect(refused.changeSet.entries[0].message).toMatch(/Deployment\/immutable\/web \(envs\/web.yaml:9\): field spec.selector is immutable.*slipway.dev\/recreate: enabled/s);
    expect(server.getObject('apps/v1', 'Deployment', 'web', 'immutable')?.metadata.uid).toBe(uid);

    const annotated = deployment('web', 'web-v2', {}, { annotations: { 'slipway.dev/recreate': 'enabled' } });
    const recreated = await deploy(client, env, [rendered(annotated)]);
    expect(recreated.changeSet.entries[0].action).toBe('update');
    expect(recreated.changeSet.entries[0].message).toContain('will be deleted and recreated');
    expect(recreated.result.results[0]).toMatchObject({ outcome: 'applied' });
    expect(recreated.result.results[0].message).toContain('deleted and recreated');
    const after = server.getObject('apps/v1', 'Deployment', 'web', 'immutable');
    expect(after?.metadata.uid).not.toBe(uid);
    expect((after?.spec as { selector: unknown }).selector).toEqual({ matchLabels: { app: 'web-v2' } });
  });
});

describe('prune guard rails', () => {
  const four = ['a', 'b', 'c', 'd'].map((name) => rendered(configMap(name)));

  it('never prunes on an empty render', async () => {
    seedNamespace(server, 'empty');
    const env = environment('empty', 'empty');
    await deploy(client, env, four);
    const { result } = await deploy(client, env, []);
    expect(result.ok).toBe(false);
    expect(result.pruneSkipped).toMatch(/render is empty/);
    expect(server.listObjects('v1', 'ConfigMap', 'empty')).toHaveLength(4);
  });

  it('refuses to delete more than maxShare of the inventory unless forced', async () => {
    seedNamespace(server, 'share');
    const env = environment('share', 'share');
    await deploy(client, env, four);
    const refused = await deploy(client, env, four.slice(0, 1));
    expect(refused.result.pruneSkipped).toMatch(/3 of 4 objects \(75%\).*50%/);
    expect(server.listObjects('v1', 'ConfigMap', 'share')).toHaveLength(4);
    const forced = await deploy(client, env, four.slice(0, 1), { forcePrune: true });
    expect(forced.result.ok).toBe(true);
    expect(server.listObjects('v1', 'ConfigMap', 'share').map((o) => o.metadata.name)).toEqual(['a']);
  });

  it('keeps objects annotated slipway.dev/prune: disabled', async () => {
    seedNamespace(server, 'keep');
    const env = environment('keep', 'keep');
    await deploy(client, env, [...four.slice(0, 3), rendered(configMap('d', { k: 'v' }, { annotations: { 'slipway.dev/prune': 'disabled' } }))]);
    const { changeSet, result } = await deploy(client, env, four.slice(0, 3));
    expect(changeSet.entries.find((e) => e.ref.name === 'd')).toMatchObject({ action: 'delete', pruneProtected: true });
    expect(result.results.find((r) => r.ref.name === 'd')?.outcome).toBe('kept');
    expect(server.getObject('v1', 'ConfigMap', 'd', 'keep')).toBeDefined();
  });

  it('deletes in reverse stage order: webhooks first, resources, then Namespaces', async () => {
    seedNamespace(server, 'order');
    const env = environment('order', 'order', { prune: { enabled: true, maxShare: 1 } });
    const hook: KubeObject = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'order-hook' }, webhooks: [] };
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'order-extra' } };
    await deploy(client, env, [...four, rendered(configMap('extra', { k: 'v' }, { namespace: 'order-extra' })), rendered(ns), rendered(hook)]);
    server.clearRequests();
    const { result } = await deploy(client, env, four);
    expect(result.ok).toBe(true);
    const deletes = server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
    expect(deletes).toEqual([
      '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/order-hook',
      '/api/v1/namespaces/order-extra/configmaps/extra',
      '/api/v1/namespaces/order-extra',
    ]);
  });
});

describe('retries', () => {
  it('converges with about 20% of requests failing transiently (429 with Retry-After, 503, reset)', async () => {
    seedNamespace(server, 'flaky');
    const flaky = await KubeClient.connect({ kubeconfig: server.kubeconfig(), retryPolicy: { maxAttempts: 12, baseDelayMs: 2, maxDelayMs: 20, maxTotalMs: 30_000 } });
    try {
      const env = environment('flaky', 'flaky');
      const objects = Array.from({ length: 40 }, (_, i) => rendered(configMap(`c${i}`)));
      server.addFault({ rate: 0.08, status: 429, retryAfterSeconds: 0 });
      server.addFault({ rate: 0.08, status: 503, retryAfterSeconds: 0 });
      server.addFault({ rate: 0.05, status: 'reset' });
      const { result } = await deploy(flaky, env, objects);
      expect(result.ok).toBe(true);
      expect(flaky.stats.retries).toBeGreaterThan(5);
      const failed = server.requests.filter((r) => r.status === 429 || r.status === 503 || r.status === 0);
      expect(failed.length).toBeGreaterThan(5);
      server.clearFaults();
      expect(server.listObjects('v1', 'ConfigMap', 'flaky')).toHaveLength(40);
      const again = await deploy(flaky, env, objects);
      expect(countChanges(again.changeSet.entries).unchanged).toBe(40);
    } finally {
      flaky.close();
    }
  });

  it('does not retry a 4xx', async () => {
    seedNamespace(server, 'final');
    const fresh = await KubeClient.connect({ kubeconfig: server.kubeconfig() });
    try {
      server.clearRequests();
      const { changeSet } = await deploy(fresh, environment('final', 'final'), [rendered(configMap('Not_Valid'))]);
      expect(changeSet.entries[0].action).toBe('error');
      expect(server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/configmaps/Not_Valid'))).toHaveLength(1);
      expect(fresh.stats.retries).toBe(0);
    } finally {
      fresh.close();
    }
  });
});

describe('reading live objects', () => {
  it('reads many objects of one kind and namespace with one LIST, few with GETs, and finds the same changes', async () => {
    seedNamespace(server, 'listed');
    const env = environment('listed', 'listed');
    const many = Array.from({ length: 12 }, (_, i) => rendered(configMap(`m${i}`)));
    const few = [rendered(deployment('solo'))];
    await deploy(client, env, [...many, ...few]);
    server.clearRequests();
    const changeSet = await buildChangeSet(client, env, [rendered(configMap('m0', { k: 'changed' })), ...many.slice(1), ...few], { prune: true });
    expect(countChanges(changeSet.entries)).toMatchObject({ update: 1, unchanged: 12 });
    const gets = server.requests.filter((r) => r.method === 'GET');
    expect(gets.filter((r) => /\/configmaps\/m\d+$/.test(r.path))).toEqual([]);
    expect(gets.filter((r) => r.path === '/api/v1/namespaces/listed/configmaps' && !r.query.labelSelector)).toHaveLength(1);
    expect(gets.filter((r) => r.path === '/apis/apps/v1/namespaces/listed/deployments/solo')).toHaveLength(1);
  });
});
