/**
 * Why an object is unhealthy, in words a person can act on, as kubedog does: container
 * waiting/terminated reasons of the Pods of the current revision, scheduling failures,
 * warning Events and the last log lines of crashing containers. Pure: the reads happen in
 * diagnose-fetch.ts. Identical problems are grouped, so 84 Pods that cannot pull one image
 * are one line with a count.
 */

import type { KubeObject } from '../model/objects.js';
import { isPlainObject } from '../model/objects.js';
import { arrayField, conditionsOf, findCondition, intField, stringField } from './status-fields.js';

export interface ContainerLog {
  pod: string;
  container: string;
  /** The last lines of the previous (crashed) instance; absent when they could not be read. */
  lines?: string[];
  /** Why the lines could not be read, e.g. `403 Forbidden: cannot get pods/log`. */
  unavailable?: string;
}

export interface Cause {
  /** One line, e.g. `container app: ImagePullBackOff: image "x:1" could not be pulled: …`. */
  text: string;
  /** Pods showing it. */
  pods: number;
  /** The Pod and container whose logs tell more (crashing containers only). */
  logsOf?: { pod: string; container: string };
}

export interface Diagnosis {
  causes: Cause[];
  /** Warning Events of the object and what it owns, deduplicated, oldest first. */
  events: string[];
  logs: ContainerLog[];
}

/** Reasons a waiting container will not leave on its own without a change (or only after back-off). */
const WAITING_PROBLEMS = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'PreCreateHookError',
  'PostStartHookError',
]);

const IMAGE_PULL = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'ErrImageNeverPull']);

interface PodCause {
  key: string;
  text: string;
  restarts: number;
  logsOf?: { pod: string; container: string };
}

/** Problems of one Pod, one per container in trouble (plus scheduling). */
export function podCauses(pod: KubeObject): PodCause[] {
  const name = pod.metadata?.name ?? '?';
  const causes: PodCause[] = [];
  const unschedulable = findCondition(conditionsOf(pod), 'PodScheduled', 'False');
  if (unschedulable?.reason === 'Unschedulable') {
    const text = `Unschedulable: ${unschedulable.message || 'the scheduler found no node for the Pod'}`;
    causes.push({ key: text, text, restarts: 0 });
  }
  const statuses = [
    ...arrayField(pod, ['status', 'initContainerStatuses']).map((s) => ({ s, init: true })),
    ...arrayField(pod, ['status', 'containerStatuses']).map((s) => ({ s, init: false })),
  ];
  for (const { s, init } of statuses) {
    if (!isPlainObject(s)) continue;
    const container = `${init ? 'init container' : 'container'} ${stringField(s, ['name'], '?')}`;
    const image = stringField(s, ['image'], '');
    const restarts = intField(s, ['restartCount'], 0);
    const waiting = stringField(s, ['state', 'waiting', 'reason'], '');
    const waitingMessage = stringField(s, ['state', 'waiting', 'message'], '');
    const last = isPlainObject(s.lastState) && isPlainObject(s.lastState.terminated) ? s.lastState.terminated : undefined;
    const terminated = isPlainObject(s.state) && isPlainObject(s.state.terminated) ? s.state.terminated : undefined;
    if (WAITING_PROBLEMS.has(waiting)) {
      if (waiting === 'CrashLoopBackOff') {
        const exit = last ? exitText(last) : 'crashed';
        // The restart count differs between Pods; it is not part of what makes two problems the same.
        causes.push({ key: `${container}|${waiting}|${exit}`, text: `${container}: CrashLoopBackOff: ${exit}`, restarts, logsOf: { pod: name, container: stringField(s, ['name'], '') } });
      } else if (IMAGE_PULL.has(waiting)) {
        const detail = waitingMessage ? `: ${waitingMessage}` : '';
        const text = `${container}: ${waiting}: image "${image}" could not be pulled${detail}`;
        // ErrImagePull and ImagePullBackOff alternate for the same image: one problem.
        causes.push({ key: `${container}|pull|${image}`, text, restarts });
      } else {
        const text = `${container}: ${waiting}${waitingMessage ? `: ${waitingMessage}` : ''}`;
        causes.push({ key: text, text, restarts });
      }
      continue;
    }
    const ended = terminated ?? undefined;
    if (ended && stringField(ended, ['reason'], '') !== 'Completed' && intField(ended, ['exitCode'], 0) !== 0) {
      const exit = exitText(ended);
      causes.push({ key: `${container}|terminated|${exit}`, text: `${container}: terminated: ${exit}`, restarts, logsOf: { pod: name, container: stringField(s, ['name'], '') } });
      continue;
    }
    if (!init && isPlainObject(s.state) && isPlainObject(s.state.running) && s.ready === false) {
      const oom = last && stringField(last, ['reason'], '') === 'OOMKilled' ? ' (last instance was OOMKilled)' : '';
      const text = `${container}: running but not ready (readiness probe failing)${oom}`;
      causes.push({ key: text, text, restarts });
    }
  }
  return causes;
}

function exitText(terminated: Record<string, unknown>): string {
  const code = intField(terminated, ['exitCode'], -1);
  const reason = stringField(terminated, ['reason'], '');
  const message = stringField(terminated, ['message'], '').trim();
  const head = reason === 'OOMKilled' ? `OOMKilled (exit code ${code}): the container used more memory than its limit` : `exit code ${code}${reason ? ` (${reason})` : ''}`;
  return message ? `${head}: ${message.split('\n')[0]}` : head;
}

