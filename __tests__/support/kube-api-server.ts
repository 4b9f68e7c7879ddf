/**
 * A Kubernetes API server for tests, in-process on 127.0.0.1 over HTTPS with a bearer token,
 * so real clients (the engine's, and kubectl itself) run their real code paths against it.
 * It speaks HTTP/2 and HTTP/1.1 (ALPN picks), as kube-apiserver does, or HTTP/1.1 only
 * (`http2: false`), as behind a proxy that does not offer h2.
 * The API semantics live in ./kube-api/api.ts; this file is the HTTP edge: auth, recording,
 * latency and fault injection, and the handles tests use to seed and inspect state.
 *
 * Where it differs from a real API server (on purpose, to stay small):
 * - No schemas: list types come from field names (containers/env/volumes/... by name, ports by
 *   port+protocol, volumeMounts by mountPath, conditions by type; finalizers a set; other lists
 *   atomic; selectors atomic maps). Unknown fields are kept; `fieldValidation` is accepted and
 *   ignored; custom resources are neither validated nor pruned against their openAPIV3Schema.
 * - Little defaulting: Namespace label/finalizer/phase, Secret type and stringData, Service
 *   clusterIP, Job selector and labels. No Deployment/Pod defaults (replicas, strategy, ...).
 * - managedFields of non-apply writes use the apply encoding (no `.` on maps).
 * - Deletion is immediate (no finalizers, no Terminating namespaces); a Namespace takes its
 *   contents at once. Watches stream events and resume from a resourceVersion (410 once compacted).
 * - Served versions of a CRD are relabelled, not converted. No Table output (kubectl prints
 *   NAME/AGE), no aggregated discovery, no /openapi/v2. /scale is served for Deployments,
 *   StatefulSets and ReplicaSets (GET, PUT, JSON/merge/strategic PATCH; no apply), not for custom resources.
 * - Validation covers: names, workload selectors (required, matching, immutable),
 *   StatefulSet/Job/PVC immutability, RoleBinding roleRef, immutable ConfigMaps/Secrets,
 *   CRD name. Invalid values are spelled as JSON, not Go syntax.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants, createSecureServer, type Http2ServerRequest, type ServerHttp2Session } from 'node:http2';
import type { Server as NetServer, Socket } from 'node:net';
import { join } from 'node:path';
import type { KubeObject } from '../../src/model/objects.js';
import { deleteOptionsDryRun, KubeApi, splitGv, type ReadBehaviour } from './kube-api/api.js';
import { servingCertificate } from './kube-api/cert.js';
import { Faults, type FaultRule } from './kube-api/faults.js';
import { renderKubeconfig, type KubeconfigOptions } from './kube-api/kubeconfig.js';
import { errors, type ApiError } from './kube-api/status.js';
import { serveWatch, type WatchSink } from './kube-api/watch.js';
import { inProcessTransport } from './kube-api/in-process.js';
import { KubeClient } from '../../src/kube/client.js';
import type { RetryPolicy } from '../../src/kube/retry.js';

export type { FaultRule } from './kube-api/faults.js';

export interface FakeKubeOptions {
  latencyMs?: number;
  token?: string;
  /** Offer HTTP/2 next to HTTP/1.1 (default true); false serves HTTP/1.1 only. */
  http2?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  dryRun: boolean;
  /** HTTP status sent; 0 when the connection was reset or never answered. */
  status: number;
  contentType?: string;
  fieldManager?: string;
  /** `2.0` over HTTP/2, `1.1` over HTTP/1.1. */
  httpVersion: string;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** One request as the server sees it, whether it came over a socket or in-process. */
export interface LoopbackRequest {
  method: string;
  /** Path and query string, as sent. */
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** `1.1`, `2.0`, or `in-process`. */
  httpVersion: string;
  /** The connection's HTTP/2 GOAWAY bookkeeping; absent in-process. */
  connection?: LoopbackConnection;
}

