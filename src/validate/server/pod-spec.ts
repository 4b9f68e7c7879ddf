/**
 * Rules the API server enforces on a pod spec beyond its schema (ValidatePodSpec): names of
 * containers and volumes, images, ports, environment variable names, volume mounts that refer
 * to volumes, requests within limits, and restart policies the owning kind allows.
 */
import { isPlainObject } from '../../model/objects.js';
import type { PathSegment } from '../json-path.js';
import { dns1123Label, envVarName, ianaServiceName, portNumber } from './formats.js';
import type { ServerIssue } from './issue.js';
import { BUILTIN_ENUMS } from './enums.js';
import { checkListMapKeys } from './list-maps.js';
import { parseQuantity, quantityExceeds } from './quantity.js';

export interface PodSpecContext {
  /** Restart policies the owning kind allows (an unset one defaults to Always); undefined: any. */
  restartPolicies?: readonly string[];
  /** Environment variable names may hold any printable ASCII but '=' (Kubernetes 1.32+). */
  relaxedEnvNames: boolean;
  /** Volumes the pod gets from elsewhere: a StatefulSet's volumeClaimTemplates. */
  claimVolumes?: readonly string[];
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;
const POD_RESTART_POLICIES: readonly string[] = BUILTIN_ENUMS.V1PodSpec.restartPolicy;

export function checkPodSpec(spec: Record<string, unknown>, path: PathSegment[], context: PodSpecContext, out: ServerIssue[]): void {
  const volumes = new Set<string>(context.claimVolumes);
  if (Array.isArray(spec.volumes)) {
    checkListMapKeys(spec.volumes, [...path, 'volumes'], ['name'], {}, out);
    spec.volumes.forEach((volume, i) => {
      if (!isPlainObject(volume) || typeof volume.name !== 'string') return;
      volumes.add(volume.name);
      const problem = dns1123Label(volume.name);
      if (problem) out.push({ rule: 'server-workload', path: [...path, 'volumes', i, 'name'], message: `invalid volume name "${volume.name}": ${problem}` });
    });
  }
  const containerNames = new Map<string, string>();
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    checkListMapKeys(containers, [...path, list], ['name'], {}, out);
    containers.forEach((container, i) => {
      if (!isPlainObject(container)) return;
      const at = [...path, list, i];
      const name = container.name;
      if (typeof name === 'string') {
        const earlier = containerNames.get(name);
        if (earlier && earlier !== list)
          out.push({ rule: 'server-workload', path: [...at, 'name'], message: `container name "${name}" is already used in ${earlier}: names must be unique across all containers of a pod` });
        else containerNames.set(name, list);
      }
      checkContainer(container, at, list, volumes, context, out);
    });
  }
  const restartPolicy = typeof spec.restartPolicy === 'string' && spec.restartPolicy ? spec.restartPolicy : undefined;
  // A value outside Always/OnFailure/Never is already a server-enum finding.
  const known = restartPolicy === undefined || POD_RESTART_POLICIES.includes(restartPolicy);
  if (context.restartPolicies && known && !context.restartPolicies.includes(restartPolicy ?? 'Always')) {
    const allowed = context.restartPolicies.map((p) => `"${p}"`).join(', ');
    out.push(
      restartPolicy
        ? { rule: 'server-workload', path: [...path, 'restartPolicy'], message: `unsupported restartPolicy "${restartPolicy}" here: supported values: ${allowed}` }
        : { rule: 'server-workload', path, message: `restartPolicy is required here (the default Always is not allowed): valid values: ${allowed}` },
    );
  }
}

function checkContainer(
  container: Record<string, unknown>,
  at: PathSegment[],
  list: (typeof CONTAINER_LISTS)[number],
  volumes: ReadonlySet<string>,
  context: PodSpecContext,
  out: ServerIssue[],
): void {
  const push = (path: PathSegment[], message: string) => out.push({ rule: 'server-workload', path, message });
  if (typeof container.name === 'string') {
    const problem = dns1123Label(container.name);
    if (problem) push([...at, 'name'], `invalid container name "${container.name}": ${problem}`);
  }
  if (container.image === undefined || container.image === null || container.image === '')
    push(at, 'missing required field "image": every container needs an image');
  if (Array.isArray(container.ports)) {
    checkListMapKeys(container.ports, [...at, 'ports'], ['containerPort', 'protocol'], { protocol: 'TCP' }, out);
    container.ports.forEach((port, j) => {
      if (!isPlainObject(port)) return;
      if (typeof port.containerPort === 'number') {
        const problem = portNumber(port.containerPort);
        if (problem) push([...at, 'ports', j, 'containerPort'], `invalid containerPort ${port.containerPort}: ${problem}`);
      }
      if (typeof port.hostPort === 'number' && port.hostPort !== 0) {
        const problem = portNumber(port.hostPort);
        if (problem) push([...at, 'ports', j, 'hostPort'], `invalid hostPort ${port.hostPort}: ${problem}`);
      }
      if (typeof port.name === 'string' && port.name) {
        const problem = ianaServiceName(port.name);
        if (problem) push([...at, 'ports', j, 'name'], `invalid port name "${port.name}": ${problem}`);
      }
    });
  }
  if (Array.isArray(container.env)) {
    checkListMapKeys(container.env, [...at, 'env'], ['name'], {}, out);
    container.env.forEach((env, j) => {
      if (!isPlainObject(env) || typeof env.name !== 'string') return;
      const problem = envVarName(env.name, context.relaxedEnvNames);
      if (problem) push([...at, 'env', j, 'name'], `invalid environment variable name "${env.name}": ${problem}`);
    });
  }
  if (Array.isArray(container.volumeMounts)) {
    checkListMapKeys(container.volumeMounts, [...at, 'volumeMounts'], ['mountPath'], {}, out);
    container.volumeMounts.forEach((mount, j) => {
      if (!isPlainObject(mount) || typeof mount.name !== 'string' || volumes.has(mount.name)) return;
      push([...at, 'volumeMounts', j, 'name'], `volume mount "${mount.name}" refers to no volume of the pod: add it to the pod's volumes or fix the name`);
    });
  }
  if (list !== 'ephemeralContainers' && isPlainObject(container.resources)) checkRequestsWithinLimits(container.resources, [...at, 'resources'], out);
}

function checkRequestsWithinLimits(resources: Record<string, unknown>, at: PathSegment[], out: ServerIssue[]): void {
  const { requests, limits } = resources;
  if (!isPlainObject(requests) || !isPlainObject(limits)) return;
  for (const resource in requests) {
    if (!(resource in limits)) continue;
    const request = parseQuantity(requests[resource]);
    const limit = parseQuantity(limits[resource]);
    if (request === undefined || limit === undefined || !quantityExceeds(request, limit)) continue;
    out.push({
      rule: 'server-workload',
      path: [...at, 'requests', resource],
      message: `${resource} request ${String(requests[resource])} is more than its limit ${String(limits[resource])}: a request must be less than or equal to the limit`,
    });
  }
}
