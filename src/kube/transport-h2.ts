/**
 * HTTP/2 to the API server: one session per cluster carrying every request as its own stream,
 * as client-go does, so hundreds of requests pay one TCP and TLS handshake between them.
 *
 * A session ends by GOAWAY (the server restarting or shedding connections) or by an error. The
 * next request opens a new one. A request the server says it never processed (a stream above
 * GOAWAY's last stream id, one refused with REFUSED_STREAM, or one never sent) is sent again
 * on the new session, whatever its method: nothing was done, so nothing is duplicated. A
 * request that may have been processed is failed as a reset, for the client's retry policy.
 */

import * as http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { ConnectionSettings } from './connection.js';
import type { StreamResponse, StreamTransport, Transport, TransportRequest, TransportResponse } from './transport.js';
import { toTransportError } from './transport-errors.js';

const { NGHTTP2_CANCEL, NGHTTP2_REFUSED_STREAM } = http2.constants;

/** Stream and connection flow-control windows: a LIST of hundreds of objects must not wait for WINDOW_UPDATEs across the link (client-go uses 4 MiB per stream). */
const STREAM_WINDOW = 4 * 1024 * 1024;
const SESSION_WINDOW = 64 * 1024 * 1024;
/** Times a never-processed request is sent again on a fresh session before giving up. */
const MAX_UNPROCESSED_RESENDS = 5;

/** Headers HTTP/2 forbids (connection-specific); Host becomes :authority. */
const CONNECTION_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

interface Session {
  session: http2.ClientHttp2Session;
  /** Set once a GOAWAY arrived: streams above it were not processed. */
  goawayLastStreamId?: number;
  active: number;
}

/** The server did not process the request: safe to send again. */
class Unprocessed extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

export interface H2Handle {
  transport: Transport;
  stream: StreamTransport;
  close: () => void;
  connected: () => boolean;
  /** Sessions opened so far (1 unless GOAWAYs or errors ended some). */
  sessions: () => number;
}

/**
 * `first` is the negotiated socket that chose h2; `reconnect` opens another (ALPN h2) after a
 * GOAWAY or error. `settings()` gives fresh headers each request.
 */
