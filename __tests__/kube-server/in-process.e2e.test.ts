/**
 * The loopback server's in-process port answers as its HTTPS edge does: the same requests,
 * sent by one client over HTTPS and by another in-process, get the same answers, failures,
 * resets, timeouts and watch events. Unit tests rely on the in-process port; this keeps it honest.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeClient } from '../../src/kube/client.js';
import { KubeApiError, KubeTransportError } from '../../src/kube/errors.js';
import type { KubeObject } from '../../src/model/objects.js';
import { FakeKubeApiServer, NO_RETRY } from '../support/kube-api-server.js';

let server: FakeKubeApiServer;
let overHttps: KubeClient;
let inProcess: KubeClient;

beforeAll(async () => {
  server = await FakeKubeApiServer.start();
  server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  overHttps = await KubeClient.connect({ kubeconfig: server.kubeconfig(), retryPolicy: NO_RETRY });
  inProcess = server.client({ retryPolicy: NO_RETRY });
});

afterAll(async () => {
  overHttps.close();
  await server.stop();
});

const clients = () => [
  ['https', overHttps],
  ['in-process', inProcess],
] as const;

/** What two answers to the same request share: everything but what the server stamps per object. */
function comparable(object: KubeObject | undefined): unknown {
  if (!object) return object;
  const { uid: _uid, resourceVersion: _rv, creationTimestamp: _created, managedFields, name: _name, ...metadata } = object.metadata;
  const managers = (managedFields as Record<string, unknown>[] | undefined)?.map(({ time: _time, ...rest }) => rest);
  return { ...object, metadata: { ...metadata, managedFields: managers } };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof KubeApiError) return { api: error.status, reason: error.reason };
  if (error instanceof KubeTransportError) return { transport: error.code };
  return error;
}

describe('in-process and HTTPS clients of one loopback server', () => {
  it('get the same objects back from apply, get, list and dry-run', async () => {
    const results = [];
    for (const [name, client] of clients()) {
      const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${name}`, namespace: 'apps', labels: { probe: 'same' } }, data: { k: 'v' } };
      const ref = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'apps', name: object.metadata.name! };
      const dryRun = await client.apply({ ...object, data: { k: 'dry' } }, { dryRun: true });
      const applied = await client.apply(object);
      const read = await client.get(ref);
      results.push({ dryRun: comparable(dryRun), applied: comparable(applied), read: comparable(read) });
    }
    expect(results[1]).toEqual(results[0]);
    for (const [, client] of clients()) {
      const listed = await client.list({ group: '', version: 'v1', kind: 'ConfigMap' }, { namespace: 'apps', labelSelector: 'probe=same' });
      expect(listed.map((o) => o.metadata.name)).toEqual(['cm-https', 'cm-in-process']);
    }
  });

  it('fail the same way: a Status error, a reset, no answer within the timeout', async () => {
    const missing = { group: '', version: 'v1', kind: 'Secret', namespace: 'apps', name: 'absent' };
    const outcomes = [];
    for (const [, client] of clients()) {
      const invalid = await failureOf(client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Not_A_Name', namespace: 'apps' } }));
      server.addFault({ nth: [1], status: 'reset', match: (r) => r.path.endsWith('/secrets/absent') });
      const reset = await failureOf(client.get(missing));
      server.clearFaults();
      server.addFault({ nth: [1], status: 'timeout', match: (r) => r.path.endsWith('/secrets/absent') });
      const hung = await failureOf(client.request({ method: 'GET', path: '/api/v1/namespaces/apps/secrets/absent', timeoutMs: 200, retry: false }));
      server.clearFaults();
      outcomes.push({ invalid, reset, hung, absent: await client.get(missing) });
    }
    expect(outcomes[0]).toEqual({ invalid: { api: 422, reason: 'Invalid' }, reset: { transport: 'ECONNRESET' }, hung: { transport: 'ETIMEDOUT' }, absent: undefined });
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it('see the same watch events', async () => {
    const seen: string[][] = [];
    for (const [name, client] of clients()) {
      const label = name;
      const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `w-${label}`, namespace: 'apps', labels: { watch: label } }, data: { k: 'one' } };
      await client.apply(object);
      const controller = new AbortController();
      const events: string[] = [];
      let second: Promise<unknown> | undefined;
      // The stream starts with the object as it is; the change is made once that arrived.
      for await (const event of client.watch('/api/v1/namespaces/apps/configmaps', { labelSelector: `watch=${label}` }, controller.signal)) {
        events.push(`${event.type} ${String((event.object.data as Record<string, unknown> | undefined)?.k)}`);
        if (events.length === 1) second = client.apply({ ...object, data: { k: 'two' } });
        if (events.length === 2) controller.abort();
      }
      await second;
      seen.push(events);
    }
    expect(seen[0]).toEqual(['ADDED one', 'MODIFIED two']);
    expect(seen[1]).toEqual(seen[0]);
  });
});