export interface LoopbackConnection {
  /** True when a GOAWAY already refused this request's stream (it is not processed). */
  refused(): boolean;
  /** This request was processed: a later GOAWAY names it among the finished ones. */
  handled(): void;
}

/** What becomes of a request: an answer, a dropped connection, no answer ever, or a watch stream. */
export type LoopbackReply =
  | { kind: 'answer'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'reset' }
  /** Refused by a GOAWAY sent earlier (the stream is already closed). */
  | { kind: 'refused' }
  /** A 'goaway' fault: the connection goes away (a reset where there is no HTTP/2 session). */
  | { kind: 'goaway' }
  | { kind: 'hang' }
  | { kind: 'watch'; serve(sink: WatchSink): void };

const RESET: LoopbackReply = { kind: 'reset' };

/** A Status object as the API server sends it, as an intercept's answer. */
export function failure(code: number, reason: string, message: string, extra: Record<string, unknown> = {}): InterceptAnswer {
  return { status: code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message, ...extra } };
}

/** Retries a test can afford: the client's rules, with millisecond back-off. */
export const FAST_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 5_000 };

/** One attempt per request: the caller sees every failure the server sends. */
export const NO_RETRY: RetryPolicy = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 5_000 };

/** A request as an intercept sees it: what was recorded, plus the body as sent. */
export interface InterceptedRequest extends RecordedRequest {
  body: string;
}

/** A scripted answer (a Status object, say), or 'reset' to drop the connection. */
export type InterceptAnswer = { status: number; body: unknown; headers?: Record<string, string> } | 'reset';

/**
 * Runs before the API handles a request (after auth, latency, holds and faults): an answer
 * replaces the API's, undefined lets the request through. It may also change the server's
 * state first (a rival writing in between, say).
 */
export type Intercept = (req: InterceptedRequest) => InterceptAnswer | undefined | Promise<InterceptAnswer | undefined>;

/** A request held unanswered by `hold()`: `reached` resolves once it arrives; `release()` lets it (and later matches) through. */
export interface HeldRequest {
  reached: Promise<RecordedRequest>;
  release(): void;
}

interface HoldRule {
  match: (req: RecordedRequest) => boolean;
  /** Matching requests still to hold. */
  remaining: number;
  arrived: (req: RecordedRequest) => void;
  released: Promise<void>;
  release: () => void;
}

