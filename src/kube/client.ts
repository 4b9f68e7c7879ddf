/**
 * The one way Slipway talks to a cluster: raw HTTPS with JSON bodies. The typed API clients
 * of @kubernetes/client-node are avoided on purpose: their models drop fields they do not
 * know, and server-side apply must send the manifest exactly as rendered.
 */

import type { KubeObject, ObjectRef } from '../model/objects.js';
import { describeRef } from '../model/objects.js';
import { SecretMask } from '../exec/secrets.js';
import { type ConnectOptions, type ConnectionSettings, loadKubeConfig, type ParsedKubeconfig, resolveSettings } from './connection.js';
import { Discovery, type ResourceRef } from './discovery.js';
import { KubeApiError, type KubeStatusDetails } from './errors.js';
import { DEFAULT_RETRY_POLICY, classifyError, parseRetryAfter, type RetryHooks, type RetryPolicy, withRetry } from './retry.js';
import type { StreamTransport, Transport } from './transport.js';
import { InFlightLimit, isPriorityAndFairnessRejection, type InFlightLimitOptions } from './transport-limit.js';
import { connectTransport, type TransportOptions, type WireProtocol } from './transport-negotiate.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface KubeRequest {
  method: HttpMethod;
  /** API path, e.g. `/api/v1/namespaces/apps/configmaps/web`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON (a string or Buffer is sent as is). */
  body?: unknown;
  /** Default `application/json`; `application/apply-patch+yaml` for server-side apply (JSON is valid YAML). */
  contentType?: string;
  /** What the request is about, for error messages, e.g. `Deployment/apps/web`; default: the path. */
  subject?: string;
  timeoutMs?: number;
  /** Retry transient failures (default true). */
  retry?: boolean;
  /** The response is plain text (pods/log), returned as a string instead of parsed JSON. */
  text?: boolean;
}

export interface ClientStats {
  requests: number;
  /** Requests that may change the cluster (not GET, not dryRun). */
  writes: number;
  retries: number;
  /** Answers of 429 Too Many Requests, and how many of them API Priority and Fairness gave. */
  throttled: number;
  priorityAndFairness: number;
}

/** What tests and the benchmark tune: the retry waits, the in-flight limit, and where the protocol is read. */
export interface KubeClientTuning {
  /** Sleep and clock for retry back-off (tests inject them; never wall-clock). */
  retryHooks?: Pick<RetryHooks, 'sleep' | 'now' | 'random'>;
  /** Requests in flight at most, adapted to 429s; default a fresh limit of 64. */
  inFlight?: InFlightLimit;
  protocol?: () => WireProtocol | undefined;
}

