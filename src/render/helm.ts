/**
 * The Helm engine: `helm template <release> <chart dir> --include-crds --namespace <ns> -f <values>...`.
 * Helm prints `# Source: <chart>/templates/<file>` before each document; that names the
 * template in the repository, and the template's `kind:` line gives the line number.
 * The chart's `crds/` are part of the render (applied first, with the other definitions); test
 * hooks are not (`helm test` runs them), which one notice says. Dependencies not vendored in
 * `charts/` are fetched first, into a temporary copy (helm-dependencies.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { EnvironmentConfig, ToolPaths } from '../config/types.js';
import { locateTool } from '../exec/tools.js';
import type { Finding } from '../model/findings.js';
import type { RenderedObject, SourceLocation } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { isHelmTestHook } from '../model/helm-hooks.js';
import type { EngineInput } from './kustomize.js';
import { localSubchartFile, prepareChart } from './helm-dependencies.js';
import { parseManifests } from './parse.js';
import { renderRunOptions } from './limits.js';
import type { BuildOutput } from './render-memo.js';
import { toolFailure } from './tool-failure.js';

const SOURCE_COMMENT = /^# Source: (.+)$/m;

export async function renderHelm(
  input: EngineInput,
  env: Pick<EnvironmentConfig, 'name' | 'namespace' | 'helm' | 'kubernetesVersion'>,
): Promise<BuildOutput> {
  const helm = locateTool('helm', {
    configured: input.tools as ToolPaths,
    root: input.toolsRoot,
    path: input.runner.path,
    neededBy: `environment "${input.environment}" (${input.envPath} has a Chart.yaml)`,
  });
  const chartName = await readChartName(input.envDir);
  const prepared = await prepareChart(input, helm, chartName);
  if ('finding' in prepared) return { objects: [], findings: [prepared.finding] };
  let stdout: string;
  try {
    const args = ['template', env.helm.releaseName ?? env.name, prepared.chartDir, '--include-crds', '--kube-version', env.kubernetesVersion];
    if (env.namespace) args.push('--namespace', env.namespace);
    for (const values of env.helm.valuesFiles) args.push('--values', join(input.envDir, values));
    const result = await input.runner.run(helm, args, {
      cwd: prepared.chartDir,
      allowFailure: true,
      // No cluster is contacted by `helm template`; keep helm away from the user's kubeconfig anyway.
      ...renderRunOptions({ KUBECONFIG: '/dev/null' }),
    });
    if (result.exitCode !== 0) return { objects: [], findings: [toolFailure('helm', input, result.stderr)] };
    stdout = result.stdout;
  } finally {
    await prepared.dispose();
  }

  const objects: RenderedObject[] = [];
  const findings: Finding[] = [];
  const testHooks: string[] = [];
  for (const chunk of stdout.split(/^---[ \t]*$/m)) {
    const parsed = parseManifests(chunk, undefined);
    findings.push(...parsed.findings.map((f) => ({ ...f, file: f.file ?? input.envPath })));
    if (parsed.objects.length === 0) continue;
    const templatePath = SOURCE_COMMENT.exec(chunk)?.[1]?.trim();
    for (const { object } of parsed.objects) {
      if (isHelmTestHook(object)) {
        testHooks.push(templatePath ? inChartPath(chartName, templatePath) : `${object.kind}/${object.metadata?.name ?? ''}`);
        continue;
      }
      const source = templatePath ? await templateLocation(input, chartName, templatePath, object.kind, prepared.localSubcharts) : undefined;
      objects.push(source ? { object, source } : { object });
    }
  }
  if (testHooks.length) findings.push(testHooksNotice(input.envPath, testHooks));
  return { objects, findings };
}

function testHooksNotice(envPath: string, hooks: string[]): Finding {
  const unique = [...new Set(hooks)];
  return {
    severity: 'notice',
    rule: 'helm-test-hooks',
    message:
      `left out ${hooks.length} Helm test hook${hooks.length === 1 ? '' : 's'} (helm.sh/hook: test, as \`helm template --skip-tests\` does): ` +
      `they are run by \`helm test\`, not part of the desired state: ${unique.join(', ')}`,
    file: envPath,
  };
}

/** `podinfo/templates/x.yaml` -> `templates/x.yaml` (subcharts keep their `charts/<name>/` part). */
function inChartPath(chartName: string | undefined, templatePath: string): string {
  const prefix = chartName ? `${chartName}/` : templatePath.slice(0, templatePath.indexOf('/') + 1);
  return templatePath.startsWith(prefix) ? templatePath.slice(prefix.length) : templatePath;
}

async function readChartName(chartDir: string): Promise<string | undefined> {
  try {
    const chart: unknown = parse(await readFile(join(chartDir, 'Chart.yaml'), 'utf8'), { maxAliasCount: 100 });
    return isPlainObject(chart) && typeof chart.name === 'string' ? chart.name : undefined;
  } catch {
    return undefined;
  }
}

/** `<chart>/templates/x.yaml` -> `<envPath>/templates/x.yaml`, at the template's `kind: <Kind>` line. */
async function templateLocation(
  input: EngineInput,
  chartName: string | undefined,
  templatePath: string,
  kind: string,
  localSubcharts: ReadonlyMap<string, string>,
): Promise<SourceLocation | undefined> {
  const slash = templatePath.indexOf('/');
  if (slash < 0 || (chartName && templatePath.slice(0, slash) !== chartName)) return undefined;
  const inChart = templatePath.slice(slash + 1);
  if (inChart.split('/').includes('..')) return undefined;
  // A file:// subchart fetched into the temporary copy is a directory of the repository.
  const file = localSubchartFile(inChart, localSubcharts, input.rootReal) ?? (input.envPath === '.' ? inChart : `${input.envPath}/${inChart}`);
  let line = 1;
  try {
    const text = await readFile(join(input.rootReal, ...file.split('/')), 'utf8');
    const kindLine = new RegExp(`^[ \\t]*kind:[ \\t]*["']?${kind.replace(/[^A-Za-z0-9]/g, '')}["']?\\s*$`, 'm').exec(text);
    if (kindLine) line = text.slice(0, kindLine.index).split('\n').length;
  } catch {
    return undefined; // the template is not a file in the repository (e.g. a packaged subchart)
  }
  return { file, line, column: 1 };
}
