/** Where pod specs live in the kinds that carry one, so image checks reach every container. */
import { isPlainObject, type KubeObject } from '../model/objects.js';
import type { PathSegment } from './json-path.js';

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

/** Every container of every container list of the object's pod spec, with its path. */
export function containersOf(object: KubeObject): ContainerRef[] {
  const specPath = POD_SPEC_PATHS[object.kind];
  if (!specPath) return [];
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
