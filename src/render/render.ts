/**
 * Renders one environment directory, from the working tree or from any commit, into objects
 * with the repository file and line each came from. The engine follows the directory's content:
 * a kustomization -> kustomize, a Chart.yaml -> helm, else plain YAML/JSON files (where, as in
 * Flux, a subdirectory holding a kustomization is built with kustomize as one unit).
 * Objects are returned exactly as rendered: namespace defaulting happens later.
 */
import { mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentConfig, ToolPaths } from '../config/types.js';
import { Git } from '../exec/git.js';
import { locateTool } from '../exec/tools.js';
import type { CommandRunner } from '../exec/run.js';
import { CommandError } from '../exec/run.js';
import { UserError } from '../model/errors.js';
import { compileGlob } from '../model/glob.js';
import type { PathMatcher } from '../model/glob.js';
import { hasErrors, type Finding } from '../model/findings.js';
import type { RenderedObject } from '../model/objects.js';
import type { CommitTrees } from './commit-trees.js';
import { MAX_MANIFEST_BYTES, readManifestFiles } from './files.js';
import { checkRenderInputs } from './input-check.js';
import { RENDER_LIMIT_HINT } from './limits.js';
import { renderHelm } from './helm.js';
import { findKustomization } from './kustomize-origins.js';
import { renderKustomize } from './kustomize.js';
import type { EngineInput } from './kustomize.js';
import { parseManifests } from './parse.js';
import type { BuildOutput, RenderMemo } from './render-memo.js';
import { TreeMemo } from './tree-memo.js';
import type { ParseOptions } from './parse.js';

export interface RenderSource {
  /** Repository root (the checkout). */
  root: string;
  /** Commit to render; absent = the working tree as it is. */
  ref?: string;
}

export type RenderEngine = 'plain' | 'kustomize' | 'helm';

export interface RenderResult {
  environment: string;
  objects: RenderedObject[];
  findings: Finding[];
  engine: RenderEngine;
  /** Why nothing was rendered although nothing is wrong (remote content in a fork's pull request). */
  skipped?: string;
}

export interface RenderDeps {
  runner: CommandRunner;
  tools?: ToolPaths;
  parse?: ParseOptions;
  /** Limit for a single plain manifest file, in bytes. */
  maxFileBytes?: number;
  /** Commits already written out for this run; without it each render at a ref writes its own. */
  trees?: CommitTrees;
  /** Fetch remote kustomize bases and chart dependencies (default true; false for pull requests from forks). */
  allowRemote?: boolean;
  /** Renders already done in this run, by tree, and kustomize builds, by content (render-memo.ts); without it every call renders. */
  memo?: RenderMemo;
}

export async function renderEnvironment(env: EnvironmentConfig, source: RenderSource, deps: RenderDeps): Promise<RenderResult> {
  const memo = deps.memo;
  // A checkout lacking the directory is an error, while a commit lacking it has no objects: only the commit's answer is shared.
  if (memo && (source.ref !== undefined || (await isDirectory(environmentDir(source.root, env))))) {
    return memo.render(env, source.ref, () => renderOnce(env, source, deps));
  }
  return renderOnce(env, source, deps);
}

