/**
 * An in-memory stand-in for the API client, for wait and lock tests: objects by path, reads
 * that a test can script per poll, Events, optimistic concurrency on resourceVersion, and a
 * clock that moves only when something sleeps. The loopback API server covers the HTTP side.
 */

import type { KubeObject } from '../../src/model/objects.js';
import type { Clock, KubeRequester } from '../../src/kube/wait-api.js';

export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(`${status} ${reason}: ${message}`);
  }
}

type Request = Parameters<KubeRequester['request']>[0];

export class FakeCluster implements KubeRequester {
  readonly objects = new Map<string, KubeObject>();
  readonly events: Record<string, unknown>[] = [];
  readonly log: string[] = [];
  private readonly reads = new Map<string, number>();
  private readonly scripts = new Map<string, (object: KubeObject, readCount: number) => KubeObject | undefined>();
  private version = 100;
  inFlight = 0;
  maxInFlight = 0;
  /** Called before each request; may throw to inject a failure. */
  fault?: (req: Request) => void;
  /** Called before a write is applied, e.g. to let a competitor win a race. */
  beforeWrite?: (req: Request) => void;

  constructor(private readonly latency: () => Promise<void> = () => Promise.resolve()) {}

  seed(path: string, object: KubeObject): void {
    this.objects.set(path, { ...object, metadata: { ...object.metadata, resourceVersion: String(++this.version) } });
  }

  /** Rewrites what a GET of `path` returns on its n-th read (1-based). */
  onRead(path: string, script: (object: KubeObject, readCount: number) => KubeObject | undefined): void {
    this.scripts.set(path, script);
  }

  readCount(path: string): number {
    return this.reads.get(path) ?? 0;
  }

  addEvent(namespace: string, event: Record<string, unknown>): void {
    this.events.push({ ...event, metadata: { namespace, name: `e${this.events.length}` } });
  }

  async request<T>(req: Request): Promise<T> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.latency();
      this.log.push(`${req.method} ${req.path}`);
      this.fault?.(req);
      return this.handle(req) as T;
    } finally {
      this.inFlight -= 1;
    }
  }

  private handle(req: Request): unknown {
    const eventsMatch = /^\/api\/v1\/namespaces\/([^/]+)\/events$/.exec(req.path);
    if (req.method === 'GET' && eventsMatch) {
      // Like a server that ignores fieldSelector: every event of the namespace.
      return { items: this.events.filter((e) => (e.metadata as { namespace: string }).namespace === eventsMatch[1]) };
    }
    const existing = this.objects.get(req.path);
    switch (req.method) {
      case 'GET': {
        if (!existing) throw new FakeApiError(404, 'NotFound', `${req.path} not found`);
        const count = (this.reads.get(req.path) ?? 0) + 1;
        this.reads.set(req.path, count);
        const scripted = this.scripts.get(req.path)?.(structuredClone(existing), count);
        if (scripted) this.objects.set(req.path, scripted);
        return structuredClone(this.objects.get(req.path));
      }
      case 'POST': {
        const body = req.body as KubeObject;
        const path = `${req.path}/${body.metadata.name}`;
        this.beforeWrite?.(req);
        if (this.objects.has(path)) throw new FakeApiError(409, 'AlreadyExists', `${body.metadata.name} already exists`);
        this.seed(path, body);
        return structuredClone(this.objects.get(path));
      }
      case 'PUT': {
        if (!existing) throw new FakeApiError(404, 'NotFound', `${req.path} not found`);
        const body = req.body as KubeObject;
        this.beforeWrite?.(req);
        const current = this.objects.get(req.path);
        if (!current) throw new FakeApiError(404, 'NotFound', `${req.path} not found`);
        if (body.metadata.resourceVersion !== current.metadata.resourceVersion) {
          throw new FakeApiError(409, 'Conflict', 'the object has been modified; please apply your changes to the latest version and try again');
        }
        this.seed(req.path, body);
        return structuredClone(this.objects.get(req.path));
      }
      case 'DELETE': {
        if (!existing) throw new FakeApiError(404, 'NotFound', `${req.path} not found`);
        const pre = (req.body as { preconditions?: { resourceVersion?: string } } | undefined)?.preconditions;
        if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
          throw new FakeApiError(409, 'Conflict', 'precondition failed');
        }
        this.objects.delete(req.path);
        return { kind: 'Status', status: 'Success' };
      }
      default:
        throw new FakeApiError(405, 'MethodNotAllowed', req.method);
    }
  }
}

/** A clock whose time moves only when something sleeps, so backoff costs no real time. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public time = Date.parse('2026-11-05T12:00:00Z')) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.time += ms;
    await Promise.resolve();
    if (signal?.aborted) throw signal.reason;
  }
}
