/**
 * The deploy lock: a `coordination.k8s.io/v1` Lease named `slipway-<environment>` that
 * serialises concurrent deploys of one environment (DESIGN.md, "Cluster conventions").
 *
 * Every change goes through the API server's optimistic concurrency (create fails with 409 if
 * the Lease exists; update fails with 409 if its resourceVersion moved), so two runs can never
 * both believe they hold it. A run that dies without releasing leaves a Lease that stops being
 * renewed; once `renewTime + leaseDurationSeconds` has passed, the next run takes it over.
 * Expiry compares the other runner's clock with ours: skew of a few seconds is harmless
 * against a lease of a minute or more.
 */

import { UserError, errorMessage } from '../model/errors.js';
import type { KubeObject } from '../model/objects.js';
import { type Clock, type KubeRequester, abortReason, apiStatusOf, systemClock } from './wait-api.js';

export interface LockOptions {
  environment: string;
  /** Namespace of the Lease; default `default`. It must already exist (see the 404 error below). */
  namespace?: string;
  /** Who holds the lock, shown to whoever waits: the workflow run URL, or another unique id. */
  holder: string;
  /** How long the Lease stays valid without renewal. Default 60 s; renewed every third of it. */
  leaseDurationSeconds?: number;
  /** How long to wait for another holder before giving up. */
  waitTimeoutMs: number;
  /** Default: a third of the lease duration. */
  renewIntervalMs?: number;
  /** Backoff between checks of a held lock: doubles from `initialDelayMs` (1 s) to `maxDelayMs` (10 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  clock?: Clock;
  /**
   * Cancels waiting for the lock and, once held, the work done under it: the Lease is released
   * at once (a cancelled workflow run gets a few seconds before it is killed).
   */
  signal?: AbortSignal;
  /** Called each time the lock is found held by someone else, before waiting. */
  onWait?: (holder: LeaseHolder) => void;
  /** Problems that do not stop the deploy by themselves (a failed renewal, a failed release); a lost lock also fails it. */
  onWarning?: (message: string) => void;
}

export interface LeaseHolder {
  identity: string;
  /** RFC 3339 times as the Lease records them. */
  acquiredAt?: string;
  renewedAt?: string;
  /** When the lease lapses unless renewed (milliseconds since the epoch). */
  expiresAt?: number;
}

export interface EnvironmentLock {
  readonly environment: string;
  readonly namespace: string;
  readonly name: string;
  readonly holder: string;
  /** True once another holder was seen holding the Lease; the deploy should stop writing. */
  readonly lost: boolean;
  /** Aborts when the lock is lost or the run is cancelled, so long operations (applying, waiting for health) stop. */
  readonly signal: AbortSignal;
  /** Why the lock was lost (names the new holder and what to do), once it was. */
  readonly lostError?: UserError;
  /** Extends the lease now; runs on a timer while held. Never throws: problems go to `onWarning`. */
  renew(): Promise<void>;
  /** Gives the lock up. Returns false when it was no longer ours (taken over or gone), in which case nothing is changed. */
  release(): Promise<boolean>;
}

