/**
 * What the flows need from the outside world, as small interfaces. src/flows/adapters.ts wires
 * them to the real renderer, validator, cluster engine and GitHub; tests may pass fakes.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { DeployOptions, DeployOutcome } from '../kube/deploy-environment.js';
import type { ApplyOutcome } from '../kube/results.js';
import type { HealthResult } from '../model/health.js';
import type { ChangeSet } from '../model/changeset.js';
import type { Finding } from '../model/findings.js';
import type { ObjectRef, RenderedObject } from '../model/objects.js';
import type { RenderOutcome } from '../plan/affected.js';
import type { PromotionDelivery, PromotionResult } from '../promote/promote.js';
import type { ImageRequest } from '../promote/select-images.js';

export interface RendererPort {
  /** Renders an environment at a commit (undefined: the working tree). */
  render(env: EnvironmentConfig, ref: string | undefined): Promise<RenderOutcome>;
  /** Removes what rendering left on disk (commits written out for this run). */
  dispose?(): Promise<void>;
}

export interface ValidatorPort {
  /** Validates each environment's objects; CRDs from every environment given are known to all. */
  validate(renders: ReadonlyArray<{ environment: EnvironmentConfig; objects: RenderedObject[]; renderFailed?: boolean }>): Map<string, Finding[]>;
}

/** Git history, to tell which of two commits is newer. */
export interface CommitHistoryPort {
  /** Full SHA of a ref; throws when it names no commit. */
  resolve(ref: string): Promise<string>;
  /** Whether the commit exists in the local repository. */
  has(sha: string): Promise<boolean>;
  /** Whether `descendant` has `ancestor` in its history. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** Fetches a commit from the remote (a newer one may have been pushed by another run). */
  fetch(sha: string): Promise<void>;
}

export interface ClusterSession {
  changeSet(env: EnvironmentConfig, objects: RenderedObject[], options: { prune: boolean }): Promise<ChangeSet>;
  /** Lock, plan again under the lock, apply in stages, prune, wait, record, unlock (src/kube/deploy-environment.ts). */
  deploy(env: EnvironmentConfig, changeSet: ChangeSet, options: DeployOptions): Promise<DeployOutcome>;
  /** Commit of the environment's last healthy deploy (on its ApplySet parent), undefined when none is recorded. */
  deployedCommit?(env: EnvironmentConfig): Promise<string | undefined>;
  /** Under the lock: applies the render of the recorded commit, prunes only what deploys since created, waits (src/kube/rollback.ts). */
  rollback?(env: EnvironmentConfig, options: RollbackOptions): Promise<RollbackApplyOutcome>;
  close(): void;
}

export interface RollbackOptions {
  /** The recorded commit `objects` were rendered from; nothing is applied when another is recorded by then. */
  commit: string;
  objects: RenderedObject[];
  timeoutMs: number;
  holder: string;
  signal?: AbortSignal;
}

export interface RollbackApplyOutcome {
  /** `superseded`: another deploy recorded a newer healthy commit meanwhile; nothing was applied. */
  state: 'applied' | 'superseded';
  /** The commit recorded when superseded. */
  recorded?: string;
  apply?: ApplyOutcome;
  health?: HealthResult;
  /** Applied without failures and, when waited for, healthy. */
  healthy: boolean;
  /** Objects deleted: created by a deploy since the recorded one, not in its render. */
  pruned: ObjectRef[];
  /** Objects not in the recorded render that existed before (left in place). */
  kept: ObjectRef[];
  changeSet?: ChangeSet;
}

export interface ClusterPort {
  /** Connects to the environment's cluster, or explains why it cannot (no kubeconfig, unknown context). */
  connect(env: EnvironmentConfig): Promise<ClusterSession>;
  /**
   * Cheap check: is there a kubeconfig to ask at all? False when there is none; rejects when one
   * exists but does not parse. One without the environment's context counts: `connect` then fails
   * naming the contexts it has.
   */
  hasCredentials(env: EnvironmentConfig): Promise<boolean>;
}

export interface RenderDiffPort {
  /** A change set from two renders, for when no cluster can be asked (forks, no credentials). */
  fromRenders(env: EnvironmentConfig, base: RenderedObject[], head: RenderedObject[]): ChangeSet;
}

/** A deployment the port started, as the flows hold it until it is finished (the port keeps the rest). */
export interface StartedDeployment {
  id: number;
}

/** GitHub deployments for environments; absent outside GitHub. */
export interface DeploymentsPort {
  start(environment: string, ref: string): Promise<StartedDeployment | undefined>;
  /** `inactive`: nothing of this ref was deployed (a newer commit already is). */
  finish(handle: StartedDeployment, state: 'success' | 'failure' | 'inactive', description: string): Promise<void>;
}

/** What a promotion did, as the flows and reports see it. */
/** What the flows read of a promotion (promote's own result, without the images it looked at). */
export type PromotionOutcome = Pick<PromotionResult, 'source' | 'target' | 'mode' | 'changes' | 'diff' | 'commit' | 'pushed' | 'pullRequest'>;

export interface PromotionPort {
  /** Edits the target directory to the source's images (or the pins) and commits / opens a PR. */
  promote(request: { from?: string; to: string; images: readonly ImageRequest[]; mode: PromotionDelivery; dryRun: boolean }): Promise<PromotionOutcome>;
}
