/**
 * Chart dependencies that are declared (Chart.yaml `dependencies:`, pinned by Chart.lock) but not
 * vendored in `charts/`: `helm dependency build` fetches them, into a temporary copy of the chart,
 * never into the checkout. `file://` dependencies are copied along at the same relative place so
 * their paths still resolve; http(s) repositories are listed in a repositories file of the copy's
 * own (as Argo CD and Flux do, no `helm repo add` needed); `oci://` ones are fetched directly.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import type { Finding } from '../model/findings.js';
import { isPlainObject } from '../model/objects.js';
import { isInside } from './files.js';
import type { EngineInput } from './kustomize.js';

const BUILD_TIMEOUT_MS = 5 * 60_000;

export interface ChartDependency {
  name: string;
  version: string;
  repository: string;
  alias?: string;
}

export interface PreparedChart {
  /** The directory to template: the environment's own, or the temporary copy with its dependencies. */
  chartDir: string;
  /** Subchart directory name (alias or name) -> absolute directory in the repository, for `file://` dependencies. */
  localSubcharts: Map<string, string>;
  dispose: () => Promise<void>;
}

export async function readChartDependencies(chartDir: string): Promise<ChartDependency[]> {
  let chart: unknown;
  try {
    chart = parse(await readFile(join(chartDir, 'Chart.yaml'), 'utf8'), { maxAliasCount: 100 });
  } catch {
    return []; // helm names a broken Chart.yaml itself
  }
  if (!isPlainObject(chart) || !Array.isArray(chart.dependencies)) return [];
  return chart.dependencies.flatMap((entry: unknown) => {
    if (!isPlainObject(entry) || typeof entry.name !== 'string') return [];
    return [
      {
        name: entry.name,
        version: String(entry.version ?? ''),
        repository: typeof entry.repository === 'string' ? entry.repository : '',
        alias: typeof entry.alias === 'string' ? entry.alias : undefined,
      },
    ];
  });
}

/** Fetches what `charts/` lacks; a failure is one finding naming the chart, the dependencies and their repositories. */
export async function prepareChart(
  input: EngineInput,
  helm: string,
  chartName: string | undefined,
): Promise<PreparedChart | { finding: Finding }> {
  const dependencies = await readChartDependencies(input.envDir);
  const localSubcharts = new Map<string, string>();
  for (const dependency of dependencies) {
    const local = localDirectory(input.envDir, dependency.repository);
    if (local && isInside(input.rootReal, local)) localSubcharts.set(dependency.alias ?? dependency.name, local);
  }
  const vendored = await readdir(join(input.envDir, 'charts')).catch(() => [] as string[]);
  const missing = dependencies.filter((d) => !vendored.some((entry) => entry === d.name || (entry.startsWith(`${d.name}-`) && entry.endsWith('.tgz'))));
  if (missing.length === 0) return { chartDir: input.envDir, localSubcharts, dispose: async () => {} };

  const chartFile = `${input.envPath === '.' ? '' : `${input.envPath}/`}Chart.yaml`;
  for (const dependency of missing) {
    const local = localDirectory(input.envDir, dependency.repository);
    if (local && !isInside(input.rootReal, local)) {
      return { finding: dependencyFinding(input, chartFile, `dependency "${dependency.name}" of chart "${chartName ?? input.envPath}" points outside the repository (${dependency.repository}); keep local subcharts inside the repository`) };
    }
  }

  const temp = await mkdtemp(join(tmpdir(), 'slipway-chart-'));
  const dispose = () => rm(temp, { recursive: true, force: true });
  try {
    // The same relative layout as the repository, so file:// paths resolve as they do there.
    const tree = join(temp, 'tree');
    const copy = (dir: string) => cp(dir, join(tree, relative(input.rootReal, dir)), { recursive: true, verbatimSymlinks: true });
    await copy(input.envDir);
    for (const dir of new Set(localSubcharts.values())) if (!isInside(input.envDir, dir)) await copy(dir);
    const chartDir = join(tree, relative(input.rootReal, input.envDir));

    const repositories = [...new Set(missing.map((d) => d.repository).filter((url) => /^https?:\/\//i.test(url)))];
    await writeFile(join(temp, 'repositories.yaml'), repositoriesFile(repositories));
    await mkdir(join(temp, 'cache'));
    const result = await input.runner.run(
      helm,
      ['dependency', 'build', chartDir, '--repository-config', join(temp, 'repositories.yaml'), '--repository-cache', join(temp, 'cache')],
      { cwd: chartDir, timeoutMs: BUILD_TIMEOUT_MS, allowFailure: true, env: { KUBECONFIG: '/dev/null' } },
    );
    if (result.exitCode !== 0) {
      await dispose();
      const wanted = missing.map((d) => `"${d.name}" ${d.version || '(any version)'} from ${d.repository || '(no repository)'}`).join(', ');
      const detail = failureDetail(result.stdout, result.stderr);
      return {
        finding: dependencyFinding(
          input,
          chartFile,
          `helm could not fetch the dependencies of chart "${chartName ?? input.envPath}" (${chartFile}) for environment "${input.environment}": ${wanted}.\n${detail}\n` +
            `Check that the repository is reachable from the runner (and logged in, for a private one), or vendor the charts: run \`helm dependency build ${input.envPath}\` and commit its charts/ directory.`,
        ),
      };
    }
    return { chartDir, localSubcharts, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/**
 * What went wrong, in helm's words. A repository helm could not reach is reported on stdout
 * ("Unable to get an update from ..." and the reason on the next line); the error on stderr
 * that follows only says the index file is missing, so the stdout lines come first.
 */
function failureDetail(stdout: string, stderr: string): string {
  const lines = stdout.split('\n');
  const unreachable = lines.flatMap((line, i) => (line.includes('Unable to get an update') ? [line.replace(/^\.*/, '').trim(), (lines[i + 1] ?? '').trim()] : []));
  const detail = unreachable.length ? unreachable.filter(Boolean) : (stderr.trim() || stdout.trim()).split('\n').slice(-8);
  return detail.join('\n');
}

/** The directory of a `file://` dependency, else undefined. */
function localDirectory(chartDir: string, repository: string): string | undefined {
  return repository.startsWith('file://') ? resolve(chartDir, repository.slice('file://'.length)) : undefined;
}

function repositoriesFile(urls: readonly string[]): string {
  const entries = urls.map((url, index) => `  - name: slipway-${index}\n    url: ${JSON.stringify(url)}\n`).join('');
  return `apiVersion: ""\ngenerated: "0001-01-01T00:00:00Z"\nrepositories:\n${entries || '  []\n'}`;
}

function dependencyFinding(input: EngineInput, chartFile: string, message: string): Finding {
  return { severity: 'error', rule: 'helm-dependency', message: message, file: chartFile, environment: input.environment };
}

/** `charts/<sub>/rest` of a rendered template -> the repository file of a `file://` subchart. */
export function localSubchartFile(inChart: string, localSubcharts: ReadonlyMap<string, string>, rootReal: string): string | undefined {
  const match = /^charts\/([^/]+)\/(.+)$/.exec(inChart);
  const dir = match ? localSubcharts.get(match[1]!) : undefined;
  if (!match || !dir) return undefined;
  return relative(rootReal, join(dir, match[2]!)).split(sep).join('/');
}
