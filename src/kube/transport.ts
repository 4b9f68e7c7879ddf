/**
 * One HTTP exchange with the API server over node:https, on a keep-alive agent so hundreds of
 * requests share a few dozen TLS connections. Separate from the client so tests can replace it.
 */

import * as http from 'node:http';
import * as https from 'node:https';
import { toTransportError } from './transport-errors.js';
import type { ConnectionSettings } from './connection.js';

export interface TransportRequest {
  method: string;
  /** Path and query, already encoded. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** A response whose body arrives as it is sent (watches); `close()` ends it early. */
export interface StreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer>;
  close(): void;
}

/** Opens a request whose body is read as a stream; `timeoutMs` bounds the wait for the response headers only; `signal` cancels it at any point. */
export type StreamTransport = (request: TransportRequest, signal?: AbortSignal) => Promise<StreamResponse>;

export const DEFAULT_MAX_SOCKETS = 32;

/** Builds a transport bound to the cluster's address and TLS settings; `settings()` gives fresh headers each request. */
export function httpsTransport(
  settings: () => Promise<ConnectionSettings>,
  initial: ConnectionSettings,
  maxSockets = DEFAULT_MAX_SOCKETS,
): { transport: Transport; stream: StreamTransport; close: () => void; connected: () => boolean } {
  const server = initial.server;
  const secure = server.protocol === 'https:';
  const agent =
    initial.proxyAgent ??
    (secure
      ? new https.Agent({ keepAlive: true, maxSockets, ...initial.tls })
      : new http.Agent({ keepAlive: true, maxSockets }));
  const basePath = server.pathname.replace(/\/$/, '');
  let hasConnected = false;

  /** One request's options: the server, the path under its base, the current credentials' headers. */
  const requestOptions = (request: { method: string; path: string; headers?: Record<string, string> }, headers: Record<string, string>): https.RequestOptions => ({
    protocol: server.protocol,
    hostname: server.hostname,
    port: server.port || (secure ? 443 : 80),
    method: request.method,
    path: basePath + request.path,
    headers: { ...headers, ...request.headers },
    agent,
  });
  const transport: Transport = async (request) => {
    const current = await settings();
    return new Promise<TransportResponse>((resolve, reject) => {
      let socketConnected = false;
      const req = (secure ? https : http).request(requestOptions(request, current.headers), (res) => {
        hasConnected = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', (error) => reject(toTransportError(error, true, request)));
      });
      req.on('socket', (socket) => {
        // A reused keep-alive socket is already connected.
        if (!socket.connecting) socketConnected = true;
        else socket.once('connect', () => (socketConnected = true));
      });
      req.setTimeout(request.timeoutMs, () => {
        req.destroy(Object.assign(new Error(`no answer within ${request.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
      req.on('error', (error) => reject(toTransportError(error, socketConnected || hasConnected, request)));
      if (request.body) req.end(request.body);
      else req.end();
    });
  };
  const stream: StreamTransport = async (request, signal) => {
    const current = await settings();
    return new Promise<StreamResponse>((resolve, reject) => {
      if (signal?.aborted) return reject(toTransportError(Object.assign(new Error('cancelled'), { code: 'ECONNABORTED' }), hasConnected, request));
      const req = (secure ? https : http).request(
        requestOptions(request, current.headers),
        (res) => {
          hasConnected = true;
          req.setTimeout(0);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, close: () => req.destroy() });
        },
      );
      req.setTimeout(request.timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${request.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (error) => reject(toTransportError(error, hasConnected, request)));
      const cancel = () => req.destroy(Object.assign(new Error('cancelled'), { code: 'ECONNABORTED' }));
      signal?.addEventListener('abort', cancel, { once: true });
      req.on('close', () => signal?.removeEventListener('abort', cancel));
      req.end();
    });
  };
  return { transport, stream, close: () => agent.destroy(), connected: () => hasConnected };
}
