/**
 * The loopback server's cheaper code paths keep its semantics: JSON-spelled apply bodies,
 * plain deep copies, the kind-indexed store with read-only peeks, and the ECDSA certificate.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { parseYamlBody } from '../support/kube-api/body.js';
import { servingCertificate } from '../support/kube-api/cert.js';
import { clone } from '../support/kube-api/clone.js';
import { ObjectStore } from '../support/kube-api/store.js';
import { FakeKubeApiServer } from '../support/kube-api-server.js';
import type { KubeObject } from '../../src/model/objects.js';
import { apply, call } from './client.js';

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

function configMap(name: string, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { k: 'v' } };
}

describe('YAML request bodies', () => {
  test('JSON spelling, flow YAML and block YAML parse to the same value', () => {
    const expected = { a: 1, b: ['x', { c: true }], d: null };
    expect(parseYamlBody(' \n{"a":1,"b":["x",{"c":true}],"d":null}')).toEqual(expected);
    expect(parseYamlBody('{a: 1, b: [x, {c: true}], d: null}')).toEqual(expected);
    expect(parseYamlBody('a: 1\nb:\n  - x\n  - c: true\nd: null\n')).toEqual(expected);
  });

  test('a body that is neither JSON nor YAML still fails as YAML', () => {
    expect(() => parseYamlBody('{"a": 1')).toThrow();
    expect(() => parseYamlBody('a: [1, 2\n')).toThrow();
  });
});

describe('clone', () => {
  test('copies JSON values deeply', () => {
    const source = { a: { b: [1, { c: 'x' }] }, d: null, e: undefined };
    const copy = clone(source);
    expect(copy).toEqual(source);
    expect('e' in copy).toBe(true);
    (copy.a.b[1] as { c: string }).c = 'changed';
    expect((source.a.b[1] as { c: string }).c).toBe('x');
  });

  test('keeps a parsed `__proto__` key as data and copies non-plain values', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "when": 1}') as Record<string, unknown>;
    const copy = clone(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'when']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const date = new Date(0);
    const withDate = clone({ date });
    expect(withDate.date).toEqual(date);
    expect(withDate.date).not.toBe(date);
  });
});

describe('ObjectStore', () => {
  test('get and list hand out copies; peek and scan the stored objects', () => {
    const store = new ObjectStore();
    store.put('', configMap('a'));
    const got = store.get('', 'ConfigMap', 'default', 'a') as KubeObject;
    got.data = { k: 'changed' };
    store.list('', 'ConfigMap')[0].data = { k: 'changed' };
    expect(store.peek('', 'ConfigMap', 'default', 'a')?.data).toEqual({ k: 'v' });
    expect(store.scan('', 'ConfigMap')[0]).toBe(store.peek('', 'ConfigMap', 'default', 'a'));
  });

  test('lists one kind in namespace then name order, and deletes by namespace and by kind', () => {
    const store = new ObjectStore();
    for (const [ns, name] of [['b', 'x'], ['a', 'y'], ['a', 'x'], ['ab', 'x']]) store.put('', configMap(name, ns));
    store.put('', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'a' } });
    const names = (namespace?: string) => store.scan('', 'ConfigMap', namespace).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(names()).toEqual(['a/x', 'a/y', 'ab/x', 'b/x']);
    expect(names('a')).toEqual(['a/x', 'a/y']);
    expect(store.deleteNamespaced('a')).toBe(3);
    expect(names()).toEqual(['ab/x', 'b/x']);
    store.deleteKind('', 'ConfigMap');
    expect(names()).toEqual([]);
    expect(store.get('', 'Secret', 'a', 'x')).toBeUndefined();
  });
});

describe('serving certificate', () => {
  test('is a self-signed ECDSA CA certificate for 127.0.0.1 and localhost', () => {
    const { cert, key } = servingCertificate();
    const x509 = new X509Certificate(cert);
    expect(x509.ca).toBe(true);
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.subject).toBe('CN=slipway-fake-kube-apiserver');
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(new Date(x509.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(Date.now() + 7 * 24 * 3600 * 1000);
  });
});

describe('loopback server without copies on its read paths', () => {
  let server: FakeKubeApiServer;

  beforeEach(async () => {
    server = await FakeKubeApiServer.start();
  });

  afterEach(async () => {
    await server.stop();
  });

  test('a YAML-spelled and a JSON-spelled apply store the same object', async () => {
    const yaml = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: same', 'data:', '  k: v', ''].join('\n');
    const first = await call(server, 'PATCH', `${CONFIGMAPS}/same?fieldManager=m`, { body: yaml, contentType: 'application/apply-patch+yaml' });
    expect(first.status).toBe(201);
    const revision = server.currentResourceVersion();
    const again = await apply(server, `${CONFIGMAPS}/same`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' }, data: { k: 'v' } }, 'fieldManager=m');
    expect(again.status).toBe(200);
    expect(server.currentResourceVersion()).toBe(revision);
    expect(again.body.metadata.managedFields).toEqual(first.body.metadata.managedFields);
  });

  test('a malformed apply body is a 400 decoding error', async () => {
    const reply = await call(server, 'PATCH', `${CONFIGMAPS}/bad?fieldManager=m`, { body: '{"apiVersion": "v1", ', contentType: 'application/apply-patch+yaml' });
    expect(reply.status).toBe(400);
    expect(reply.body.message).toMatch(/^error decoding YAML: /);
  });

  test('objects handed to tests or clients never alias stored state', async () => {
    const seeded = server.seed(configMap('cm'));
    (seeded.data as Record<string, string>).k = 'seed-edit';
    const read = server.getObject('v1', 'ConfigMap', 'cm', 'default') as KubeObject;
    expect(read.data).toEqual({ k: 'v' });
    (read.data as Record<string, string>).k = 'get-edit';
    server.listObjects('v1', 'ConfigMap', 'default')[0].metadata.labels = { edited: 'yes' };
    const stored = server.getObject('v1', 'ConfigMap', 'cm', 'default') as KubeObject;
    expect(stored.data).toEqual({ k: 'v' });
    expect(stored.metadata.labels).toBeUndefined();
  });

  test('dry-run applies and patches of an existing object store nothing', async () => {
    await apply(server, `${CONFIGMAPS}/cm`, configMap('cm'), 'fieldManager=m');
    const before = server.getObject('v1', 'ConfigMap', 'cm', 'default');
    const revision = server.currentResourceVersion();
    const dryApply = await apply(server, `${CONFIGMAPS}/cm`, { ...configMap('cm'), data: { k: 'new', extra: 'x' } }, 'fieldManager=m&dryRun=All');
    expect(dryApply.status).toBe(200);
    expect(dryApply.body.data).toEqual({ k: 'new', extra: 'x' });
    const dryPatch = await call(server, 'PATCH', `${CONFIGMAPS}/cm?dryRun=All&fieldManager=p`, {
      body: { data: { k: 'patched' } },
      contentType: 'application/merge-patch+json',
    });
    expect(dryPatch.body.data).toEqual({ k: 'patched' });
    expect(server.currentResourceVersion()).toBe(revision);
    expect(server.getObject('v1', 'ConfigMap', 'cm', 'default')).toEqual(before);
  });
});
