/**
 * The promotion chain: environments linked by `promoteFrom` (each names the one it promotes
 * from). The one place that says what the chain means, for every stage that walks it: its cycles
 * (the config loader refuses them), an environment's sources up the chain (a promotion must not
 * flow backwards; a failure blocks what it feeds), the targets a deploy promotes into, and when a
 * promoted target is deployed in the same run. Pure: no I/O, no clock.
 */
import type { EnvironmentConfig } from './types.js';

/** Each environment's `promoteFrom`, by name. */
export type PromotionLinks = ReadonlyMap<string, string | undefined>;

export function promotionLinks(environments: ReadonlyArray<Pick<EnvironmentConfig, 'name' | 'promoteFrom'>>): PromotionLinks {
  return new Map(environments.map((e) => [e.name, e.promoteFrom]));
}

/** The environments `name` promotes from, nearest first, up the chain; a cycle ends the walk before it repeats. */
export function upstreamOf(links: PromotionLinks, name: string): string[] {
  const sources: string[] = [];
  const seen = new Set([name]);
  for (let current = links.get(name); current !== undefined && !seen.has(current); current = links.get(current)) {
    seen.add(current);
    sources.push(current);
  }
  return sources;
}

/** Each cycle once, as the list of names along it, starting from its first name in `order`. */
export function findPromotionCycles(links: PromotionLinks, order: readonly string[]): string[][] {
  const cycles: string[][] = [];
  const settled = new Set<string>();
  for (const start of order) {
    if (settled.has(start)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let current: string | undefined = start;
    while (current !== undefined && !settled.has(current) && !onPath.has(current)) {
      onPath.set(current, path.length);
      path.push(current);
      current = links.get(current);
    }
    if (current !== undefined && onPath.has(current)) cycles.push(path.slice(onPath.get(current)));
    for (const name of path) settled.add(name);
  }
  return cycles;
}

/** Environments that promote from `source` directly, in config order. */
export function promotionTargets(environments: readonly EnvironmentConfig[], source: string): EnvironmentConfig[] {
  return environments.filter((e) => e.promoteFrom === source);
}

/** How one environment's deploy ended, as far as the chain cares. */
export type ChainStatus = 'success' | 'planned' | 'failure' | 'skipped';

/** What a promotion did, as far as the chain cares. */
export interface PromotionEffect {
  /** The promotion commit is on the target's remote branch (commit mode, pushed). */
  pushed?: boolean;
  commit?: string;
  changes: readonly unknown[];
}

/**
 * The commit to deploy a promotion's target from in this run, or undefined: only a pushed commit
 * that changed something (pushes made with the workflow's token start no workflow, so nothing
 * else would deploy it). A dry run, a pull request, an edited working tree or a local commit is
 * the user's to review and push.
 */
export function deployAfterPromotion(promotion: PromotionEffect, dryRun: boolean): string | undefined {
  if (dryRun || !promotion.pushed || promotion.changes.length === 0) return undefined;
  return promotion.commit;
}

/** One deploy of the chain: the environment, and the promotion commit it is deployed from (else the run's commit). */
export interface ChainStep {
  environment: EnvironmentConfig;
  promotedCommit?: string;
}

/**
 * A run's deploys in order: the environments asked for (config order), then the targets of
 * pushed promotions. An environment is deployed once, unless a promotion into it lands after its
 * deploy: then again, from the promotion commit. A failure (deploy or promotion into it) blocks
 * every environment below it in the chain.
 */
export interface ChainPlan {
  readonly environments: readonly EnvironmentConfig[];
  readonly queue: readonly ChainStep[];
  /** Environments taken from the queue, or settled by a failed promotion. */
  readonly done: ReadonlySet<string>;
  readonly failed: ReadonlySet<string>;
}

export function startChain(environments: readonly EnvironmentConfig[], deploying: readonly EnvironmentConfig[]): ChainPlan {
  return { environments, queue: deploying.map((environment) => ({ environment })), done: new Set(), failed: new Set() };
}

/** The next deploy, or undefined when the run is done. `blockedBy`: the nearest failed environment up the chain (the step is skipped). */
export function nextStep(plan: ChainPlan): { step: ChainStep; blockedBy?: string; plan: ChainPlan } | undefined {
  const index = plan.queue.findIndex((s) => !plan.done.has(s.environment.name));
  if (index < 0) return undefined;
  const step = plan.queue[index];
  const name = step.environment.name;
  const blockedBy = upstreamOf(promotionLinks(plan.environments), name).find((source) => plan.failed.has(source));
  const next: ChainPlan = {
    ...plan,
    queue: plan.queue.slice(index + 1),
    done: new Set([...plan.done, name]),
    failed: blockedBy ? new Set([...plan.failed, name]) : plan.failed,
  };
  return blockedBy ? { step, blockedBy, plan: next } : { step, plan: next };
}

/**
 * Records how a deploy ended and returns the targets to promote into: every direct target, in
 * config order, after a deploy that succeeded or was planned (a dry run); none after a failure,
 * or a skip (a newer commit is deployed: the run that deployed it promotes from it).
 */
export function afterDeploy(plan: ChainPlan, name: string, status: ChainStatus, promote: boolean): { plan: ChainPlan; targets: EnvironmentConfig[] } {
  if (status === 'failure') return { plan: { ...plan, failed: new Set([...plan.failed, name]) }, targets: [] };
  if (status === 'skipped' || !promote) return { plan, targets: [] };
  return { plan, targets: promotionTargets(plan.environments, name) };
}

/**
 * Records a promotion into `target`: `promotion` undefined means it failed (the target fails and
 * is not deployed). A pushed promotion queues the target's deploy from its commit, once, replacing
 * a deploy of it still queued, and again when it was deployed earlier in the run.
 */
export function afterPromotion(plan: ChainPlan, target: EnvironmentConfig, promotion: PromotionEffect | undefined, dryRun: boolean): ChainPlan {
  if (!promotion) return { ...plan, done: new Set([...plan.done, target.name]), failed: new Set([...plan.failed, target.name]) };
  const commit = deployAfterPromotion(promotion, dryRun);
  if (commit === undefined) return plan;
  const queued = plan.queue.some((s) => s.environment.name === target.name);
  const done = new Set(plan.done);
  done.delete(target.name);
  const queue = queued
    ? plan.queue.map((s) => (s.environment.name === target.name ? { environment: s.environment, promotedCommit: commit } : s))
    : [...plan.queue, { environment: target, promotedCommit: commit }];
  return { ...plan, queue, done };
}
