/**
 * In-memory ports for the flows (src/flows/ports.ts): a repository of commits holding each
 * environment's rendered objects, one cluster per environment, GitHub deployments and a promoter
 * that records what it was asked. No process, no socket: the flows' own logic under test.
 */
import type { EnvironmentConfig, PipelineConfig } from '../../src/config/types.js';
import type { ChangeEntry, ChangeSet } from '../../src/model/changeset.js';
import type { Finding } from '../../src/model/findings.js';
import { refKey, refOf, type KubeObject, type RenderedObject } from '../../src/model/objects.js';
import type { RenderOutcome } from '../../src/plan/affected.js';
import type { Log } from '../../src/flows/log.js';
import type { DeployOptions, DeployOutcome } from '../../src/kube/deploy-environment.js';
import type { HealthResult } from '../../src/model/health.js';
import type {
  ClusterSession,
  PromotionOutcome,
  PromotionPort,
} from '../../src/flows/ports.js';
import type { RunPorts } from '../../src/flows/run.js';
import { testEnvironment } from '../support/environment.js';

export function environment(partial: Partial<EnvironmentConfig> & { name: string }): EnvironmentConfig {
  return testEnvironment(partial.name, {
    wait: { enabled: true, timeoutMs: 60_000 },
    forceConflicts: false,
    policies: { 'image-tag': 'warning', 'duplicate-object': 'error', 'missing-namespace': 'off', 'plaintext-secret': 'warning' },
    ...partial,
  });
}

export function pipeline(...environments: EnvironmentConfig[]): PipelineConfig {
  return { file: 'slipway.yaml', root: '/repo', environments, tools: {} };
}

/** A Deployment named `web` running `image`. */
export function web(image: string, namespace = 'apps'): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace }, spec: { template: { spec: { containers: [{ name: 'web', image }] } } } };
}