interface LeaseObject extends KubeObject {
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

const DEFAULT_LEASE_SECONDS = 60;
const MAX_CONFLICTS = 20;

/** `slipway-<environment>`, made a valid object name (lowercase DNS subdomain). */
export function leaseName(environment: string): string {
  const cleaned = environment.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  return `slipway-${cleaned}`.slice(0, 253).replace(/[.-]+$/, '');
}

/** Lease times are MicroTime: RFC 3339 with six fractional digits. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function holderOf(lease: LeaseObject, fallbackSeconds: number): LeaseHolder {
  const spec = lease.spec ?? {};
  const last = Date.parse(spec.renewTime ?? spec.acquireTime ?? '');
  const seconds = spec.leaseDurationSeconds ?? fallbackSeconds;
  return {
    identity: spec.holderIdentity ?? '',
    acquiredAt: spec.acquireTime ?? undefined,
    renewedAt: spec.renewTime ?? undefined,
    expiresAt: Number.isNaN(last) ? undefined : last + seconds * 1000,
  };
}

/** The lock is already held by someone else and did not come free in time. */
export class LockTimeoutError extends UserError {
  constructor(
    readonly environment: string,
    readonly lease: string,
    readonly current: LeaseHolder,
    waitedMs: number,
  ) {
    const since = current.acquiredAt ? ` since ${current.acquiredAt}` : '';
    const renewed = current.renewedAt ? `, last renewed ${current.renewedAt}` : '';
    const expires = current.expiresAt !== undefined ? `, expires ${new Date(current.expiresAt).toISOString()} unless renewed` : '';
    super(
      `Environment "${environment}" is locked by another deploy: Lease ${lease} is held by ${current.identity}${since}${renewed}${expires}. Waited ${Math.round(waitedMs / 1000)} s.`,
      `Let that deploy finish, or cancel it; a lock left by a crashed run lapses on its own once it is no longer renewed. To break it now: kubectl delete lease -n ${lease.split('/')[0]} ${lease.split('/')[1]}`,
    );
    this.name = 'LockTimeoutError';
  }
}

function lockError(action: string, namespace: string, name: string, error: unknown): UserError {
  const status = apiStatusOf(error);
  const where = `Lease ${namespace}/${name}`;
  if (status === 403) {
    return new UserError(
      `Could not ${action} the deploy lock (${where}): ${errorMessage(error)}`,
      `Grant the deploying identity get, create, update and delete on leases.coordination.k8s.io in namespace "${namespace}".`,
    );
  }
  if (status === 404 && action === 'take') {
    return new UserError(
      `Could not take the deploy lock (${where}): ${errorMessage(error)}`,
      `Namespace "${namespace}" must exist before the deploy starts, because the lock is taken before anything is applied. Keep the lock in an existing namespace such as "default".`,
    );
  }
  return new UserError(`Could not ${action} the deploy lock (${where}): ${errorMessage(error)}`);
}

export async function acquireEnvironmentLock(client: KubeRequester, options: LockOptions): Promise<EnvironmentLock> {
  const clock = options.clock ?? systemClock;
  const namespace = options.namespace || 'default';
  const name = leaseName(options.environment);
  const seconds = options.leaseDurationSeconds ?? DEFAULT_LEASE_SECONDS;
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const path = `${collection}/${encodeURIComponent(name)}`;
  const subject = `Lease/${namespace}/${name}`;
  const started = clock.now();
  const deadline = started + options.waitTimeoutMs;
  let delay = options.initialDelayMs ?? 1_000;
  let conflicts = 0;

  const ours = (now: number, previous?: LeaseObject): LeaseObject => {
    const changedHands = previous?.spec?.holderIdentity !== options.holder;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        ...(previous?.metadata ?? {}),
        name,
        namespace,
        labels: { ...(previous?.metadata?.labels ?? {}), 'app.kubernetes.io/managed-by': 'slipway' },
        annotations: { ...(previous?.metadata?.annotations ?? {}), 'slipway.dev/environment': options.environment },
      },
      spec: {
        holderIdentity: options.holder,
        leaseDurationSeconds: seconds,
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (previous?.spec?.leaseTransitions ?? 0) + (previous && changedHands ? 1 : 0),
      },
    };
  };

  for (;;) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    let lease: LeaseObject | undefined;
    try {
      lease = await client.request<LeaseObject>({ method: 'GET', path, subject });
    } catch (error) {
      if (apiStatusOf(error) !== 404) throw lockError('read', namespace, name, error);
    }
    const now = clock.now();
    try {
      if (!lease) {
        const created = await client.request<LeaseObject>({ method: 'POST', path: collection, body: ours(now), subject });
        return new HeldLock(client, options, clock, namespace, name, path, subject, created, seconds);
      }
      const current = holderOf(lease, seconds);
      // Free (released), ours already (a retried step of the same run), or lapsed: take it.
      if (!current.identity || current.identity === options.holder || (current.expiresAt ?? 0) <= now) {
        const taken = await client.request<LeaseObject>({ method: 'PUT', path, body: ours(now, lease), subject });
        return new HeldLock(client, options, clock, namespace, name, path, subject, taken, seconds);
      }
      if (now >= deadline) throw new LockTimeoutError(options.environment, `${namespace}/${name}`, current, now - started);
      options.onWait?.(current);
    } catch (error) {
      // 409: another run created or took the Lease between our read and write. Read again
      // (the bound only guards against a server that answers 409 to everything).
      if (apiStatusOf(error) === 409 && ++conflicts < MAX_CONFLICTS) continue;
      if (error instanceof UserError) throw error;
      throw lockError('take', namespace, name, error);
    }
    await clock.sleep(Math.min(delay, Math.max(0, deadline - clock.now())), options.signal);
    delay = Math.min(delay * 2, options.maxDelayMs ?? 10_000);
  }
}

class HeldLock implements EnvironmentLock {
  readonly holder: string;
  readonly environment: string;
  private readonly controller = new AbortController();
  private timer?: ReturnType<typeof setInterval>;
  private released = false;
  private lostFlag = false;
  private lostReason?: UserError;
  private renewing?: Promise<void>;

  constructor(
    private readonly client: KubeRequester,
    private readonly options: LockOptions,
    private readonly clock: Clock,
    readonly namespace: string,
    readonly name: string,
    private readonly path: string,
    private readonly subject: string,
    private lease: LeaseObject,
    seconds: number,
  ) {
    this.holder = options.holder;
    this.environment = options.environment;
    this.timer = setInterval(() => void this.renew(), options.renewIntervalMs ?? (seconds * 1000) / 3);
    // A pending renewal must not keep the process alive after the deploy is done.
    this.timer.unref();
    const cancel = options.signal;
    if (cancel) {
      const onCancel = () => this.controller.abort(abortReason(cancel));
      if (cancel.aborted) onCancel();
      else cancel.addEventListener('abort', onCancel, { once: true });
      this.controller.signal.addEventListener('abort', () => cancel.removeEventListener('abort', onCancel), { once: true });
    }
  }

  get lostError(): UserError | undefined {
    return this.lostReason;
  }

