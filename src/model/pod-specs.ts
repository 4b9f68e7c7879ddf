/**
 * Where pod specs live, so image checks and promotion reach every container: the built-in
 * kinds by their known paths, and custom resources that embed a pod template at
 * `spec.template.spec` (Argo Rollouts, Knative and the like) or a CronJob-like
 * `spec.jobTemplate.spec.template.spec`.
 */
import { isPlainObject, type KubeObject, type PathSegment } from './objects.js';

const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export interface ContainerRef {
  container: Record<string, unknown>;
  path: PathSegment[];
}

/** Paths tried for kinds that are not built in. */
const CUSTOM_POD_SPEC_PATHS: readonly (readonly string[])[] = [
  ['spec', 'template', 'spec'],
  ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
];

const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch']);

/** Every container of every container list of the object's pod spec(s), with its path. */
export function containersOf(object: KubeObject): ContainerRef[] {
  const known = POD_SPEC_PATHS[object.kind];
  const group = (object.apiVersion ?? '').includes('/') ? object.apiVersion.split('/')[0] : '';
  if (known && BUILT_IN_GROUPS.has(group)) return containersAt(object, known);
  return CUSTOM_POD_SPEC_PATHS.flatMap((path) => containersAt(object, path));
}

function containersAt(object: KubeObject, specPath: readonly string[]): ContainerRef[] {
  let node: unknown = object;
  for (const key of specPath) node = isPlainObject(node) ? node[key] : undefined;
  if (!isPlainObject(node)) return [];
  const found: ContainerRef[] = [];
  for (const list of CONTAINER_LISTS) {
    const containers = node[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, index) => {
      if (isPlainObject(container)) found.push({ container, path: [...specPath, list, index] });
    });
  }
  return found;
}
