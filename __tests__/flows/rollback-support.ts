/**
 * What the rollback tests share: a Deployment controller played on the loopback API server
 * (an image tagged `missing` never pulls: its Pods sit in ImagePullBackOff; any other image rolls
 * out at once), a clock that decides the health wait without wall time, and an in-memory
 * repository of commits.
 */
import type { EnvironmentConfig } from '../../src/config/types.js';
import type { CommitHistoryPort, RendererPort } from '../../src/flows/ports.js';
import type { Clock } from '../../src/kube/wait-api.js';
import type { KubeObject } from '../../src/model/objects.js';
import type { FakeKubeApiServer } from '../support/kube-api-server.js';

export const NS = 'shop';

export const shopEnv = (partial: Partial<EnvironmentConfig> = {}): EnvironmentConfig =>
  ({
    name: 'prod',
    path: 'envs/prod',
    namespace: NS,
    promotion: 'commit',
    prune: { enabled: true, maxShare: 0.5 },
    // Far above anything real: the wait ends by fail-fast on the injected clock, or healthy.
    wait: { enabled: true, timeoutMs: 10 * 60_000 },
    forceConflicts: true,
    onFailure: 'rollback',
    ...partial,
  }) as EnvironmentConfig;

export function deployment(image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
  };
}

export function configMap(name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, data };
}

export function imageOf(kube: FakeKubeApiServer): string | undefined {
  const spec = kube.getObject('apps/v1', 'Deployment', 'web', NS)?.spec as { template: { spec: { containers: Array<{ image: string }> } } } | undefined;
  return spec?.template.spec.containers[0]?.image;
}

/**
 * Plays the Deployment controller and kubelet for Deployments in NS: each write replaces the
 * Deployment's ReplicaSet and Pods with ones for its image; an image that never pulls (by
 * default: tagged `missing`) leaves them in ImagePullBackOff (with a Warning Event) and the
 * Deployment progressing.
 */