export function configMap(name: string, data: Record<string, string>, namespace = 'apps'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

/** Each environment's objects at one commit. */
export type Tree = Record<string, KubeObject[]>;

const image = (object: KubeObject): string | undefined =>
  (object.spec as { template?: { spec?: { containers?: { image: string }[] } } } | undefined)?.template?.spec?.containers?.[0]?.image;

export class MemoryWorld {
  /** Commits in order; the last one is the working tree's HEAD. */
  readonly commits: Array<{ sha: string; tree: Tree }> = [];
  /** Live objects per environment (each environment has a cluster of its own). */
  readonly clusters = new Map<string, Map<string, KubeObject>>();
  /** Environments whose health wait fails after apply. */
  readonly unhealthy = new Set<string>();
  /** Environments without a kubeconfig. */
  readonly noCredentials = new Set<string>();
  /** Environments whose cluster refuses connections. */
  readonly unreachable = new Set<string>();
  /** Findings the validator reports per environment. */
  readonly findings = new Map<string, Finding[]>();
  /** Renders that fail, per environment: `skipped` reason and findings. */
  readonly renderFailures = new Map<string, RenderOutcome>();
  /** Environments whose deploy finds a newer commit already deployed. */
  readonly newerDeployed = new Map<string, string>();
  /** Targets whose promotion throws. */
  readonly promotionFailures = new Map<string, string>();
  /** Everything the ports were asked, in order. */
  readonly calls: string[] = [];
  readonly deployments: Array<{ id: number; environment: string; ref: string; state?: string; description?: string }> = [];
  readonly logs: Array<{ level: 'info' | 'warning' | 'error'; message: string }> = [];
  readonly promotions: Array<Parameters<PromotionPort['promote']>[0]> = [];

  constructor(initial: Tree) {
    this.commit(initial);
  }

  /** A new commit on top (the working tree follows it); returns its SHA. */
  commit(tree: Tree): string {
    const sha = String(this.commits.length + 1).padStart(40, 'c');
    this.commits.push({ sha, tree: structuredClone(tree) });
    return sha;
  }

  get head(): string {
    return this.commits.at(-1)!.sha;
  }

  treeAt(ref: string | undefined): Tree {
    const found = ref === undefined ? this.commits.at(-1) : this.commits.find((c) => c.sha === ref);
    if (!found) throw new Error(`no commit ${ref}`);
    return found.tree;
  }

  live(env: string): KubeObject[] {
    return [...(this.clusters.get(env)?.values() ?? [])];
  }

  /** Sets an environment's live objects, as a deploy before this run left them. */
  seed(env: string, objects: KubeObject[]): void {
    this.clusters.set(env, new Map(objects.map((o) => [refKey(refOf(o)), structuredClone(o)])));
  }

  ports(): RunPorts {
    return portsOver(this);
  }

  /** merge-base answers ("base head" -> ancestor); default: the base itself. */
  readonly mergeBases = new Map<string, string>();

  session(env: string): ClusterSession {
    return sessionOver(this, env);
  }

  /** Copies the source's Deployment image (or a pin) into the target at a new commit. */
  promote(request: Parameters<PromotionPort['promote']>[0]): PromotionOutcome {
    return promoteIn(this, request);
  }
}

function portsOver(world: MemoryWorld): RunPorts {
  const log: Log = {
    info: (message) => void world.logs.push({ level: 'info', message }),
    warning: (message) => void world.logs.push({ level: 'warning', message }),
    error: (message) => void world.logs.push({ level: 'error', message }),
    group: (_title, work) => work(),
  };
  return {
    log,
    renderer: {
      async render(env, ref) {
        world.calls.push(`render ${env.name}@${ref ?? 'worktree'}`);
        const failure = world.renderFailures.get(env.name);
        if (failure) return structuredClone(failure);
        const objects = world.treeAt(ref)[env.name] ?? [];
        return { objects: objects.map((object): RenderedObject => ({ object: structuredClone(object), source: { file: `${env.path}/objects.yaml`, line: 1, column: 1 } })), findings: [] };
      },
    },
    validator: {
      validate(renders) {
        world.calls.push(`validate ${renders.map((r) => r.environment.name).join(',')}`);
        return new Map(renders.map((r) => [r.environment.name, world.findings.get(r.environment.name) ?? []]));
      },
    },
    cluster: {
      hasCredentials: (env) => Promise.resolve(!world.noCredentials.has(env.name)),
      async connect(env) {
        world.calls.push(`connect ${env.name}`);
        if (world.unreachable.has(env.name)) throw new Error(`connect ECONNREFUSED for context ${env.name}`);
        return world.session(env.name);
      },
    },
    renderDiff: {
      fromRenders: (env, base, head) => ({ ...diff(env.name, base.map((r) => r.object), head.map((r) => r.object), env.prune.enabled), mode: 'render' }),
    },
    deployments: {
      async start(environment, ref) {
        const handle = { id: world.deployments.length + 1 };
        world.deployments.push({ ...handle, environment, ref });
        return handle;
      },
      async finish(handle, state, description) {
        Object.assign(world.deployments[handle.id - 1], { state, description });
      },
    },
    promotion: {
      async promote(request): Promise<PromotionOutcome> {
        world.promotions.push(request);
        world.calls.push(`promote ${request.from ?? '(pins)'} -> ${request.to}`);
        const failure = world.promotionFailures.get(request.to);
        if (failure) throw new Error(failure);
        return world.promote(request);
      },
    },
    history: {
      resolve: async (ref) => ref,
      has: async (sha) => world.commits.some((c) => c.sha === sha),
      isAncestor: async (ancestor, descendant) => world.commits.findIndex((c) => c.sha === ancestor) <= world.commits.findIndex((c) => c.sha === descendant),
      fetch: async () => undefined,
    },
    resolveRef: async (ref) => {
      world.calls.push(`resolve ${ref}`);
      const parent = /^(.*)\^1$/.exec(ref);
      if (!parent) return ref;
      const index = world.commits.findIndex((c) => c.sha === parent[1]);
      return world.commits[index - 1].sha;
    },
    mergeBase: async (a, b) => {
      world.calls.push(`merge-base ${a.slice(-4)} ${b.slice(-4)}`);
      return world.mergeBases.get(`${a} ${b}`) ?? a;
    },
  };
}

function sessionOver(world: MemoryWorld, env: string): ClusterSession {
  const live = () => world.clusters.get(env) ?? new Map<string, KubeObject>();
  return {
    async changeSet(environment, objects, options) {
      world.calls.push(`changeSet ${env}`);
      return diff(environment.name, [...live().values()], objects.map((o) => o.object), options.prune);
    },
    async deploy(environment, changeSet: ChangeSet, options: DeployOptions): Promise<DeployOutcome> {
      world.calls.push(`deploy ${env}${options.revision ? ` ${options.revision.commit.slice(-4)}` : ''}`);
      const newer = world.newerDeployed.get(env);
      if (newer) return { apply: { applied: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: [] }, newerCommit: newer };
      const objects = live();
      const count = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
      for (const entry of changeSet.entries) {
        const key = refKey(entry.ref);
        if (entry.action === 'delete') objects.delete(key);
        else if (entry.desired) objects.set(key, structuredClone(entry.desired));
        if (entry.action === 'create') count.created += 1;
        if (entry.action === 'update') count.updated += 1;
        if (entry.action === 'unchanged') count.unchanged += 1;
        if (entry.action === 'delete') count.deleted += 1;
      }
      world.clusters.set(env, objects);
      const health: HealthResult = world.unhealthy.has(env)
        ? { healthy: false, timedOut: true, failing: [{ ref: { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'apps', name: 'web' }, status: 'InProgress', message: 'replicas not ready', events: [], causes: [] }] }
        : { healthy: true, timedOut: false, failing: [] };
      const applySetParent = { group: '', version: 'v1', kind: 'Secret', namespace: environment.namespace ?? 'default', name: `slipway-${env}` };
      return { apply: { applied: count.created + count.updated, ...count, failed: [] }, health: environment.wait.enabled ? health : undefined, applySetParent };
    },
    close: () => void world.calls.push(`close ${env}`),
  };
}

function promoteIn(world: MemoryWorld, request: Parameters<PromotionPort['promote']>[0]): PromotionOutcome {
  const tree = structuredClone(world.treeAt(undefined));
  const pin = request.images.find((r) => r.pin);
  const wanted = pin ? `${pin.name}:${pin.pin?.tag}` : image((tree[request.from ?? ''] ?? [])[0] ?? web(''));
  const target = tree[request.to] ?? [];
  const before = image(target[0] ?? web(''));
  const outcome: PromotionOutcome = { source: request.from, target: request.to, mode: request.mode, changes: [], diff: '' };
  if (!wanted || before === wanted || request.mode === 'working-tree') return outcome;
  target[0] = web(wanted);
  tree[request.to] = target;
  outcome.changes = [{ image: wanted.split(':')[0], from: before?.split(':')[1] ?? '', to: wanted.split(':')[1], file: `envs/${request.to}/objects.yaml`, line: 1 }];
  outcome.diff = `-image: ${before}\n+image: ${wanted}\n`;
  if (request.dryRun) return outcome;
  if (request.mode === 'pull-request') {
    const number = world.promotions.length;
    return { ...outcome, pullRequest: { number, url: `https://github.example/acme/gitops/pull/${number}`, action: 'created', branch: `slipway/promote-${request.to}`, commit: 'e'.repeat(40), baseCommit: world.head } };
  }
  const commit = world.commit(tree);
  return { ...outcome, commit, pushed: true };
}

/** What applying `desired` over `live` would do (prune: delete what is no longer desired). */
function diff(environment: string, live: KubeObject[], desired: KubeObject[], prune: boolean): ChangeSet {
  const liveByKey = new Map(live.map((o) => [refKey(refOf(o)), o]));
  const entries: ChangeEntry[] = desired.map((object) => {
    const before = liveByKey.get(refKey(refOf(object)));
    liveByKey.delete(refKey(refOf(object)));
    const action = !before ? 'create' : JSON.stringify(before) === JSON.stringify(object) ? 'unchanged' : 'update';
    return { ref: refOf(object), action, diff: action === 'unchanged' ? '' : `+${JSON.stringify(object)}\n`, desired: object, ...(before ? { live: before } : {}) };
  });
  if (prune) for (const object of liveByKey.values()) entries.push({ ref: refOf(object), action: 'delete', diff: `-${JSON.stringify(object)}\n`, live: object });
  return { environment, mode: 'cluster', entries };
}
