/**
 * Picks the protocol on the first request: one TLS handshake offering h2 and http/1.1 (ALPN).
 * When the server (or the proxy in front of it) chooses h2, every request becomes a stream of
 * one HTTP/2 session; otherwise requests go over HTTPS/1.1 keep-alive connections, as before.
 * Plain http:// servers and SOCKS proxies always use HTTP/1.1 (the library's agent tunnels
 * SOCKS); http:// and https:// proxies are tunnelled with CONNECT and h2 is offered inside.
 */

import type { ConnectionSettings } from './connection.js';
import type { StreamTransport, Transport, TransportRequest } from './transport.js';
import { DEFAULT_MAX_SOCKETS, httpsTransport } from './transport.js';
import { toTransportError } from './transport-errors.js';
import { h2Transport } from './transport-h2.js';
import { openTls, type TlsTarget } from './transport-tls.js';

export type WireProtocol = 'h2' | 'http/1.1';

export interface TransportHandle {
  transport: Transport;
  stream: StreamTransport;
  close: () => void;
  connected: () => boolean;
  /** What the server agreed to; undefined before the first connection. */
  protocol: () => WireProtocol | undefined;
}

export interface TransportOptions {
  /** Offer HTTP/2 (default true); false keeps HTTPS/1.1. */
  http2?: boolean;
  /** HTTP/1.1 connections at most. */
  maxSockets?: number;
}

const RECONNECT_TIMEOUT_MS = 30_000;

export function connectTransport(settings: () => Promise<ConnectionSettings>, initial: ConnectionSettings, options: TransportOptions = {}): TransportHandle {
  const maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  const proxy = initial.proxyUrl ? new URL(initial.proxyUrl) : undefined;
  const tunnelable = !proxy || proxy.protocol === 'http:' || proxy.protocol === 'https:';
  if (initial.server.protocol !== 'https:' || options.http2 === false || !tunnelable) {
    return { ...httpsTransport(settings, initial, maxSockets), protocol: () => 'http/1.1' };
  }
  const target: TlsTarget = { server: initial.server, tls: initial.tls, proxy };
  type Chosen = ReturnType<typeof httpsTransport> & { protocol: WireProtocol };
  let chosen: Promise<Chosen> | undefined;
  let resolved: Chosen | undefined;

  const reconnect = async () => {
    const socket = await openTls(target, ['h2'], RECONNECT_TIMEOUT_MS);
    if (socket.alpnProtocol === 'h2') return socket;
    socket.destroy();
    throw Object.assign(new Error('the server no longer offers HTTP/2'), { code: 'EPROTO' });
  };
  const choose = (request: TransportRequest): Promise<Chosen> => {
    if (!chosen) {
      const attempt = openTls(target, ['h2', 'http/1.1'], request.timeoutMs).then((socket): Chosen => {
        if (socket.alpnProtocol === 'h2') return { ...h2Transport(settings, initial, socket, reconnect), protocol: 'h2' };
        // HTTP/1.1 only: this handshake is spent; the keep-alive agent opens its own connections.
        socket.destroy();
        return { ...httpsTransport(settings, initial, maxSockets), protocol: 'http/1.1' };
      });
      chosen = attempt;
      attempt.then(
        (handle) => (resolved = handle),
        () => {
          // Not reachable yet: the next request tries again (the retry policy decides whether it comes).
          if (chosen === attempt) chosen = undefined;
        },
      );
    }
    return chosen.catch((error: Error) => {
      throw toTransportError(error, false, request);
    });
  };

  return {
    transport: async (request) => (await choose(request)).transport(request),
    stream: async (request, signal) => (await choose(request)).stream(request, signal),
    close: () => {
      resolved?.close();
      void chosen?.then((handle) => handle.close(), () => undefined);
    },
    connected: () => resolved?.connected() ?? false,
    protocol: () => resolved?.protocol,
  };
}