export function playDeploymentController(
  kube: FakeKubeApiServer,
  neverPulls: (image: string) => boolean = (image) => image.endsWith(':missing'),
  /** Images whose Pods no node can take (Pending, Unschedulable): not a fail-fast cause, so the wait times out. */
  unschedulable: (image: string) => boolean = (image) => image.endsWith(':huge'),
): () => void {
  let revision = 0;
  return kube.onWrite((write) => {
    const match = new RegExp(`^/apis/apps/v1/namespaces/${NS}/deployments/([^/]+)$`).exec(write.path);
    if (!match || write.method === 'DELETE') return;
    const object = kube.getObject('apps/v1', 'Deployment', match[1] as string, NS);
    if (!object) return;
    const name = object.metadata.name as string;
    const spec = object.spec as { replicas?: number; template: { spec: { containers: Array<{ name: string; image: string }> } } };
    const replicas = spec.replicas ?? 1;
    const image = spec.template.spec.containers[0]?.image ?? '';
    const pull = neverPulls(image);
    const pending = unschedulable(image);
    const broken = pull || pending;
    revision += 1;
    for (const rs of kube.listObjects('apps/v1', 'ReplicaSet', NS)) if (rs.metadata.labels?.app === name) kube.deleteObject('apps/v1', 'ReplicaSet', rs.metadata.name as string, NS);
    for (const pod of kube.listObjects('v1', 'Pod', NS)) if (pod.metadata.labels?.app === name) kube.deleteObject('v1', 'Pod', pod.metadata.name as string, NS);
    const hash = `r${revision}`;
    const labels = { app: name, 'pod-template-hash': hash };
    const rs = kube.seed({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${name}-${hash}`, namespace: NS, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: String(object.metadata.uid), controller: true }] },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image }] } } },
    } as KubeObject);
    for (let i = 0; i < replicas; i += 1) {
      const podName = `${name}-${hash}-p${i}`;
      const waiting = { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` };
      kube.seed({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace: NS, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: String(rs.metadata.uid), controller: true }] },
        spec: { containers: [{ name: 'web', image }] },
        status: pending
          ? { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] }
          : pull
            ? { phase: 'Pending', containerStatuses: [{ name: 'web', image, ready: false, restartCount: 0, state: { waiting } }] }
            : { phase: 'Running', containerStatuses: [{ name: 'web', image, ready: true, restartCount: 0, state: { running: {} } }] },
      } as KubeObject);
      if (pull) kube.addEvent({ type: 'Warning', reason: 'Failed', message: `Failed to pull image "${image}": manifest unknown`, count: 3, involvedObject: { kind: 'Pod', name: podName, namespace: NS } });
    }
    const generation = object.metadata.generation ?? 1;
    kube.setStatus('apps/v1', 'Deployment', name, NS, broken
      ? {
          observedGeneration: generation,
          replicas,
          updatedReplicas: replicas,
          readyReplicas: 0,
          availableReplicas: 0,
          unavailableReplicas: replicas,
          conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs.metadata.name}" is progressing.` }],
        }
      : {
          observedGeneration: generation,
          replicas,
          updatedReplicas: replicas,
          readyReplicas: replicas,
          availableReplicas: replicas,
          conditions: [
            { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
            { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.` },
          ],
        });
  });
}

/**
 * Time for health waits: each short sleep (polls, progress and fail-fast rounds) moves the
 * clock on by its length at once; a long one (the wait's deadline) ends only once the short
 * ones have moved the clock past it. So a wait ends healthy as soon as the server says so,
 * fails fast after 60 s of image-pull failures counted here, or times out on this clock.
 */
export class SteppingClock implements Clock {
  time = Date.parse('2026-11-05T12:00:00Z');
  private readonly deadlines = new Set<{ at: number; resolve: () => void }>();
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const deadline = { at: this.time + ms, resolve: done };
      const onAbort = () => {
        this.deadlines.delete(deadline);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (ms > 60_000) {
        this.deadlines.add(deadline);
        return;
      }
      this.time += ms;
      for (const d of [...this.deadlines]) {
        if (d.at > this.time) continue;
        this.deadlines.delete(d);
        setImmediate(d.resolve);
      }
      setImmediate(done);
    });
  }
}

/** Commits in order, each the environment's objects; HEAD is the last. */
export class CommitLine {
  readonly commits: Array<{ sha: string; objects: KubeObject[] }> = [];
  readonly rendered: Array<string | undefined> = [];
  readonly fetched: string[] = [];
  /** Commits this checkout lacks until fetched (shallow clone). */
  readonly missing = new Set<string>();

  commit(objects: KubeObject[], sha = (this.commits.length + 1).toString(16).padStart(40, 'a')): string {
    this.commits.push({ sha, objects });
    return sha;
  }

  renderer(): RendererPort {
    return {
      render: async (_env, ref) => {
        this.rendered.push(ref);
        const commit = ref === undefined ? this.commits.at(-1) : this.commits.find((c) => c.sha === ref);
        if (!commit || (ref && this.missing.has(ref))) return { objects: [], findings: [{ severity: 'error', rule: 'render', message: `no commit ${ref}` }] };
        return { objects: structuredClone(commit.objects).map((object) => ({ object })), findings: [] };
      },
    };
  }

  history(): CommitHistoryPort {
    const index = (sha: string) => this.commits.findIndex((c) => c.sha === sha);
    return {
      resolve: async (ref) => {
        if (index(ref) < 0) throw new Error(`unknown ref ${ref}`);
        return ref;
      },
      has: async (sha) => index(sha) >= 0 && !this.missing.has(sha),
      isAncestor: async (ancestor, descendant) => index(ancestor) >= 0 && index(ancestor) <= index(descendant),
      fetch: async (sha) => {
        this.fetched.push(sha);
        this.missing.delete(sha);
      },
    };
  }
}
