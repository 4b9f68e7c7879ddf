/**
 * The engine's request port (`Transport`, and `StreamTransport` for watches) served by the
 * loopback server's handler in the same process: no socket, so unit tests can drive the real
 * API semantics. What a socket would add is played here: a reset is ECONNRESET, a request the
 * server never answers times out after the request's own `timeoutMs`, a watch body streams.
 */
import { PassThrough } from 'node:stream';
import { KubeTransportError } from '../../../src/kube/errors.js';
import type { StreamTransport, Transport, TransportRequest, TransportResponse } from '../../../src/kube/transport.js';
import type { LoopbackReply, LoopbackRequest } from '../kube-api-server.js';

export interface InProcessOptions {
  /** Sent as the Authorization header, as a kubeconfig's credentials would be. */
  authorization: string;
  /** Registers how to drop a request left unanswered, so stopping the server ends it. */
  onHang: (drop: () => void) => void;
}

export function inProcessTransport(respond: (request: LoopbackRequest) => Promise<LoopbackReply>, options: InProcessOptions): { transport: Transport; stream: StreamTransport } {
  const toLoopback = (request: TransportRequest): LoopbackRequest => {
    const headers: Record<string, string> = { authorization: options.authorization };
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
    return { method: request.method, url: request.path, headers, body: request.body?.toString('utf8') ?? '', httpVersion: 'in-process' };
  };

  const transport: Transport = async (request) => {
    const reply = await respond(toLoopback(request));
    if (reply.kind === 'answer') return answer(reply);
    if (dropped(reply)) throw transportError('ECONNRESET', 'socket hang up', request);
    if (reply.kind === 'hang') return hang(request, options);
    throw transportError('EPROTO', 'a watch answered a plain request', request);
  };

  const stream: StreamTransport = async (request, signal) => {
    if (signal?.aborted) throw transportError('ECONNABORTED', 'cancelled', request);
    const reply = await respond(toLoopback(request));
    if (dropped(reply)) throw transportError('ECONNRESET', 'socket hang up', request);
    if (reply.kind === 'hang') return hang(request, options);
    if (reply.kind === 'answer') {
      const { status, headers, body } = answer(reply);
      return { status, headers, body: (async function* () { yield body; })(), close: () => undefined };
    }
    return openWatch(reply, signal);
  };

  return { transport, stream };
}

/** Without a connection, a GOAWAY is what it is over HTTP/1.1: a reset. */
function dropped(reply: LoopbackReply): reply is Extract<LoopbackReply, { kind: 'reset' | 'goaway' | 'refused' }> {
  return reply.kind === 'reset' || reply.kind === 'goaway' || reply.kind === 'refused';
}

function answer(reply: Extract<LoopbackReply, { kind: 'answer' }>): TransportResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers)) headers[name.toLowerCase()] = value;
  return { status: reply.status, headers, body: Buffer.from(reply.body, 'utf8') };
}

/** A stream the watch writes into and the client reads from; closing either side ends both. */
function openWatch(reply: Extract<LoopbackReply, { kind: 'watch' }>, signal: AbortSignal | undefined) {
  const body = new PassThrough();
  const closeListeners: (() => void)[] = [];
  let status = 200;
  let headers: Record<string, string> = {};
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    body.end();
    for (const listener of closeListeners) listener();
  };
  reply.serve({
    open: (code, sent) => {
      status = code;
      headers = Object.fromEntries(Object.entries(sent).map(([name, value]) => [name.toLowerCase(), value]));
    },
    write: (text) => void (closed || body.write(Buffer.from(text, 'utf8'))),
    end: close,
    onClose: (listener) => void closeListeners.push(listener),
  });
  signal?.addEventListener('abort', close, { once: true });
  return { status, headers, body: body as AsyncIterable<Buffer>, close };
}

/** No answer: fail as the real transport does once the request's timeout passes, or when the server stops. */
function hang(request: TransportRequest, options: InProcessOptions): Promise<never> {
  return new Promise((_, reject) => {
    const timer = setTimeout(() => reject(transportError('ETIMEDOUT', `no answer within ${request.timeoutMs} ms`, request)), request.timeoutMs);
    options.onHang(() => {
      clearTimeout(timer);
      reject(transportError('ECONNRESET', 'socket hang up', request));
    });
  });
}

function transportError(code: string, message: string, request: TransportRequest): KubeTransportError {
  return new KubeTransportError(code, `${request.method} ${request.path.split('?')[0]}: ${code}: ${message}`, true);
}