  get lost(): boolean {
    return this.lostFlag;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Ours means: our identity and the acquire time we wrote, so a later run with the same id is not mistaken for us. */
  private isOurs(lease: LeaseObject): boolean {
    // Compared as instants: a server may write the same MicroTime with different precision.
    const acquired = (l: LeaseObject): number => Date.parse(l.spec?.acquireTime ?? '');
    return lease.spec?.holderIdentity === this.holder && acquired(lease) === acquired(this.lease);
  }

  private markLost(lease: LeaseObject | undefined): void {
    if (this.lostFlag) return;
    this.lostFlag = true;
    this.stopTimer();
    const by = lease?.spec?.holderIdentity ? `now held by ${lease.spec.holderIdentity}` : 'deleted or released by someone else';
    const message = `The deploy lock for environment "${this.environment}" (Lease ${this.namespace}/${this.name}) was lost: ${by}. Another deploy may be running at the same time.`;
    this.lostReason = new UserError(
      `${message} The deploy is failed: what it applied may have been overwritten, or may overwrite the other deploy.`,
      'Re-run the deploy once the other one has finished; consider a longer lease duration if renewals are failing.',
    );
    this.options.onWarning?.(message);
    this.controller.abort(this.lostReason);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  renew(): Promise<void> {
    // One renewal at a time: a slow API server must not pile them up.
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private async renewOnce(): Promise<void> {
    if (this.released || this.lostFlag) return;
    try {
      const lease = await this.client.request<LeaseObject>({ method: 'GET', path: this.path, subject: this.subject });
      if (!this.isOurs(lease)) return this.markLost(lease);
      const renewed: LeaseObject = { ...lease, spec: { ...lease.spec, renewTime: microTime(this.clock.now()) } };
      this.lease = await this.client.request<LeaseObject>({ method: 'PUT', path: this.path, body: renewed, subject: this.subject });
    } catch (error) {
      if (apiStatusOf(error) === 404) return this.markLost(undefined);
      // A conflict or a transient failure: the next tick tries again, well before the lease lapses.
      this.options.onWarning?.(`Could not renew the deploy lock (Lease ${this.namespace}/${this.name}): ${errorMessage(error)}`);
    }
  }

  async release(): Promise<boolean> {
    this.stopTimer();
    if (this.released) return true;
    await this.renewing;
    if (this.lostFlag) return false;
    for (let attempt = 1; ; attempt += 1) {
      let lease: LeaseObject;
      try {
        // First from the version this run last wrote, saving a round trip: the PUT is
        // conditional on its resourceVersion, so any write since (a takeover) makes it a 409 and
        // the next attempt reads the Lease as it is.
        lease = attempt === 1 ? this.lease : await this.client.request<LeaseObject>({ method: 'GET', path: this.path, subject: this.subject });
      } catch (error) {
        if (apiStatusOf(error) === 404) {
          this.markLost(undefined);
          return false;
        }
        throw lockError('release', this.namespace, this.name, error);
      }
      if (!this.isOurs(lease)) {
        this.markLost(lease);
        return false;
      }
      // Clearing the holder (rather than deleting) is conditional on resourceVersion, so a
      // takeover that happened after our read is never undone.
      const spec = { ...lease.spec, renewTime: microTime(this.clock.now()) };
      delete spec.holderIdentity;
      delete spec.acquireTime;
      try {
        await this.client.request({ method: 'PUT', path: this.path, body: { ...lease, spec }, subject: this.subject });
        this.released = true;
        return true;
      } catch (error) {
        if (apiStatusOf(error) === 409 && attempt < 4) continue;
        if (apiStatusOf(error) === 404) {
          this.markLost(undefined);
          return false;
        }
        throw lockError('release', this.namespace, this.name, error);
      }
    }
  }
}

/**
 * Runs `fn` while holding the environment's lock, and releases it afterwards whether `fn`
 * succeeded or threw. A lock found lost (taken over by another holder, or deleted) fails the
 * deploy even when `fn` succeeded: another deploy may have written at the same time. A failed
 * release does not fail a deploy that succeeded: the lease lapses on its own, and the problem
 * goes to `onWarning`. When `options.signal` aborts while `fn` runs, the lock is released at
 * once and its reason is thrown; `fn` sees `lock.signal` abort and should stop writing.
 */
export async function withEnvironmentLock<T>(client: KubeRequester, options: LockOptions, fn: (lock: EnvironmentLock) => Promise<T>): Promise<T> {
  const lock = await acquireEnvironmentLock(client, options);
  const releaseQuietly = async (): Promise<void> => {
    try {
      await lock.release();
    } catch (error) {
      options.onWarning?.(`${errorMessage(error)} The lock lapses on its own after its lease duration.`);
    }
  };
  let result: T;
  try {
    result = await untilCancelled(fn(lock), options.signal);
  } catch (error) {
    await releaseQuietly();
    throw lock.lostError ?? error;
  }
  await releaseQuietly();
  if (lock.lostError) throw lock.lostError;
  return result;
}

/** `work`, or the signal's reason as soon as it aborts (the work itself is left to notice its own signal). */
function untilCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