/** Groups the Pods' problems: one cause per distinct problem, with the number of Pods and the highest restart count. */
export function groupPodCauses(pods: readonly KubeObject[]): Cause[] {
  const groups = new Map<string, { cause: PodCause; pods: Set<string>; restarts: number }>();
  for (const pod of pods) {
    for (const cause of podCauses(pod)) {
      const group = groups.get(cause.key) ?? { cause, pods: new Set<string>(), restarts: 0 };
      group.pods.add(pod.metadata?.name ?? '?');
      group.restarts = Math.max(group.restarts, cause.restarts);
      groups.set(cause.key, group);
    }
  }
  return [...groups.values()]
    .sort((a, b) => b.pods.size - a.pods.size)
    .map(({ cause, pods: names, restarts }) => {
      const count = names.size;
      const restartText = cause.logsOf && restarts > 0 ? `, ${restarts} restart${restarts === 1 ? '' : 's'}` : '';
      const who = count === 1 ? `Pod ${[...names][0]}` : `${count} Pods`;
      return { text: `${who}: ${cause.text}${restartText}`, pods: count, ...(cause.logsOf ? { logsOf: cause.logsOf } : {}) };
    });
}

export interface WarningEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
  series?: { lastObservedTime?: string; count?: number };
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  metadata?: { creationTimestamp?: string };
}

/** The time an event last happened: core/v1 events fill different fields depending on who wrote them. */
export function eventTime(e: WarningEvent): number {
  for (const value of [e.series?.lastObservedTime, e.lastTimestamp, e.eventTime, e.firstTimestamp, e.metadata?.creationTimestamp]) {
    const time = typeof value === 'string' ? Date.parse(value) : NaN;
    if (!Number.isNaN(time)) return time;
  }
  return 0;
}

/** `42s`, `3m`, `2h`, like kubectl's ages. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/**
 * Warning Events, deduplicated by reason and message across the objects they are about (the
 * same pull failure on 84 Pods is one line), with the summed count, the number of objects and
 * the age of the latest; the newest `limit`, oldest first.
 */
export function summarizeEvents(events: readonly WarningEvent[], now: number, limit = 8): string[] {
  const groups = new Map<string, { event: WarningEvent; count: number; objects: Set<string>; last: number }>();
  for (const event of events) {
    if (event.type !== 'Warning') continue;
    const message = (event.message ?? '').trim();
    const key = `${event.reason ?? ''}\u0000${message}`;
    const group = groups.get(key) ?? { event, count: 0, objects: new Set<string>(), last: 0 };
    group.count += event.series?.count ?? event.count ?? 1;
    group.objects.add(`${event.involvedObject?.kind ?? ''}/${event.involvedObject?.name ?? ''}`);
    group.last = Math.max(group.last, eventTime(event));
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => a.last - b.last)
    .slice(-limit)
    .map(({ event, count, objects, last }) => {
      const about = objects.size === 1 ? [...objects][0] : `${objects.size} objects`;
      const times = count > 1 ? `x${count}, ` : '';
      const age = last > 0 ? `${formatAge(now - last)} ago` : 'age unknown';
      return `Warning ${event.reason ?? ''} (${times}last ${age}, ${about}): ${(event.message ?? '').trim()}`;
    });
}

/**
 * For kinds without Pods: the reason kstatus gave and the object's own conditions that are not
 * fine (False, or True for the "abnormal-true" types).
 */
export function conditionCauses(object: KubeObject): Cause[] {
  const abnormalTrue = new Set(['Stalled', 'Reconciling', 'Failed', 'ReplicaFailure', 'Degraded']);
  return conditionsOf(object)
    .filter((c) => (abnormalTrue.has(c.type) ? c.status === 'True' : c.status !== 'True'))
    .map((c) => ({ text: `condition ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`, pods: 0 }));
}

/** The whole diagnosis from what was read; logs already masked by the caller. */
export function diagnose(input: { object?: KubeObject; pods: readonly KubeObject[]; events: readonly WarningEvent[]; logs: readonly ContainerLog[]; now: number }): Diagnosis {
  const podCauseList = groupPodCauses(input.pods);
  const own = input.object ? conditionCauses(input.object) : [];
  return { causes: [...podCauseList, ...own], events: summarizeEvents(input.events, input.now), logs: [...input.logs] };
}

/** The diagnosis as indented lines, for logs, the CLI and reports. */
export function diagnosisLines(d: Pick<Diagnosis, 'causes' | 'logs'>): string[] {
  const lines: string[] = [];
  for (const cause of d.causes) {
    lines.push(cause.text);
    const log = cause.logsOf && d.logs.find((l) => l.pod === cause.logsOf?.pod && l.container === cause.logsOf?.container);
    if (!log) continue;
    if (log.lines) {
      lines.push(`  last ${log.lines.length} log lines of ${log.pod}/${log.container} (previous instance):`);
      for (const line of log.lines) lines.push(`  | ${line}`);
    } else {
      lines.push(`  logs of ${log.pod}/${log.container} could not be read: ${log.unavailable ?? 'unknown reason'}`);
    }
  }
  return lines;
}

/** Everything a report shows below the object's own line: causes, log lines, Events of what it owns, reads that failed. */
export function diagnosisReport(d: Diagnosis & { notes?: string[] }): string[] {
  const lines = diagnosisLines(d);
  if (d.events.length) lines.push('warning Events of its ReplicaSets / Jobs / Pods:', ...d.events.map((e) => `  ${e}`));
  for (const note of d.notes ?? []) lines.push(`(${note})`);
  return lines;
}