export function h2Transport(settings: () => Promise<ConnectionSettings>, initial: ConnectionSettings, first: TLSSocket, reconnect: () => Promise<TLSSocket>): H2Handle {
  const basePath = initial.server.pathname.replace(/\/$/, '');
  const authority = initial.server.origin;
  /** The session new requests go to; undefined once it got a GOAWAY or ended. */
  let live: Session | undefined;
  let connecting: Promise<Session> | undefined;
  let opened = 1;
  let closed = false;
  let hasConnected = false;

  function startSession(socket: TLSSocket): Session {
    const session = http2.connect(authority, {
      createConnection: () => socket,
      settings: { enablePush: false, initialWindowSize: STREAM_WINDOW },
      // Many large responses in flight at once must not trip the default 10 MB cap (which refuses new streams).
      maxSessionMemory: 256,
    });
    const entry: Session = { session, active: 0 };
    session.once('localSettings', () => session.setLocalWindowSize(SESSION_WINDOW));
    const retire = () => {
      if (live === entry) live = undefined;
    };
    session.on('goaway', (_code: number, lastStreamID: number) => {
      // A server may send a second, lower one (a graceful shutdown in two steps): the lowest holds.
      entry.goawayLastStreamId = Math.min(entry.goawayLastStreamId ?? lastStreamID, lastStreamID);
      retire();
    });
    session.on('close', retire);
    // Streams report their own errors; the session's only retire it.
    session.on('error', retire);
    session.unref();
    live = entry;
    return entry;
  }
  startSession(first);

  const session = (): Promise<Session> => {
    if (closed) return Promise.reject(Object.assign(new Error('the client was closed'), { code: 'ECONNABORTED' }));
    if (live && !live.session.closed && !live.session.destroyed) return Promise.resolve(live);
    live = undefined;
    if (!connecting) {
      opened += 1;
      connecting = reconnect()
        .then(startSession)
        .finally(() => (connecting = undefined));
    }
    return connecting;
  };

  /** Opens one stream and resolves with it once the response headers arrive. */
  const open = async (request: TransportRequest, signal?: AbortSignal): Promise<{ entry: Session; stream: http2.ClientHttp2Stream; headers: http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader }> => {
    const current = await settings();
    const headers: http2.OutgoingHttpHeaders = { ':method': request.method, ':path': basePath + request.path };
    for (const [name, value] of Object.entries({ ...current.headers, ...request.headers })) {
      const lower = name.toLowerCase();
      if (!CONNECTION_HEADERS.has(lower)) headers[lower] = value;
    }
    for (let sent = 0; ; sent += 1) {
      const entry = await session().catch((error: Error) => {
        throw toTransportError(error, hasConnected, request);
      });
      try {
        return await exchange(entry, headers, request, signal);
      } catch (error) {
        if (error instanceof Unprocessed && sent < MAX_UNPROCESSED_RESENDS && !signal?.aborted) continue;
        throw toTransportError(error instanceof Unprocessed ? error.cause : (error as Error), true, request);
      }
    }
  };

  const exchange = (entry: Session, headers: http2.OutgoingHttpHeaders, request: TransportRequest, signal?: AbortSignal) =>
    new Promise<{ entry: Session; stream: http2.ClientHttp2Stream; headers: http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader }>((resolve, reject) => {
      let stream: http2.ClientHttp2Stream;
      try {
        stream = entry.session.request(headers, { endStream: !request.body });
      } catch (error) {
        // The session is closing or gone (GOAWAY raced this request): nothing was sent.
        return reject(new Unprocessed(error as Error));
      }
      entry.active += 1;
      if (entry.active === 1) entry.session.ref();
      let answered = false;
      let finished = false;
      const done = () => {
        if (finished) return;
        finished = true;
        entry.active -= 1;
        if (entry.active === 0 && !entry.session.destroyed) entry.session.unref();
      };
      const notProcessed = () =>
        stream.rstCode === NGHTTP2_REFUSED_STREAM || stream.id === undefined || (entry.goawayLastStreamId !== undefined && stream.id > entry.goawayLastStreamId);
      const fail = (error: Error) => {
        done();
        if (answered) return;
        answered = true;
        reject(notProcessed() ? new Unprocessed(error) : error);
      };
      stream.setTimeout(request.timeoutMs, () => {
        stream.setTimeout(0);
        if (answered) return;
        fail(Object.assign(new Error(`no answer within ${request.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
        stream.close(NGHTTP2_CANCEL);
        // The connection may be dead without a word (a NAT or proxy dropped it): the retry, and
        // every request after it, go on a new one; streams still open here finish or time out.
        if (live === entry) {
          live = undefined;
          entry.session.close();
        }
      });
      const cancel = () => {
        fail(Object.assign(new Error('cancelled'), { code: 'ECONNABORTED' }));
        stream.close(NGHTTP2_CANCEL);
      };
      if (signal?.aborted) return cancel();
      signal?.addEventListener('abort', cancel, { once: true });
      stream.on('response', (responseHeaders) => {
        if (answered) return;
        answered = true;
        hasConnected = true;
        stream.setTimeout(0);
        resolve({ entry, stream, headers: responseHeaders });
      });
      stream.on('error', (error: Error & { code?: string }) => fail(Object.assign(error, { code: streamErrorCode(error, stream) })));
      stream.on('close', () => {
        done();
        signal?.removeEventListener('abort', cancel);
        if (!answered) fail(Object.assign(new Error(`stream closed before an answer (HTTP/2 code ${stream.rstCode})`), { code: 'ECONNRESET' }));
      });
      if (request.body) stream.end(request.body);
    });

  const transport: Transport = async (request) => {
    const { stream, headers } = await open(request);
    return new Promise<TransportResponse>((resolve, reject) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve({ status: Number(headers[':status']), headers: plainHeaders(headers), body: Buffer.concat(chunks) }));
      stream.on('error', (error: Error & { code?: string }) => reject(toTransportError(Object.assign(error, { code: streamErrorCode(error, stream) }), true, request)));
      stream.on('close', () => {
        if (!stream.readableEnded) reject(toTransportError(Object.assign(new Error('stream reset during the answer'), { code: 'ECONNRESET' }), true, request));
      });
    });
  };

  const stream: StreamTransport = async (request, signal) => {
    const { stream: opened, headers } = await open(request, signal);
    return { status: Number(headers[':status']), headers: plainHeaders(headers), body: opened, close: () => opened.close(NGHTTP2_CANCEL) } satisfies StreamResponse;
  };

  return {
    transport,
    stream,
    close: () => {
      closed = true;
      live?.session.close();
      void connecting?.then((entry) => entry.session.close(), () => undefined);
      live = undefined;
    },
    connected: () => hasConnected,
    sessions: () => opened,
  };
}

/** A reset stream or a dead session reads as a reset connection, which the retry policy knows. */
function streamErrorCode(error: Error & { code?: string }, stream: http2.ClientHttp2Stream): string {
  if (error.code === 'ETIMEDOUT' || error.code === 'ECONNABORTED') return error.code;
  // Stream resets, session errors, GOAWAY races, protocol errors: the exchange may or may not have been processed.
  if (error.code?.startsWith('ERR_HTTP2_') && !error.code.includes('HEADER')) return 'ECONNRESET';
  return error.code ?? (stream.rstCode ? 'ECONNRESET' : 'EUNKNOWN');
}

function plainHeaders(headers: http2.IncomingHttpHeaders): Record<string, string | string[] | undefined> {
  const result: Record<string, string | string[] | undefined> = {};
  for (const [name, value] of Object.entries(headers)) if (!name.startsWith(':')) result[name] = value;
  return result;
}