export class FakeKubeApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly api: KubeApi;
  private readonly faults = new Faults();
  private readonly pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly holds: HoldRule[] = [];
  private readonly intercepts: Intercept[] = [];
  private latencyMs: number;
  private rolloutDelayMs?: number;
  private lastRollout = 0;
  private stopped = false;
  private watchesRefused = false;
  private readonly openWatches = new Set<() => void>();
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Set<ServerHttp2Session>();
  /** GOAWAYs sent by 'goaway' faults. */
  goawaysSent = 0;
  /** TLS connections accepted so far (HTTP/2 clients open one per session). */
  connections = 0;
  private readonly writeListeners = new Set<(write: RecordedRequest) => void>();
  /** In-process requests left unanswered ('timeout' faults): stop() drops them as it drops connections. */
  private readonly pendingHangs = new Set<() => void>();
  url = '';

  private constructor(
    /** Absent for a server that only answers in-process clients (see inProcess()). */
    private readonly server: NetServer | undefined,
    readonly token: string,
    readonly caPem: string,
    options: FakeKubeOptions,
  ) {
    this.latencyMs = options.latencyMs ?? 0;
    this.api = new KubeApi(() => this.url.replace(/^https:\/\//, ''));
  }

  static async start(options: FakeKubeOptions = {}): Promise<FakeKubeApiServer> {
    const { cert, key } = servingCertificate();
    const server = options.http2 === false ? createServer({ cert, key }) : createSecureServer({ cert, key, allowHTTP1: true });
    const instance = new FakeKubeApiServer(server, options.token ?? randomBytes(24).toString('hex'), cert, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void instance.serve(req, res));
    server.on('secureConnection', (socket: Socket) => {
      instance.connections += 1;
      instance.sockets.add(socket);
      socket.on('close', () => instance.sockets.delete(socket));
    });
    server.on('session', (session: ServerHttp2Session) => {
      instance.sessions.add(session);
      session.on('close', () => instance.sessions.delete(session));
      session.on('error', () => undefined);
    });
    // Clients that drop a TLS handshake (e.g. probing) must not crash the test process.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('fake API server has no TCP address');
    instance.url = `https://127.0.0.1:${address.port}`;
    return instance;
  }

  /**
   * The same server without a listener: it answers only clients from client(), in-process,
   * so unit tests (which may open no socket) get the full API semantics and test handles.
   */
  static inProcess(options: FakeKubeOptions = {}): FakeKubeApiServer {
    const instance = new FakeKubeApiServer(undefined, options.token ?? randomBytes(24).toString('hex'), '', options);
    instance.url = 'https://loopback.in-process';
    return instance;
  }

  kubeconfig(options: KubeconfigOptions = {}): string {
    return renderKubeconfig(this.url, this.caPem, this.token, options);
  }

  writeKubeconfig(dir: string, options: KubeconfigOptions = {}): string {
    const file = join(dir, `kubeconfig-${options.context ?? 'fake'}.yaml`);
    writeFileSync(file, this.kubeconfig(options), { mode: 0o600 });
    return file;
  }

  /** Closes the listener and every open connection, including requests held by 'timeout' faults. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const wait of this.pending) {
      clearTimeout(wait.timer);
      wait.resolve();
    }
    for (const hold of this.holds) hold.release();
    this.pending.clear();
    this.endWatches();
    for (const drop of this.pendingHangs) drop();
    this.pendingHangs.clear();
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of this.sessions) session.destroy();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /**
   * Plays the Deployment controller: `delayMs` after each accepted write of a Deployment, its
   * status says every replica is updated, ready and available (undefined turns this off).
   */
  simulateRollouts(delayMs: number | undefined): void {
    this.rolloutDelayMs = delayMs;
  }

  /** Writes an object's status as its controller would (a watch sees a MODIFIED event). */
  setStatus(apiVersion: string, kind: string, name: string, namespace: string | undefined, status: Record<string, unknown>): void {
    const type = this.requireType(apiVersion, kind);
    if (!this.api.writeStatus(type.group, kind, namespace ?? 'default', name, () => status)) throw new Error(`${kind}/${name} does not exist`);
  }

  /** When (epoch ms) the last simulated rollout became Available; 0 before any. */
  lastRolloutAt(): number {
    return this.lastRollout;
  }

  addFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * 'hang' for as long as the test wants: the first `count` requests matching are held (no
   * answer at all) until `release()`, then handled normally; stop() also lets them go. Lets a
   * test order two clients by events instead of time.
   */
  hold(match: (req: RecordedRequest) => boolean, count = 1): HeldRequest {
    let arrived!: (req: RecordedRequest) => void;
    const reached = new Promise<RecordedRequest>((resolve) => (arrived = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.push({ match, remaining: count, arrived, released, release });
    return { reached, release };
  }

  /** Adds a scripted step in front of the API (see Intercept); intercepts run in the order added. */
  intercept(intercept: Intercept): void {
    this.intercepts.push(intercept);
  }

  clearIntercepts(): void {
    this.intercepts.length = 0;
  }

  /**
   * Replaces a stored object as another client's PUT would (its resourceVersion moves on, so a
   * writer holding the old one gets 409 Conflict); `manager` names the writer.
   */
  update(object: KubeObject, options: { manager?: string } = {}): KubeObject {
    const type = this.requireType(object.apiVersion, object.kind);
    const namespace = type.namespaced ? (object.metadata.namespace ?? 'default') : undefined;
    const current = this.getObject(object.apiVersion, object.kind, object.metadata.name ?? '', namespace);
    if (!current) throw new Error(`${object.kind}/${object.metadata.name} does not exist`);
    const base = type.group ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const path = `${base}${namespace ? `/namespaces/${namespace}` : ''}/${type.plural}/${object.metadata.name}`;
    const body = { ...object, metadata: { ...object.metadata, resourceVersion: current.metadata.resourceVersion } };
    const result = this.api.handle({ method: 'PUT', path, query: { fieldManager: options.manager ?? 'test-rival' }, contentType: 'application/json', userAgent: 'test', body: JSON.stringify(body) });
    if (result.status >= 300) throw new Error(`update of ${object.kind}/${object.metadata.name} failed: ${JSON.stringify(result.body)}`);
    return result.body as KubeObject;
  }

  getObject(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    const type = this.requireType(apiVersion, kind);
    const found = this.api.store.get(type.group, kind, type.namespaced ? (namespace ?? 'default') : '', name);
    return found && { ...found, apiVersion };
  }

  listObjects(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    const type = this.requireType(apiVersion, kind);
    return this.api.store.list(type.group, kind, type.namespaced ? namespace : undefined).map((o) => ({ ...o, apiVersion }));
  }

  /**
   * Calls `listener` after each accepted write, before the client has the answer: a test plays
   * a controller (status, ReplicaSets, Pods) that is in place by the time the client reads
   * again, with no timer involved. Returns the unsubscribe.
   */
  onWrite(listener: (write: RecordedRequest) => void): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /** Deletes directly, as a controller or garbage collector would (watches see DELETED); false when absent. */
  deleteObject(apiVersion: string, kind: string, name: string, namespace?: string): boolean {
    const type = this.requireType(apiVersion, kind);
    return this.api.store.delete(type.group, kind, type.namespaced ? (namespace ?? 'default') : '', name);
  }

  /** Creates directly (server-set fields filled, status kept as given); `manager` owns every field. */
  seed(object: KubeObject, options: { manager?: string } = {}): KubeObject {
    return this.api.seed(object, options.manager);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Non-dry-run mutating requests that succeeded. */
  writeCount(): number {
    return this.requests.filter((r) => MUTATING.has(r.method) && !r.dryRun && r.status >= 200 && r.status < 300).length;
  }

  /** The last resourceVersion handed out: unchanged means nothing was stored. */
  currentResourceVersion(): number {
    return this.api.store.currentRevision;
  }

  /** Status behaviour: called on every GET (item or list) of an object of `kind`; a returned status is stored. */
  onRead(kind: string, behaviour: ReadBehaviour): void {
    this.api.setReadBehaviour(kind, behaviour);
  }

  /** The log text pods/log serves for a container (`previous`: the crashed instance, `?previous=true`). */
  setPodLog(namespace: string, pod: string, container: string, text: string, options: { previous?: boolean } = {}): void {
    this.api.podLogs.set(`${namespace}/${pod}/${container}/${options.previous ? 'previous' : 'current'}`, text);
  }

  /** Refuse pods/log with 403 Forbidden, as credentials without `pods/log` get. */
  refusePodLogs(refused: boolean): void {
    this.api.podLogsRefused = refused;
  }

  /** Records a core/v1 Event about an object, so engines can show recent Events for failing objects. */
  addEvent(event: Partial<KubeObject> & { involvedObject: Record<string, unknown>; reason?: string; message?: string; type?: string }): KubeObject {
    const involved = event.involvedObject;
    const namespace = String(event.metadata?.namespace ?? involved.namespace ?? 'default');
    const time = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const { metadata, ...rest } = event;
    return this.api.seed({
      type: 'Normal',
      count: 1,
      firstTimestamp: time,
      lastTimestamp: time,
      source: { component: 'fake-kube-apiserver' },
      reportingComponent: '',
      reportingInstance: '',
      ...rest,
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        ...(metadata ?? {}),
        name: metadata?.name ?? `${String(involved.name ?? 'event')}.${randomUUID().replace(/-/g, '').slice(0, 16)}`,
        namespace,
      },
    });
  }

  private requireType(apiVersion: string, kind: string) {
    const type = this.api.typeOf(apiVersion, kind);
    if (!type) throw new Error(`${apiVersion} ${kind} is not served by the fake API server`);
    const { group } = splitGv(apiVersion);
    return { ...type, group };
  }

  // ---- Requests: one handler for sockets and in-process clients --------------------------

  /**
   * A KubeClient that sends its requests to this server in-process, through the same
   * `Transport` port the engine uses over HTTPS: no socket, so unit tests can use it. Every
   * request is handled as one arriving over HTTP would be (recorded, authenticated, delayed,
   * held, faulted). `token` overrides the credentials the client presents.
   */
  client(options: { retryPolicy?: RetryPolicy; token?: string } = {}): KubeClient {
    const { transport, stream } = inProcessTransport((request) => this.respond(request), {
      authorization: `Bearer ${options.token ?? this.token}`,
      onHang: (drop) => this.pendingHangs.add(drop),
    });
    return new KubeClient(transport, 'loopback', this.url, undefined, options.retryPolicy, () => true, () => undefined, () => undefined, stream);
  }

  /** Requests being handled right now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;

  /** Handles one request, whichever way it arrived: what to answer, or to reset, hang or stream. */
  async respond(req: LoopbackRequest): Promise<LoopbackReply> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.handle(req);
    } finally {
      this.inFlight -= 1;
    }
  }

  private async handle(req: LoopbackRequest): Promise<LoopbackReply> {
    const url = new URL(req.url, 'https://127.0.0.1');
    const query = Object.fromEntries(url.searchParams.entries());
    const contentType = header(req.headers['content-type']);
    const record: RecordedRequest = {
      method: req.method,
      path: url.pathname,
      query,
      dryRun: query.dryRun === 'All',
      status: 0,
      httpVersion: req.httpVersion,
      ...(contentType ? { contentType } : {}),
      ...(query.fieldManager ? { fieldManager: query.fieldManager } : {}),
    };
    this.requests.push(record);
    const body = req.body;
    if (this.stopped) return RESET;
    if (record.method === 'DELETE' && !record.dryRun && body.includes('dryRun')) record.dryRun = deleteOptionsDryRun(safeJson(body));

    if (header(req.headers.authorization) !== `Bearer ${this.token}`) return this.errorReply(record, errors.unauthorized());
    if (this.latencyMs > 0) await this.delay(this.latencyMs);
    if (this.stopped) return RESET;
    const hold = this.holds.find((h) => h.remaining > 0 && h.match(record));
    if (hold) {
      hold.remaining -= 1;
      hold.arrived(record);
      await hold.released;
      if (this.stopped) return RESET;
    }

    // From here to the handler nothing is awaited: a GOAWAY sent meanwhile is honoured exactly.
    if (req.connection?.refused()) return { kind: 'refused' };
    const fault = this.faults.decide({ method: record.method, path: record.path, dryRun: record.dryRun });
    if (fault) {
      if (fault.status === 'reset') return RESET;
      if (fault.status === 'goaway') return { kind: 'goaway' };
      // 'timeout': never answer; stop() closes the connection.
      if (fault.status === 'timeout') return { kind: 'hang' };
      if (fault.status === 502) {
        // What a proxy in front of the API server says: not a Status object.
        record.status = 502;
        return { kind: 'answer', status: 502, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'Bad Gateway\n' };
      }
      const error =
        fault.status === 429
          ? errors.tooManyRequests(fault.retryAfterSeconds)
          : fault.status === 503
            ? errors.serviceUnavailable()
            : fault.status === 504
              ? errors.gatewayTimeout()
              : fault.status === 409
                ? errors.conflict('objects', '', record.path.split('/').pop() ?? '')
                : errors.internal('injected fault');
      if (fault.status === 503) error.headers['Retry-After'] = String(fault.retryAfterSeconds);
      if (fault.status === 429 && fault.priorityAndFairness) {
        error.headers['X-Kubernetes-PF-FlowSchema-UID'] = PF_FLOW_SCHEMA_UID;
        error.headers['X-Kubernetes-PF-PriorityLevel-UID'] = PF_PRIORITY_LEVEL_UID;
      }
      return this.errorReply(record, error);
    }

    for (const intercept of this.intercepts) {
      const answer = await intercept({ ...record, body });
      if (answer === 'reset') return RESET;
      if (answer) {
        record.status = answer.status;
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        return { kind: 'answer', status: answer.status, headers: { 'Content-Type': 'application/json', ...answer.headers }, body: text };
      }
    }

    if (query.watch === 'true' || query.watch === '1') return this.watchReply(record, query);

    const result = this.api.handle({
      method: record.method,
      path: record.path,
      query,
      contentType: contentType ?? '',
      userAgent: header(req.headers['user-agent']) ?? '',
      body,
    });
    record.status = result.status;
    req.connection?.handled();
    if (this.rolloutDelayMs !== undefined && result.status < 300 && MUTATING.has(record.method) && !record.dryRun) this.scheduleRollout(record.path, this.rolloutDelayMs);
    if (result.status < 300 && MUTATING.has(record.method) && !record.dryRun) for (const listener of this.writeListeners) listener(record);
    const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    return { kind: 'answer', status: result.status, headers: { 'Content-Type': result.contentType ?? 'application/json', 'Cache-Control': 'no-cache, private' }, body: text };
  }

  /**
   * Watches stream events (./kube-api/watch.ts) until `timeoutSeconds`, stop() or
   * endWatches(); with refuseWatches(true) they are refused with 403, as RBAC without the
   * watch verb refuses them.
   */
  private watchReply(record: RecordedRequest, query: Record<string, string>): LoopbackReply {
    if (this.watchesRefused) return this.errorReply(record, errors.forbidden(`cannot watch ${record.path}`));
    if (!this.api.watchRoute(record.path)) return this.errorReply(record, errors.pathNotFound());
    record.status = 200;
    return {
      kind: 'watch',
      serve: (sink) =>
        void serveWatch(this.api, { path: record.path, query }, sink, (end) => {
          this.openWatches.add(end);
          sink.onClose(() => this.openWatches.delete(end));
          const seconds = Number(query.timeoutSeconds ?? 0);
          if (seconds > 0) void this.delay(seconds * 1000).then(end);
        }),
    };
  }

  private errorReply(record: RecordedRequest, error: ApiError): LoopbackReply {
    record.status = error.code;
    return { kind: 'answer', status: error.code, headers: { 'Content-Type': 'application/json', ...error.headers }, body: JSON.stringify(error.status) };
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const reply = await this.respond({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body,
      httpVersion: req.httpVersion,
      connection: { refused: () => refusedByGoaway(req), handled: () => noteHandled(req) },
    });
    switch (reply.kind) {
      case 'reset':
        return resetRequest(req);
      case 'goaway':
        return this.goaway(req);
      case 'refused':
      case 'hang':
        return;
      case 'answer':
        res.writeHead(reply.status, reply.headers);
        return void res.end(reply.body);
      case 'watch':
        return reply.serve({
          open: (status, headers) => {
            res.writeHead(status, headers);
            res.flushHeaders();
          },
          write: (text) => void res.write(text),
          end: () => void res.end(),
          onClose: (listener) => void res.on('close', listener),
        });
    }
  }

  /** Watches are answered 403 Forbidden while `refused` (RBAC without the watch verb). */
  refuseWatches(refused: boolean): void {
    this.watchesRefused = refused;
  }

  /** Ends every open watch stream (clients watch again from the last resourceVersion they saw). */
  endWatches(): void {
    for (const end of [...this.openWatches]) end();
  }

  /** Forgets the change history: watches resuming from an older resourceVersion get 410 Gone. */
  compactHistory(): void {
    this.api.store.compact();
  }

  private scheduleRollout(path: string, delayMs: number): void {
    const match = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(?:\/scale)?$/.exec(path);
    if (!match) return;
    const [, namespace, name] = match;
    void this.delay(delayMs).then(() => {
      if (this.stopped) return;
      const written = this.api.writeStatus('apps', 'Deployment', decodeURIComponent(namespace), decodeURIComponent(name), availableStatus);
      if (written) this.lastRollout = Date.now();
    });
  }

  /**
   * What a server going away does mid-traffic: GOAWAY naming the last stream it processed, so
   * this request and every later one on the connection are refused unprocessed (the client
   * sends them again on a new connection), while earlier ones still finish. Over HTTP/1.1 it
   * is a reset (HTTP/1.1 has no such signal).
   */
  private goaway(req: IncomingMessage): void {
    const h2 = req as unknown as Http2ServerRequest;
    if (!('stream' in h2)) return void resetRequest(req);
    const session = h2.stream.session as (ServerHttp2Session & { [HANDLED]?: number; [REFUSE_ABOVE]?: number }) | undefined;
    if (!session) return;
    // Every stream handled so far was processed; this one and any later are not.
    const last = session[HANDLED] ?? 0;
    session[REFUSE_ABOVE] = last;
    this.goawaysSent += 1;
    session.goaway(constants.NGHTTP2_NO_ERROR, last);
    h2.stream.close(constants.NGHTTP2_REFUSED_STREAM);
    // The client closes the connection once its streams below `last` are answered (a second
    // GOAWAY from here, as session.close() sends, would be a protocol error if its id were higher).
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wait = {
        resolve,
        timer: setTimeout(() => {
          this.pending.delete(wait);
          resolve();
        }, ms),
      };
      this.pending.add(wait);
    });
  }
}