/** One event of a watch stream; `ERROR` carries a Status (410 Expired: list again). */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ApplyOptions {
  dryRun?: boolean;
  force?: boolean;
  fieldManager?: string;
  /** `Strict` rejects unknown or duplicate fields (default); `Warn` / `Ignore` as the API defines them. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  subject?: string;
}

export const FIELD_MANAGER = 'slipway';
const DEFAULT_TIMEOUT_MS = 30_000;
/** Auth settings are re-read at most this often (exec-plugin tokens expire; the library caches them). */
const SETTINGS_TTL_MS = 30_000;

export class KubeClient {
  readonly discovery: Discovery;
  readonly stats: ClientStats = { requests: 0, writes: 0, retries: 0, throttled: 0, priorityAndFairness: 0 };
  readonly inFlight: InFlightLimit;
  private settingsCache?: { at: number; value: Promise<ConnectionSettings> };

  constructor(
    private readonly transport: Transport,
    /** Context and server, for messages. */
    readonly context: string,
    readonly server: string,
    /** Namespace the kubeconfig context names, if any. */
    readonly contextNamespace?: string,
    readonly retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
    private readonly hasConnected: () => boolean = () => true,
    private readonly onClose: () => void = () => undefined,
    private readonly refreshAuth: () => void = () => undefined,
    /** Streaming requests (watches); absent, `watch` is refused and callers poll. */
    private readonly streamTransport?: StreamTransport,
    private readonly tuning: KubeClientTuning = {},
  ) {
    this.discovery = new Discovery(this);
    this.inFlight = tuning.inFlight ?? new InFlightLimit();
  }

  /** `parsed`: the run's kubeconfig, read once; without it the options' kubeconfig is read here. */
  static async connect(
    options: ConnectOptions & TransportOptions & { parsed?: ParsedKubeconfig; retryPolicy?: RetryPolicy; inFlight?: InFlightLimitOptions; retryHooks?: KubeClientTuning['retryHooks'] },
  ): Promise<KubeClient> {
    const config = options.parsed ? options.parsed.forContext(options.context) : await loadKubeConfig(options);
    const secrets = options.secrets ?? new SecretMask();
    const initial = await resolveSettings(config, secrets);
    let cache = { at: Date.now(), value: Promise.resolve(initial) };
    const settings = (): Promise<ConnectionSettings> => {
      if (Date.now() - cache.at > SETTINGS_TTL_MS) cache = { at: Date.now(), value: resolveSettings(config, secrets) };
      return cache.value;
    };
    const { transport, stream, close, connected, protocol } = connectTransport(settings, initial, { http2: options.http2, maxSockets: options.maxSockets });
    return new KubeClient(
      transport,
      initial.context,
      initial.server.origin + initial.server.pathname.replace(/\/$/, ''),
      initial.namespace,
      options.retryPolicy ?? DEFAULT_RETRY_POLICY,
      connected,
      close,
      () => (cache = { at: 0, value: cache.value }),
      stream,
      { protocol, inFlight: new InFlightLimit(options.inFlight), retryHooks: options.retryHooks },
    );
  }

  /** `h2` or `http/1.1` once connected; undefined before (or for a test transport). */
  protocol(): WireProtocol | undefined {
    return this.tuning.protocol?.();
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.onClose();
  }

  async request<T>(req: KubeRequest): Promise<T> {
    const query = encodeQuery(req.query);
    const path = req.path + (query ? `?${query}` : '');
    const isDryRun = req.query?.dryRun !== undefined;
    const body =
      req.body === undefined
        ? undefined
        : Buffer.isBuffer(req.body)
          ? req.body
          : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    const headers: Record<string, string> = { Accept: req.text ? 'text/plain, */*' : 'application/json' };
    if (body) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(body.length);
    }
    const subject = `${req.method} ${req.subject ?? req.path}`;
    let authRetried = false;
    const attempt = async (): Promise<T> => {
      this.stats.requests += 1;
      if (req.method !== 'GET' && !isDryRun) this.stats.writes += 1;
      const res = await this.send({ method: req.method, path, headers, body, timeoutMs: req.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      if (res.status >= 200 && res.status < 300) {
        if (req.text) return res.body.toString('utf8') as T;
        return (res.body.length ? JSON.parse(res.body.toString('utf8')) : undefined) as T;
      }
      const error = toApiError(res.status, res.body, subject, header(res.headers['retry-after']));
      if (res.status === 401 && !authRetried) {
        // An expired exec-plugin token: read fresh credentials once.
        authRetried = true;
        this.refreshAuth();
        return attempt();
      }
      throw error;
    };
    if (req.retry === false) return attempt();
    return withRetry(attempt, (error) => classifyError(error, this.hasConnected()), this.retryPolicy, {
      ...this.tuning.retryHooks,
      onRetry: () => (this.stats.retries += 1),
    });
  }

  /** One exchange inside the in-flight limit; a 429 (APF or not) cuts the limit, a success raises it. */
  private async send(request: Parameters<Transport>[0]) {
    const slot = await this.inFlight.acquire();
    try {
      const res = await this.transport(request);
      if (res.status === 429) {
        this.stats.throttled += 1;
        if (isPriorityAndFairnessRejection(res.status, res.headers)) this.stats.priorityAndFairness += 1;
        this.inFlight.release(slot, 'throttled');
      } else {
        this.inFlight.release(slot, res.status < 500 ? 'ok' : 'other');
      }
      return res;
    } catch (error) {
      this.inFlight.release(slot, 'other');
      throw error;
    }
  }

  /**
   * Watches a collection path from `resourceVersion`: yields each event as the server sends
   * it, until the server ends the stream or `signal` aborts. A refusal (403, 405, 410 at the
   * start, ...) is thrown as a KubeApiError, as any request's.
   */
  async *watch(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal, subject = path): AsyncGenerator<WatchEvent> {
    if (!this.streamTransport) throw new KubeApiError(405, 'MethodNotAllowed', 'this client cannot stream', undefined, `WATCH ${subject}`);
    const encoded = encodeQuery({ ...query, watch: 'true', allowWatchBookmarks: 'true' });
    this.stats.requests += 1;
    const res = await this.streamTransport({ method: 'GET', path: `${path}?${encoded}`, headers: { Accept: 'application/json' }, timeoutMs: DEFAULT_TIMEOUT_MS }, signal).catch((error: unknown) => {
      if (signal?.aborted) return undefined;
      throw error;
    });
    if (!res) return;
    const abort = () => res.close();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      if (res.status < 200 || res.status >= 300) {
        const chunks: Buffer[] = [];
        for await (const chunk of res.body) chunks.push(chunk);
        throw toApiError(res.status, Buffer.concat(chunks), `WATCH ${subject}`, header(res.headers['retry-after']));
      }
      let pending = '';
      for await (const chunk of res.body) {
        pending += (chunk as Buffer).toString('utf8');
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line) yield JSON.parse(line) as WatchEvent;
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw error;
    } finally {
      signal?.removeEventListener('abort', abort);
      res.close();
    }
  }

  /** The live object, or undefined when it does not exist. */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const resource = await this.discovery.resolve(ref);
    try {
      return await this.request<KubeObject>({ method: 'GET', path: resource.objectPath(ref.namespace, ref.name), subject: describeRef(ref) });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Every object of a kind (all pages), with apiVersion and kind filled in on each item. */
  async list(kind: Pick<ObjectRef, 'group' | 'version' | 'kind'>, options: ListOptions = {}): Promise<KubeObject[]> {
    const resource = await this.discovery.resolve(kind);
    const items: KubeObject[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.request<{ items?: KubeObject[]; metadata?: { continue?: string } }>({
        method: 'GET',
        path: resource.collectionPath(options.namespace),
        query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: 500, continue: continueToken },
        subject: `${kind.kind} list`,
      });
      for (const item of page.items ?? []) {
        items.push({ ...item, apiVersion: resource.apiVersion, kind: resource.kind });
      }
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }

  /** Server-side apply of `object` as given (no field dropped). */
  async apply(object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    const resource = await this.discovery.resolveObject(object);
    const ref = resource.refOf(object);
    return this.request<KubeObject>({
      method: 'PATCH',
      path: resource.objectPath(ref.namespace, ref.name),
      query: {
        dryRun: options.dryRun ? 'All' : undefined,
        fieldManager: options.fieldManager ?? FIELD_MANAGER,
        fieldValidation: options.fieldValidation ?? 'Strict',
        force: options.force ?? false,
      },
      body: object,
      contentType: 'application/apply-patch+yaml',
      subject: options.subject ?? describeRef(ref),
    });
  }

  /** Deletes an object; returns false when it was already gone. */
  async delete(ref: ObjectRef, options: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; subject?: string } = {}): Promise<boolean> {
    const resource = await this.discovery.resolve(ref);
    try {
      await this.request({
        method: 'DELETE',
        path: resource.objectPath(ref.namespace, ref.name),
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: options.propagationPolicy ?? 'Background' },
        subject: options.subject ?? describeRef(ref),
      });
      return true;
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) return false;
      throw error;
    }
  }
}

export type { ResourceRef };

function encodeQuery(query: KubeRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  return params.toString();
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the server's `Status` object when there is one; otherwise the start of the body. */
export function toApiError(status: number, body: Buffer, subject: string, retryAfter?: string): KubeApiError {
  let reason = httpReason(status);
  let message = '';
  let details: KubeStatusDetails | undefined;
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as { kind?: string; reason?: string; message?: string; details?: KubeStatusDetails };
    if (parsed.kind === 'Status') {
      reason = parsed.reason || reason;
      message = parsed.message ?? '';
      details = parsed.details;
    } else {
      message = text.slice(0, 500);
    }
  } catch {
    message = text.slice(0, 500).trim();
  }
  const retryAfterMs = parseRetryAfter(retryAfter) ?? (details?.retryAfterSeconds !== undefined ? details.retryAfterSeconds * 1000 : undefined);
  return new KubeApiError(status, reason, message || reason, details, subject, retryAfterMs);
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Gone',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    502: 'BadGateway',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[status] ?? `HTTP ${status}`;
}
