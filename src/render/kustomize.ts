/**
 * The kustomize engine: `kustomize build` (or `kubectl kustomize`) of the environment through a
 * temporary kustomization that asks for origin annotations, output mapped back to files and
 * lines; kustomize's warnings become notices.
 */
import type { ToolPaths } from '../config/types.js';
import { locateKustomize, locateTool, type KustomizeCommand } from '../exec/tools.js';
import type { CommandRunner } from '../exec/run.js';
import type { RenderedObject } from '../model/objects.js';
import { takeBuildOrigin, withBuildMetadata } from './kustomize-build-metadata.js';
import { helmChartArgs } from './kustomize-helm.js';
import { KustomizeOrigins } from './kustomize-origins.js';
import { kustomizeWarnings } from './kustomize-warnings.js';
import { parseManifests } from './parse.js';
import { renderRunOptions } from './limits.js';
import { toolFailure } from './tool-failure.js';
import type { BuildOutput, RenderMemo } from './render-memo.js';
import type { TreeMemo } from './tree-memo.js';

export interface EngineInput {
  /** Real absolute path of the (possibly materialised) repository root. */
  rootReal: string;
  /** Absolute environment directory inside rootReal. */
  envDir: string;
  /** Repository-relative environment directory, for messages. */
  envPath: string;
  environment: string;
  runner: CommandRunner;
  tools: ToolPaths;
  /** Where configured tool paths are relative to (the real checkout, not a materialised copy). */
  toolsRoot: string;
  /** Shared by the renders of the same tree (tree-memo.ts). */
  memo: TreeMemo;
  /** The run's memo and the digest of what this build reads (build-fingerprint.ts), when both are known. */
  sharedBuilds?: { memo: RenderMemo; inputs: string };
}


export async function renderKustomize(input: EngineInput): Promise<BuildOutput> {
  const kustomize = locateKustomize({
    configured: input.tools,
    root: input.toolsRoot,
    path: input.runner.path,
    neededBy: `environment "${input.environment}" (${input.envPath} has a kustomization)`,
  });
  const origins = await KustomizeOrigins.build(input.rootReal, input.envDir, input.memo);
  const build = () => buildWithOrigins(input, kustomize, origins);
  // helmCharts read a chart home and run helm: left out of the digest, so never shared.
  if (!input.sharedBuilds || origins.usesHelmCharts) return build();
  const key = JSON.stringify([input.sharedBuilds.inputs, input.envPath, input.environment, kustomize.command, kustomize.args]);
  return input.sharedBuilds.memo.build(key, build);
}

function buildWithOrigins(input: EngineInput, kustomize: KustomizeCommand, origins: KustomizeOrigins): Promise<BuildOutput> {
  return withBuildMetadata(input.envDir, origins.sortOptions, async (wrapperDir) => {
    const helmArgs = origins.usesHelmCharts
      ? await helmChartArgs(
          locateTool('helm', { configured: input.tools, root: input.toolsRoot, path: input.runner.path, neededBy: `environment "${input.environment}" (its kustomization has helmCharts)` }),
          wrapperDir,
        )
      : [];
    const result = await input.runner.run(kustomize.command, [...kustomize.args, ...helmArgs, wrapperDir], {
      cwd: input.envDir,
      ...renderRunOptions(),
      allowFailure: true,
    });
    if (result.exitCode !== 0) {
      // Built directly, kustomize names the environment's own paths instead of the wrapper's.
      const direct = await input.runner.run(kustomize.command, [...kustomize.args, ...helmArgs, input.envDir], {
        cwd: input.envDir,
        ...renderRunOptions(),
        allowFailure: true,
      });
      return { objects: [], findings: [toolFailure('kustomize', input, direct.exitCode !== 0 ? direct.stderr : result.stderr)] };
    }
    const parsed = parseManifests(result.stdout, undefined);
    const objects: RenderedObject[] = [];
    for (const { object } of parsed.objects) objects.push(await origins.place(object, takeBuildOrigin(object, wrapperDir)));
    const warnings = await kustomizeWarnings(result.stderr, origins.kustomizations, input.rootReal, input.envPath);
    return { objects, findings: [...parsed.findings.map((f) => ({ ...f, file: f.file ?? input.envPath })), ...warnings] };
  });
}
