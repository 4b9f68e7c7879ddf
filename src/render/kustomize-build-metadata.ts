/**
 * kustomize's own record of where each object came from. Slipway builds the environment through
 * a temporary kustomization (outside the repository) that lists the environment directory as
 * its only resource and asks for `buildMetadata: [originAnnotations, transformerAnnotations]`;
 * kustomize then annotates every object with the file it was read from (or the kustomization
 * whose generator made it) and the kustomizations whose patches changed it. The annotations
 * are read here and removed, so the objects are exactly what a plain build prints.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import jsYaml from 'js-yaml';
import type { KubeObject } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';

const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';
const PATCH_TRANSFORMERS = new Set(['PatchTransformer', 'PatchStrategicMergeTransformer', 'PatchJson6902Transformer']);

/** Where kustomize says an object came from; paths are absolute. */
export interface BuildOrigin {
  /** The resource file the object was read from. */
  file?: string;
  /** The kustomization whose generator (configMapGenerator, helmCharts, ...) made it. */
  generatedBy?: string;
  /** Kustomizations whose patches changed the object, in the order they were applied. */
  patchedBy: string[];
}

/**
 * Runs `build` with a temporary kustomization over `envDir`, removed afterwards. The output
 * order is the wrapper's, so the environment's own `sortOptions` are carried over.
 */
export async function withBuildMetadata<T>(envDir: string, sortOptions: unknown, build: (wrapperDir: string) => Promise<T>): Promise<T> {
  const wrapperDir = await mkdtemp(join(tmpdir(), 'slipway-kustomize-'));
  try {
    const target = relative(wrapperDir, envDir).split(sep).join('/');
    const sort = sortOptions === undefined ? '' : `sortOptions: ${JSON.stringify(sortOptions)}\n`;
    await writeFile(
      join(wrapperDir, 'kustomization.yaml'),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${JSON.stringify(target)}\nbuildMetadata: [originAnnotations, transformerAnnotations]\n${sort}`,
    );
    return await build(wrapperDir);
  } finally {
    await rm(wrapperDir, { recursive: true, force: true });
  }
}

/** Reads and removes the build-metadata annotations of one object printed by the wrapper build. */
export function takeBuildOrigin(object: KubeObject, wrapperDir: string): BuildOrigin {
  const annotations = object.metadata?.annotations;
  const origin: BuildOrigin = { patchedBy: [] };
  if (!isPlainObject(annotations)) return origin;
  const recorded = readYaml(annotations[ORIGIN_ANNOTATION]);
  const transformations = readYaml(annotations[TRANSFORMATIONS_ANNOTATION]);
  delete annotations[ORIGIN_ANNOTATION];
  delete annotations[TRANSFORMATIONS_ANNOTATION];
  if (Object.keys(annotations).length === 0) delete object.metadata.annotations;

  if (isPlainObject(recorded)) {
    // A remote resource names its repository (`repo:`); its path is not a file here.
    if (typeof recorded.path === 'string' && recorded.repo === undefined) origin.file = resolve(wrapperDir, recorded.path);
    if (typeof recorded.configuredIn === 'string') origin.generatedBy = resolve(wrapperDir, recorded.configuredIn);
  }
  if (Array.isArray(transformations)) {
    for (const step of transformations) {
      if (!isPlainObject(step) || typeof step.configuredIn !== 'string' || !isPlainObject(step.configuredBy)) continue;
      if (!PATCH_TRANSFORMERS.has(String(step.configuredBy.kind))) continue;
      const file = resolve(wrapperDir, step.configuredIn);
      if (!origin.patchedBy.includes(file)) origin.patchedBy.push(file);
    }
  }
  return origin;
}

/**
 * kustomize writes these annotations itself, once per object, so they are read with js-yaml (the
 * `yaml` package costs about ten times more) and every scalar as a string: only paths and kinds are used.
 */
function readYaml(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return jsYaml.load(value, { schema: jsYaml.FAILSAFE_SCHEMA });
  } catch {
    return undefined;
  }
}
