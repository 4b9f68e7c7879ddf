// A scripted transport for unit tests of the client: each request is answered by a handler.
import type { Transport, TransportRequest, TransportResponse } from '../../src/kube/transport.js';
import { KubeClient } from '../../src/kube/client.js';
import type { RetryPolicy } from '../../src/kube/retry.js';

export type Handler = (request: TransportRequest) => TransportResponse | Promise<TransportResponse>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse {
  return { status, headers, body: Buffer.from(JSON.stringify(body)) };
}

export function status(code: number, reason: string, message: string, extra: Record<string, unknown> = {}): TransportResponse {
  return json(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, ...extra });
}

export const FAST_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 5_000 };

export function fakeClient(handler: Handler, policy: RetryPolicy = FAST_RETRY): { client: KubeClient; calls: TransportRequest[] } {
  const calls: TransportRequest[] = [];
  const transport: Transport = async (request) => {
    calls.push(request);
    return handler(request);
  };
  return { client: new KubeClient(transport, 'test', 'https://127.0.0.1', undefined, policy), calls };
}