async function renderOnce(env: EnvironmentConfig, source: RenderSource, deps: RenderDeps): Promise<RenderResult> {
  const runner = deps.runner;
  if (source.ref === undefined) return renderTree(env, source.root, source.root, runner, deps, new TreeMemo());
  if (deps.trees) return renderTree(env, await deps.trees.tree(source.ref), source.root, runner, deps, deps.trees.memo(source.ref));
  const gitPath = locateTool('git', { configured: deps.tools, root: source.root, path: runner.path, neededBy: `rendering environment "${env.name}" at ${source.ref}` });
  const tree = await mkdtemp(join(tmpdir(), 'slipway-tree-'));
  try {
    await new Git(runner, source.root, gitPath).materialise(source.ref, tree);
    return await renderTree(env, tree, source.root, runner, deps, new TreeMemo());
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}

async function renderTree(env: EnvironmentConfig, root: string, checkout: string, runner: CommandRunner, deps: RenderDeps, memo: TreeMemo): Promise<RenderResult> {
  const rootReal = await realpath(root);
  const envDir = environmentDir(rootReal, env);
  if (!(await isDirectory(envDir))) {
    // At another commit (say the base of a pull request adding this environment) the directory
    // may not exist yet: that environment simply had no objects then.
    if (root !== checkout) return { environment: env.name, objects: [], findings: [], engine: 'plain' };
    throw new UserError(
      `Environment "${env.name}": directory ${env.path} does not exist in ${checkout}.`,
      'Create the directory or fix its path in slipway.yaml.',
    );
  }
  const engine = await detectEngine(envDir);
  const checked = await checkRenderInputs({
    engine,
    rootReal,
    envDir,
    envPath: env.path,
    environment: env.name,
    valuesFiles: env.helm.valuesFiles,
    maxFileBytes: deps.maxFileBytes ?? MAX_MANIFEST_BYTES,
    allowRemote: deps.allowRemote ?? true,
    memo,
  });
  if (checked.skipped !== undefined || hasErrors(checked.findings)) {
    const findings = checked.findings.map((finding) => ({ ...finding, environment: env.name }));
    return { environment: env.name, objects: [], findings, engine, ...(checked.skipped !== undefined ? { skipped: checked.skipped } : {}) };
  }
  const input: EngineInput = {
    rootReal,
    envDir,
    envPath: env.path,
    environment: env.name,
    runner,
    tools: deps.tools ?? {},
    toolsRoot: checkout,
    memo,
    ...(deps.memo && checked.kustomizeInputs ? { sharedBuilds: { memo: deps.memo, inputs: checked.kustomizeInputs } } : {}),
  };
  let rendered: BuildOutput;
  try {
    rendered = engine === 'kustomize' ? await renderKustomize(input) : engine === 'helm' ? await renderHelm(input, env) : await renderPlain(input, env, deps);
  } catch (error) {
    // A missing tool or a renderer stopped for its time or memory: only this environment fails.
    if (!(error instanceof UserError)) throw error;
    const message = error instanceof CommandError && error.stopped ? `${error.message}\n  ${RENDER_LIMIT_HINT}` : error.message;
    const finding: Finding = { severity: 'error', rule: 'render-failed', message, file: env.path, environment: env.name };
    return { environment: env.name, objects: [], findings: [finding], engine, skipped: message };
  }
  const findings = [...checked.findings, ...rendered.findings].map((finding) => ({ ...finding, environment: env.name }));
  return { environment: env.name, objects: rendered.objects, findings, engine };
}

function environmentDir(root: string, env: EnvironmentConfig): string {
  return join(root, ...env.path.split('/').filter((part) => part !== '.'));
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

export async function detectEngine(envDir: string): Promise<RenderEngine> {
  if (await findKustomization(envDir)) return 'kustomize';
  if ((await stat(join(envDir, 'Chart.yaml')).catch(() => undefined))?.isFile()) return 'helm';
  return 'plain';
}

async function renderPlain(input: EngineInput, env: EnvironmentConfig, deps: RenderDeps): Promise<BuildOutput> {
  const exclude = (env.exclude ?? []).map((glob) => compileGlob(glob)).filter((m): m is PathMatcher => typeof m !== 'string');
  const { files, findings, kustomizeUnits } = await readManifestFiles(input.rootReal, input.envDir, {
    maxBytes: deps.maxFileBytes,
    exclude,
    recurse: env.recurse,
  });
  const objects: RenderedObject[] = [];
  let nextUnit = 0;
  const renderUnitsBefore = async (fileIndex: number) => {
    for (; nextUnit < kustomizeUnits.length && kustomizeUnits[nextUnit]!.afterFiles <= fileIndex; nextUnit++) {
      const unit = kustomizeUnits[nextUnit]!;
      const rendered = await renderKustomize({ ...input, envDir: unit.dir, envPath: unit.path });
      objects.push(...rendered.objects);
      findings.push(...rendered.findings);
    }
  };
  for (const [index, file] of files.entries()) {
    await renderUnitsBefore(index);
    const parsed = parseManifests(file.text, file.path, deps.parse);
    objects.push(...parsed.objects);
    findings.push(...parsed.findings);
  }
  await renderUnitsBefore(files.length);
  return { objects, findings };
}
