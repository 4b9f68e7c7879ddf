import { describe, expect, it } from '@jest/globals';
import { KubeApiError, KubeTransportError } from '../../src/kube/errors.js';
import { UnknownKindError } from '../../src/kube/discovery.js';
import { backoffDelay, classifyError, parseRetryAfter, withRetry } from '../../src/kube/retry.js';
import type { KubeObject } from '../../src/model/objects.js';
import { failure, FAST_RETRY, FakeKubeApiServer } from '../support/kube-api-server.js';

/** The loopback API server, in-process, with namespace `ns`, and a client with millisecond back-off. */
function cluster() {
  const server = FakeKubeApiServer.inProcess();
  server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
  return { server, client: server.client({ retryPolicy: FAST_RETRY }) };
}

const configMap = (name: string, labels?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', labels } });

describe('retry policy', () => {
  it('retries 429 and 5xx, not 4xx validation errors', () => {
    for (const code of [429, 500, 502, 503, 504]) {
      expect(classifyError(new KubeApiError(code, 'x', 'm', undefined, 's'), true).retry).toBe(true);
    }
    for (const code of [400, 403, 404, 409, 422]) {
      expect(classifyError(new KubeApiError(code, 'x', 'm', undefined, 's'), true).retry).toBe(false);
    }
  });

  it('retries resets and timeouts; refused only after a connection once worked', () => {
    expect(classifyError(new KubeTransportError('ECONNRESET', 'reset', true), true).retry).toBe(true);
    expect(classifyError(new KubeTransportError('ETIMEDOUT', 't', true), false).retry).toBe(true);
    expect(classifyError(new KubeTransportError('ECONNREFUSED', 'r', false), false).retry).toBe(false);
    expect(classifyError(new KubeTransportError('ECONNREFUSED', 'r', false), true).retry).toBe(true);
  });

  it('parses Retry-After seconds and dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 10_000 };
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(400);
    expect(backoffDelay(9, policy, () => 1)).toBe(1000);
    expect(backoffDelay(3, policy, () => 0)).toBe(100);
  });

  it('stops at the attempt bound and at the time bound', async () => {
    let calls = 0;
    const failing = async (): Promise<never> => {
      calls += 1;
      throw new KubeApiError(503, 'ServiceUnavailable', 'busy', undefined, 's');
    };
    const policy = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 1000 };
    await expect(withRetry(failing, (e) => classifyError(e, true), policy, { sleep: async () => undefined })).rejects.toThrow('busy');
    expect(calls).toBe(3);
    calls = 0;
    let clock = 0;
    await expect(
      withRetry(failing, (e) => classifyError(e, true), { ...policy, maxAttempts: 100, maxTotalMs: 50, baseDelayMs: 20, maxDelayMs: 20 }, {
        sleep: async (ms) => void (clock += ms),
        now: () => clock,
        random: () => 1,
      }),
    ).rejects.toThrow('busy');
    expect(calls).toBe(3);
  });
});

