/**
 * preview: what a pull request will change in each affected environment. Reads only: never
 * writes to a cluster or to Git.
 */
import type { EnvironmentConfig, PipelineConfig } from '../config/types.js';
import type { ChangeSet } from '../model/changeset.js';
import { errorMessage, type Problem } from '../model/errors.js';
import { hasErrors, type Finding } from '../model/findings.js';
import { renderAndCompare } from '../plan/affected.js';
import { mapLimit } from '../model/concurrency.js';
import type { Log } from './log.js';
import type { ClusterPort, RenderDiffPort, RendererPort, ValidatorPort } from './ports.js';
import { selectEnvironments } from './select.js';
import { validateRenders } from './validate.js';

export interface PreviewEnvironment {
  name: string;
  affected: boolean;
  /** `cluster`: dry-run against live objects; `render`: base render vs head render. */
  mode: 'cluster' | 'render';
  changeSet?: ChangeSet;
  findings: Finding[];
  /** Why the cluster was not asked, when it was not. */
  note?: string;
  error?: Problem;
}

export interface PreviewResult {
  environments: PreviewEnvironment[];
  /** Names of affected environments, config order. */
  affected: string[];
  /** The commit render diffs compare with (undefined: none, so everything counts as new). */
  base?: string;
  /** The commit rendered (undefined: the working tree). */
  head?: string;
}

export interface PreviewRequest {
  config: PipelineConfig;
  base?: string;
  head?: string;
  /** Named environments instead of the affected ones. */
  environments?: string[] | 'all';
  /** False for forks and pull_request_target from other repositories: credentials are never read. */
  clusterAllowed: boolean;
  /** Why the cluster is not allowed, shown in the comment. */
  clusterDeniedReason?: string;
  /** Where the cluster cannot be asked, fail the environment instead of comparing renders (CLI `diff --require-cluster`). */
  requireCluster?: boolean;
}

export interface PreviewPorts {
  renderer: RendererPort;
  validator: ValidatorPort;
  cluster: ClusterPort;
  renderDiff: RenderDiffPort;
  log: Log;
}

export async function runPreview(request: PreviewRequest, ports: PreviewPorts): Promise<PreviewResult> {
  const { config } = request;
  // Named environments are the only ones rendered; otherwise all are, to find the affected ones.
  const candidates = request.environments ? selectEnvironments(config, request.environments) : config.environments;
  const title = `Rendering ${candidates.length} environment${candidates.length === 1 ? '' : 's'}${request.base ? ' at base and head' : ''}`;
  const renders = await ports.log.group(title, () =>
    renderAndCompare(candidates, { base: request.base, head: request.head }, (env, ref) => ports.renderer.render(env, ref)),
  );
  const affected = renders.filter((r) => r.affected).map((r) => r.environment.name);
  const selected: EnvironmentConfig[] = request.environments ? candidates : renders.filter((r) => r.affected).map((r) => r.environment);
  const selectedNames = new Set(selected.map((e) => e.name));

  // Every rendered environment's head takes part, so CRDs defined in any of them are known to all.
  const validations = validateRenders(
    renders.map((r) => ({ environment: r.environment, render: r.head })),
    ports.validator,
  );

  const environments = await mapLimit(
    renders.filter((r) => selectedNames.has(r.environment.name)),
    4,
    async (r): Promise<PreviewEnvironment> => {
      const findings = validations.find((v) => v.environment.name === r.environment.name)?.findings ?? [];
      const base = r.base?.objects ?? [];
      const fallBack = (note: string): PreviewEnvironment =>
        request.requireCluster
          ? { name: r.environment.name, affected: r.affected, mode: 'render', findings, note, error: { message: `the cluster was required but could not be asked: ${note}` } }
          : renderDiff(note);
      const renderDiff = (note: string): PreviewEnvironment => ({
        name: r.environment.name,
        affected: r.affected,
        mode: 'render',
        changeSet: ports.renderDiff.fromRenders(r.environment, base, r.head.objects),
        findings,
        note,
      });
      if (r.head.skipped !== undefined) {
        const failed = hasErrors(r.head.findings) ? { error: { message: 'the environment was not rendered; see the findings' } } : {};
        return { name: r.environment.name, affected: r.affected, mode: 'render', findings, note: r.head.skipped, ...failed };
      }
      // A head that did not render (a link out of the repository, a tool failure) is not "delete everything".
      if (r.head.objects.length === 0 && hasErrors(r.head.findings)) {
        const note = request.clusterAllowed ? {} : { note: request.clusterDeniedReason ?? 'cluster credentials are not used for this pull request' };
        return { name: r.environment.name, affected: r.affected, mode: 'render', findings, error: { message: 'the environment did not render; see the findings' }, ...note };
      }
      if (!request.clusterAllowed) return renderDiff(request.clusterDeniedReason ?? 'cluster credentials are not used for this pull request');
      if (!(await ports.cluster.hasCredentials(r.environment))) {
        return fallBack('no kubeconfig available: compared with the base render');
      }
      if (r.head.objects.length === 0 && r.head.findings.some((f) => f.severity === 'error')) {
        return { name: r.environment.name, affected: r.affected, mode: 'render', findings, error: { message: 'the environment did not render; see the findings' } };
      }
      try {
        const session = await ports.cluster.connect(r.environment);
        try {
          const changeSet = await session.changeSet(r.environment, r.head.objects, { prune: r.environment.prune.enabled });
          return { name: r.environment.name, affected: r.affected, mode: 'cluster', changeSet, findings };
        } finally {
          session.close();
        }
      } catch (error) {
        ports.log.warning(`${r.environment.name}: the cluster could not be asked (${errorMessage(error)}); comparing with the base render instead`);
        return fallBack(`the cluster could not be asked: ${errorMessage(error)}`);
      }
    },
  );
  return { environments, affected, ...(request.base ? { base: request.base } : {}), ...(request.head ? { head: request.head } : {}) };
}
