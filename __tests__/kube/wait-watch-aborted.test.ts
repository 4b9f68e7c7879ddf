import { describe, expect, it } from '@jest/globals';
import type { ObjectRef } from '../../src/model/objects.js';
import { watchForHealth } from '../../src/kube/wait-watch.js';
import { FakeClock } from '../support/clock.js';
import { FakeKubeApiServer, NO_RETRY } from '../support/kube-api-server.js';

const ref: ObjectRef = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'web', name: 'settings' };

describe('watching for health after the deploy was cancelled', () => {
  it('a signal aborted before the wait starts ends it at once with its reason, sending nothing', async () => {
    const server = FakeKubeApiServer.inProcess();
    server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
    server.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'web' }, data: {} });
    const client = server.client({ retryPolicy: NO_RETRY });
    const cancel = new AbortController();
    const reason = new Error('Cancelled by SIGTERM');
    cancel.abort(reason);
    const before = server.requests.length;

    await expect(
      watchForHealth(client, [{ ref, path: '/api/v1/namespaces/web/configmaps/settings' }], { timeoutMs: 60_000, signal: cancel.signal, clock: new FakeClock() }),
    ).rejects.toBe(reason);
    // A cancelled deploy's work goes on in the background until it notices: it must not keep watching.
    expect(server.requests.slice(before)).toEqual([]);
    await server.stop();
  });
});