/** A Deployment whose rollout finished: what kstatus calls Current. */
function availableStatus(object: KubeObject): Record<string, unknown> {
  const spec = (object.spec ?? {}) as { replicas?: unknown };
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  return {
    observedGeneration: object.metadata.generation ?? 1,
    replicas,
    updatedReplicas: replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${object.metadata.name}" has successfully progressed.` },
    ],
  };
}

/** What the `workload-low` priority level's rejections carry on a real server (the UIDs differ per cluster). */
const PF_FLOW_SCHEMA_UID = 'a4f1e2c3-0b7d-4e5f-9a8b-1c2d3e4f5a6b';
const PF_PRIORITY_LEVEL_UID = 'b5e2f3d4-1c8e-4f60-8b9c-2d3e4f5a6b7c';

const HANDLED = Symbol('highest stream handled');
const REFUSE_ABOVE = Symbol('GOAWAY last stream id');

type MarkedSession = ServerHttp2Session & { [HANDLED]?: number; [REFUSE_ABOVE]?: number };

function h2Stream(req: IncomingMessage): Http2ServerRequest['stream'] | undefined {
  return 'stream' in req ? (req as unknown as Http2ServerRequest).stream : undefined;
}

/** Resets this request only: RST_STREAM over HTTP/2, the whole connection over HTTP/1.1. */
function resetRequest(req: IncomingMessage): void {
  const stream = h2Stream(req);
  if (stream) stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  else req.socket.destroy();
}

/** A stream above a GOAWAY's last stream id is not processed: refused, as the GOAWAY promised. */
function refusedByGoaway(req: IncomingMessage): boolean {
  const stream = h2Stream(req);
  const limit = (stream?.session as MarkedSession | undefined)?.[REFUSE_ABOVE];
  if (!stream || limit === undefined || (stream.id ?? 0) <= limit) return false;
  if (!stream.destroyed) stream.close(constants.NGHTTP2_REFUSED_STREAM);
  return true;
}

function noteHandled(req: IncomingMessage): void {
  const stream = h2Stream(req);
  const session = stream?.session as MarkedSession | undefined;
  if (stream?.id !== undefined && session) session[HANDLED] = Math.max(session[HANDLED] ?? 0, stream.id);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
