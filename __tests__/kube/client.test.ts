import { describe, expect, it } from '@jest/globals';
import { KubeApiError, KubeTransportError } from '../../src/kube/errors.js';
import { UnknownKindError } from '../../src/kube/discovery.js';
import { backoffDelay, classifyError, parseRetryAfter, withRetry } from '../../src/kube/retry.js';
import { fakeClient, json, status } from './fake-transport.js';

const coreV1 = json(200, {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    { name: 'namespaces', kind: 'Namespace', namespaced: false },
    { name: 'pods/status', kind: 'Pod', namespaced: true },
  ],
});

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
    let n = 0;
    const { client, calls } = fakeClient((req) => {
      if (req.path === '/api/v1') return coreV1;
      n += 1;
      if (n === 1) return { ...status(429, 'TooManyRequests', 'slow down'), headers: { 'retry-after': '0' } };
      if (n === 2) return status(503, 'ServiceUnavailable', 'busy');
      return json(200, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } });
    });
    const live = await client.get({ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'a' });
    expect(live?.metadata.name).toBe('a');
    expect(client.stats.retries).toBe(2);
    expect(calls.map((c) => c.path)).toContain('/api/v1/namespaces/ns/configmaps/a');
  });

  it('does not retry a 422 and names the object in the error', async () => {
    const { client, calls } = fakeClient((req) =>
      req.path === '/api/v1' ? coreV1 : status(422, 'Invalid', 'ConfigMap "a" is invalid: data: Invalid value'),
    );
    const error = await client
      .apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).status).toBe(422);
    expect((error as Error).message).toContain('ConfigMap/ns/a');
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);
  });

  it('sends server-side apply as raw JSON with every field kept', async () => {
    const { client, calls } = fakeClient((req) => (req.path === '/api/v1' ? coreV1 : json(200, JSON.parse(req.body!.toString()))));
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' }, futureField: { x: 1 } };
    await client.apply(object, { dryRun: true, force: true });
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers['Content-Type']).toBe('application/apply-patch+yaml');
    expect(patch.path).toContain('dryRun=All');
    expect(patch.path).toContain('fieldManager=slipway');
    expect(patch.path).toContain('fieldValidation=Strict');
    expect(patch.path).toContain('force=true');
    expect(JSON.parse(patch.body!.toString())).toEqual(object);
    expect(client.stats.writes).toBe(0);
  });

  it('lists all pages and fills in apiVersion and kind', async () => {
    const { client } = fakeClient((req) => {
      if (req.path === '/api/v1') return coreV1;
      const page2 = req.path.includes('continue=t');
      return json(200, { items: [{ metadata: { name: page2 ? 'b' : 'a' } }], metadata: { continue: page2 ? '' : 't' } });
    });
    const items = await client.list({ group: '', version: 'v1', kind: 'ConfigMap' }, { namespace: 'ns', labelSelector: 'x=y' });
    expect(items.map((i) => [i.kind, i.apiVersion, i.metadata.name])).toEqual([
      ['ConfigMap', 'v1', 'a'],
      ['ConfigMap', 'v1', 'b'],
    ]);
  });
});

describe('discovery', () => {
  it('caches, builds paths, and refreshes once for an unknown kind', async () => {
    let served = false;
    const { client, calls } = fakeClient((req) => {
      if (req.path === '/api/v1') return coreV1;
      if (req.path === '/apis/example.com/v1') {
        return served ? json(200, { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true }] }) : status(404, 'NotFound', 'not found');
      }
      return status(404, 'NotFound', 'nope');
    });
    const ns = await client.discovery.resolve({ group: '', version: 'v1', kind: 'Namespace' });
    expect(ns.objectPath('ignored', 'apps')).toBe('/api/v1/namespaces/apps');
    const cm = await client.discovery.resolve({ group: '', version: 'v1', kind: 'ConfigMap' });
    expect(cm.objectPath('apps', 'web')).toBe('/api/v1/namespaces/apps/configmaps/web');
    expect(calls.filter((c) => c.path === '/api/v1')).toHaveLength(1);

    const missing = await client.discovery.resolve({ group: 'example.com', version: 'v1', kind: 'Widget' }, 'Widget/apps/w').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(UnknownKindError);
    expect((missing as Error).message).toContain('Widget/apps/w');
    expect((missing as Error).message).toContain('CustomResourceDefinition');

    served = true;
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
