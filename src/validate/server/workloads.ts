/**
 * Server rules for the workload kinds and Services: where each kind keeps its pod spec, which
 * restart policies it allows, and that controllers' selectors are non-empty and select their
 * own template.
 */
import { isPlainObject } from '../../model/objects.js';
import type { PathSegment } from '../json-path.js';
import { dns1123Label, ianaServiceName, portNumber } from './formats.js';
import type { ServerIssue } from './issue.js';
import { checkLabelMap, checkLabelsAndAnnotations } from './labels.js';
import { checkListMapKeys } from './list-maps.js';
import { checkPodSpec } from './pod-spec.js';
import { isEmptySelector, selectorMatches } from './selectors.js';

export interface WorkloadOptions {
  relaxedEnvNames: boolean;
}

interface TemplateRule {
  /** Path of the PodTemplateSpec in the object. */
  template: readonly string[];
  restartPolicies?: readonly string[];
  /** apps/v1 controllers: the selector must be non-empty and select the template. */
  selector?: readonly string[];
}

const ALWAYS = ['Always'];
const JOB_POLICIES = ['OnFailure', 'Never'];
const CONTROLLER = (restartPolicies: readonly string[] = ALWAYS): TemplateRule => ({ template: ['spec', 'template'], restartPolicies, selector: ['spec', 'selector'] });

const TEMPLATES: Record<string, TemplateRule> = {
  'apps/Deployment': CONTROLLER(),
  'apps/ReplicaSet': CONTROLLER(),
  'apps/StatefulSet': CONTROLLER(),
  'apps/DaemonSet': CONTROLLER(),
  '/ReplicationController': { template: ['spec', 'template'], restartPolicies: ALWAYS },
  '/PodTemplate': { template: ['template'] },
  'batch/Job': { template: ['spec', 'template'], restartPolicies: JOB_POLICIES },
  'batch/CronJob': { template: ['spec', 'jobTemplate', 'spec', 'template'], restartPolicies: JOB_POLICIES },
};

export function checkWorkload(group: string, kind: string, object: Record<string, unknown>, options: WorkloadOptions, out: ServerIssue[]): void {
  const key = `${group}/${kind}`;
  if (key === '/Pod') {
    if (isPlainObject(object.spec)) checkPodSpec(object.spec, ['spec'], { relaxedEnvNames: options.relaxedEnvNames }, out);
    return;
  }
  if (key === '/Service') {
    checkService(object, out);
    return;
  }
  const rule = TEMPLATES[key];
  if (!rule) return;
  const template = at(object, rule.template);
  if (isPlainObject(template)) {
    const path: PathSegment[] = [...rule.template];
    if (isPlainObject(template.metadata)) checkLabelsAndAnnotations(template.metadata, [...path, 'metadata'], out);
    const context = { restartPolicies: rule.restartPolicies, relaxedEnvNames: options.relaxedEnvNames, claimVolumes: claimNames(object) };
    if (isPlainObject(template.spec)) checkPodSpec(template.spec, [...path, 'spec'], context, out);
  }
  if (key === 'apps/StatefulSet') checkClaimTemplates(object, out);
  if (rule.selector) checkControllerSelector(kind, at(object, rule.selector), rule.selector, template, rule.template, out);
}

function checkControllerSelector(
  kind: string,
  selector: unknown,
  selectorPath: readonly string[],
  template: unknown,
  templatePath: readonly string[],
  out: ServerIssue[],
): void {
  if (!isPlainObject(selector)) return;
  if (isPlainObject(selector.matchLabels)) checkLabelMap(selector.matchLabels, [...selectorPath, 'matchLabels'], 'selector label', out);
  if (isEmptySelector(selector)) {
    out.push({ rule: 'server-workload', path: [...selectorPath], message: `empty selector is invalid for a ${kind}: give it matchLabels that the pod template's labels carry` });
    return;
  }
  const metadata = isPlainObject(template) ? template.metadata : undefined;
  const labels = isPlainObject(metadata) && isPlainObject(metadata.labels) ? metadata.labels : {};
  if (selectorMatches(selector, labels) === false)
    out.push({
      rule: 'server-workload',
      path: [...templatePath, 'metadata', 'labels'],
      message: `selector does not match template labels: every label of ${selectorPath.join('.')} must be on ${templatePath.join('.')}.metadata.labels`,
    });
}

/** Names of a StatefulSet's volumeClaimTemplates: its pods mount them like volumes. */
function claimNames(object: Record<string, unknown>): string[] {
  const claims = at(object, ['spec', 'volumeClaimTemplates']);
  if (!Array.isArray(claims)) return [];
  return claims.flatMap((claim) => {
    const name = isPlainObject(claim) ? at(claim, ['metadata', 'name']) : undefined;
    return typeof name === 'string' ? [name] : [];
  });
}

function checkClaimTemplates(object: Record<string, unknown>, out: ServerIssue[]): void {
  const spec = object.spec;
  if (!isPlainObject(spec) || !Array.isArray(spec.volumeClaimTemplates)) return;
  spec.volumeClaimTemplates.forEach((claim, i) => {
    if (isPlainObject(claim) && isPlainObject(claim.metadata)) checkLabelsAndAnnotations(claim.metadata, ['spec', 'volumeClaimTemplates', i, 'metadata'], out);
  });
}

function checkService(object: Record<string, unknown>, out: ServerIssue[]): void {
  const spec = object.spec;
  if (!isPlainObject(spec)) return;
  if (isPlainObject(spec.selector)) checkLabelMap(spec.selector, ['spec', 'selector'], 'selector label', out);
  const ports = spec.ports;
  if (!Array.isArray(ports)) return;
  checkListMapKeys(ports, ['spec', 'ports'], ['port', 'protocol'], { protocol: 'TCP' }, out);
  const push = (path: PathSegment[], message: string) => out.push({ rule: 'server-workload', path, message });
  const names = new Map<string, number>();
  ports.forEach((port, i) => {
    if (!isPlainObject(port)) return;
    const path: PathSegment[] = ['spec', 'ports', i];
    if (typeof port.port === 'number') {
      const problem = portNumber(port.port);
      if (problem) push([...path, 'port'], `invalid port ${port.port}: ${problem}`);
    }
    if (typeof port.targetPort === 'number') {
      const problem = portNumber(port.targetPort);
      if (problem) push([...path, 'targetPort'], `invalid targetPort ${port.targetPort}: ${problem}`);
    } else if (typeof port.targetPort === 'string' && port.targetPort) {
      // A quoted number is left alone: whether it passes depends on how the client encodes it.
      const problem = /^\d+$/.test(port.targetPort) ? undefined : ianaServiceName(port.targetPort);
      if (problem) push([...path, 'targetPort'], `invalid targetPort "${port.targetPort}": ${problem}`);
    }
    if (typeof port.name === 'string' && port.name) {
      const problem = dns1123Label(port.name);
      if (problem) push([...path, 'name'], `invalid port name "${port.name}": ${problem}`);
      const first = names.get(port.name);
      if (first !== undefined) push([...path, 'name'], `duplicate port name "${port.name}" (also spec.ports[${first}].name)`);
      else names.set(port.name, i);
    } else if (ports.length > 1) {
      push(path, 'a port name is required when a Service has more than one port');
    }
  });
}

function at(object: Record<string, unknown>, path: readonly string[]): unknown {
  let node: unknown = object;
  for (const key of path) node = isPlainObject(node) ? node[key] : undefined;
  return node;
}