describe('KubeClient', () => {
  it('retries 429 honouring Retry-After and 503, then succeeds', async () => {
    const { server, client } = cluster();
    server.seed(configMap('a'));
    const path = '/api/v1/namespaces/ns/configmaps/a';
    server.addFault({ match: (r) => r.path === path, nth: [1], status: 429, retryAfterSeconds: 0 });
    server.addFault({ match: (r) => r.path === path, nth: [2], status: 503, retryAfterSeconds: 0 });
    const live = await client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'a' });
    expect(live?.metadata.name).toBe('a');
    expect(client.stats.retries).toBe(2);
    expect(server.requests.map((c) => c.path)).toContain(path);
    expect(server.requests.filter((c) => c.path === path).map((c) => c.status)).toEqual([429, 503, 200]);
  });

  it('does not retry a 422 and names the object in the error', async () => {
    const { server, client } = cluster();
    server.intercept((req) => (req.method === 'PATCH' ? failure(422, 'Invalid', 'ConfigMap "a" is invalid: data: Invalid value') : undefined));
    const error = await client
      .apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(422);
    expect((error as Error).message).toContain('ConfigMap/ns/a');
    expect(server.requests.filter((c) => c.method === 'PATCH')).toHaveLength(1);
  });

  it('sends server-side apply as raw JSON with every field kept', async () => {
    const { server, client } = cluster();
    const bodies: string[] = [];
    server.intercept((req) => void (req.method === 'PATCH' && bodies.push(req.body)));
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' }, futureField: { x: 1 } };
    await client.apply(object, { dryRun: true, force: true });
    const patch = server.requests.find((c) => c.method === 'PATCH')!;
    expect(patch.contentType).toBe('application/apply-patch+yaml');
    expect(patch.query).toMatchObject({ dryRun: 'All', fieldManager: 'slipway', fieldValidation: 'Strict', force: 'true' });
    expect(bodies.map((body) => JSON.parse(body) as unknown)).toEqual([object]);
    expect(client.stats.writes).toBe(0);
  });

  it('lists all pages and fills in apiVersion and kind', async () => {
    const { server, client } = cluster();
    // One more than the client's page size (500), and one the label selector leaves out.
    const names = Array.from({ length: 501 }, (_, i) => `c${String(i).padStart(3, '0')}`);
    for (const name of names) server.seed(configMap(name, { x: 'y' }));
    server.seed(configMap('other', { x: 'z' }));
    const items = await client.list({ group: '', version: 'v1', kind: 'ConfigMap' }, { namespace: 'ns', labelSelector: 'x=y' });
    expect(items.map((i) => i.metadata.name)).toEqual(names);
    expect(new Set(items.map((i) => `${i.kind} ${i.apiVersion}`))).toEqual(new Set(['ConfigMap v1']));
    const pages = server.requests.filter((r) => r.path === '/api/v1/namespaces/ns/configmaps');
    expect(pages.map((r) => [r.query.labelSelector, r.query.continue !== undefined])).toEqual([
      ['x=y', false],
      ['x=y', true],
    ]);
  });
});

describe('discovery', () => {
  it('caches, builds paths, and refreshes once for an unknown kind', async () => {
    const { server, client } = cluster();
    const ns = await client.discovery.resolve({ group: '', version: 'v1', kind: 'Namespace' });
    expect(ns.objectPath('ignored', 'apps')).toBe('/api/v1/namespaces/apps');
    const cm = await client.discovery.resolve({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(cm.objectPath('apps', 'web')).toBe('/api/v1/namespaces/apps/configmaps/web');
    expect(server.requests.filter((c) => c.path === '/api/v1')).toHaveLength(1);

    const missing = await client.discovery.resolve({ group: 'example.com', version: 'v1', kind: 'Widget' }, 'Widget/apps/w').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UnknownKindError);
    expect((missing as Error).message).toContain('Widget/apps/w');
    expect((missing as Error).message).toContain('CustomResourceDefinition');

    server.seed({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const widget = await client.discovery.resolve({ group: 'example.com', version: 'v1', kind: 'Widget' });
    expect(widget.collectionPath('apps')).toBe('/apis/example.com/v1/namespaces/apps/widgets');
  });
});

describe('retry of requests that get no answer', () => {
  it('does not let hung attempts use up the time budget that fast failures get', async () => {
    // Two answers that never come, each cut at a 30 s request timeout, then an answer: the
    // default 60 s budget would end after the second hang if waiting for answers counted.
    let clock = 0;
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls <= 2) {
          clock += 30_000;
          throw new KubeTransportError('ETIMEDOUT', 'PATCH ConfigMap/default/web: ETIMEDOUT: no answer within 30000 ms', true);
        }
        return 'applied';
      },
      (e) => classifyError(e, true),
      { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 5_000, maxTotalMs: 60_000 },
      { now: () => clock, sleep: async (ms) => void (clock += ms), random: () => 1 },
    );
    expect(result).toBe('applied');
    expect(calls).toBe(3);
  });

  it('still stops at the attempt bound', async () => {
    let clock = 0;
    let calls = 0;
    const hanging = async (): Promise<never> => {
      calls += 1;
      clock += 30_000;
      throw new KubeTransportError('ETIMEDOUT', 'no answer', true);
    };
    await expect(withRetry(hanging, (e) => classifyError(e, true), { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5_000, maxTotalMs: 60_000 }, { now: () => clock, sleep: async (ms) => void (clock += ms) })).rejects.toThrow('no answer');
    expect(calls).toBe(4);
  });
});
