/**
 * The few reads a diagnosis needs, done only for objects that failed: the object, for
 * workloads the Pods of the current revision (followed through ownerReferences and the
 * pod-template-hash / controller-revision-hash / pod-template-generation labels), one list of
 * warning Events in the namespace, and the previous instance's last log lines of crashing
 * containers. Every read that fails is said, never fatal.
 */

import { errorMessage } from '../model/errors.js';
import type { KubeObject, ObjectRef } from '../model/objects.js';
import { apiStatusOf, type KubeRequester } from './wait-api.js';
import { type ContainerLog, type Diagnosis, type WarningEvent, diagnose } from './diagnose.js';

/** Log lines read per crashing container, like `kubectl logs --previous --tail=20`. */
export const LOG_LINES = 20;
/** Crashing containers whose logs are read per object (one per distinct problem). */
const LOGS_PER_OBJECT = 3;

/** Kinds whose Pods are followed (`group/Kind`). */
const WORKLOADS = new Set(['apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', 'batch/Job', 'batch/CronJob']);

type List = { items?: KubeObject[] };

function ownedBy(object: KubeObject, owner: KubeObject | undefined): boolean {
  const uid = owner?.metadata?.uid;
  const refs = (object.metadata as { ownerReferences?: Array<{ uid?: string }> } | undefined)?.ownerReferences ?? [];
  return !!uid && refs.some((r) => r.uid === uid);
}

function matchLabels(object: KubeObject): string | undefined {
  const labels = (object as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels;
  if (!labels || Object.keys(labels).length === 0) return undefined;
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function label(object: KubeObject | undefined, key: string): string | undefined {
  return object?.metadata?.labels?.[key];
}

function annotation(object: KubeObject | undefined, key: string): string | undefined {
  return object?.metadata?.annotations?.[key];
}

function newestFirst(a: KubeObject, b: KubeObject): number {
  const created = (o: KubeObject) => Date.parse(String(o.metadata?.creationTimestamp ?? ''));
  return created(b) - created(a) || 0;
}

/** The Pods of the workload's current revision, and the objects in between (ReplicaSets, Jobs) whose Events count too. */
export async function currentPods(reader: KubeRequester, object: KubeObject, ref: ObjectRef): Promise<{ pods: KubeObject[]; intermediates: KubeObject[] }> {
  const ns = encodeURIComponent(ref.namespace || 'default');
  const list = async (path: string, selector: string | undefined): Promise<KubeObject[]> => {
    try {
      return (await reader.request<List>({ method: 'GET', path, query: selector ? { labelSelector: selector } : {}, subject: `${path} of ${ref.kind}/${ref.name}` }))?.items ?? [];
    } catch (error) {
      // A collection that is not served has nothing to report; anything else is said.
      if (apiStatusOf(error) === 404) return [];
      throw error;
    }
  };
  const podsPath = `/api/v1/namespaces/${ns}/pods`;
  const selector = matchLabels(object);
  switch (ref.kind) {
    case 'Deployment': {
      const sets = (await list(`/apis/apps/v1/namespaces/${ns}/replicasets`, selector)).filter((rs) => ownedBy(rs, object));
      const revision = annotation(object, 'deployment.kubernetes.io/revision');
      const current = sets.find((rs) => revision !== undefined && annotation(rs, 'deployment.kubernetes.io/revision') === revision) ?? [...sets].sort(newestFirst)[0];
      if (!current) return { pods: [], intermediates: [] };
      const hash = label(current, 'pod-template-hash');
      const pods = (await list(podsPath, [selector, hash && `pod-template-hash=${hash}`].filter(Boolean).join(',') || undefined)).filter((p) => ownedBy(p, current));
      return { pods, intermediates: [current] };
    }
    case 'StatefulSet': {
      const revision = (object as { status?: { updateRevision?: string } }).status?.updateRevision;
      const pods = (await list(podsPath, selector)).filter((p) => ownedBy(p, object) && (!revision || label(p, 'controller-revision-hash') === revision));
      return { pods, intermediates: [] };
    }
    case 'DaemonSet': {
      const generation = object.metadata?.generation;
      const pods = (await list(podsPath, selector)).filter(
        (p) => ownedBy(p, object) && (generation === undefined || label(p, 'pod-template-generation') === undefined || label(p, 'pod-template-generation') === String(generation)),
      );
      return { pods, intermediates: [] };
    }
    case 'ReplicaSet':
      return { pods: (await list(podsPath, selector)).filter((p) => ownedBy(p, object)), intermediates: [] };
    case 'Job':
      return { pods: (await list(podsPath, `batch.kubernetes.io/controller-uid=${object.metadata?.uid ?? ''}`)).filter((p) => ownedBy(p, object)), intermediates: [] };
    case 'CronJob': {
      const latest = (await list(`/apis/batch/v1/namespaces/${ns}/jobs`, undefined)).filter((j) => ownedBy(j, object)).sort(newestFirst)[0];
      if (!latest) return { pods: [], intermediates: [] };
      const pods = (await list(podsPath, `batch.kubernetes.io/controller-uid=${latest.metadata?.uid ?? ''}`)).filter((p) => ownedBy(p, latest));
      return { pods, intermediates: [latest] };
    }
    default:
      return { pods: [], intermediates: [] };
  }
}

async function readLog(reader: KubeRequester, namespace: string, pod: string, container: string): Promise<ContainerLog> {
  try {
    const text = await reader.request<string>({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      query: { container, previous: true, tailLines: LOG_LINES },
      subject: `logs of Pod/${namespace}/${pod} container ${container}`,
      text: true,
    });
    const lines = String(text ?? '').replace(/\n$/, '').split('\n').slice(-LOG_LINES);
    return { pod, container, lines: lines.length === 1 && lines[0] === '' ? [] : lines };
  } catch (error) {
    const status = apiStatusOf(error);
    const why = status === 403 ? 'the credentials may not get pods/log (403 Forbidden)' : errorMessage(error);
    return { pod, container, unavailable: why };
  }
}

/** Reads what is needed and diagnoses one unhealthy object; a read that fails becomes part of the answer. */
export async function fetchDiagnosis(reader: KubeRequester, ref: ObjectRef, objectPath: string | undefined, now: number): Promise<Diagnosis & { notes: string[] }> {
  const notes: string[] = [];
  const namespace = ref.namespace || 'default';
  let object: KubeObject | undefined;
  if (objectPath) {
    try {
      object = await reader.request<KubeObject>({ method: 'GET', path: objectPath, subject: `${ref.kind}/${ref.name}` });
    } catch (error) {
      notes.push(`could not read the object: ${errorMessage(error)}`);
    }
  }
  let pods: KubeObject[] = [];
  let intermediates: KubeObject[] = [];
  const workloadKey = `${ref.group}/${ref.kind}`;
  if (object && WORKLOADS.has(workloadKey) && ref.namespace) {
    try {
      ({ pods, intermediates } = await currentPods(reader, object, ref));
    } catch (error) {
      notes.push(`could not read its Pods: ${errorMessage(error)}`);
    }
  }
  let events: WarningEvent[] = [];
  // The object's own Events are read by the wait (wait-events.ts); these are those of what it owns.
  if (pods.length + intermediates.length > 0) {
    try {
      const about = new Set([...intermediates.map((o) => `${o.kind ?? kindOf(o, ref)}/${o.metadata?.name}`), ...pods.map((p) => `Pod/${p.metadata?.name}`)]);
      const list = await reader.request<{ items?: WarningEvent[] }>({
        method: 'GET',
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
        query: { fieldSelector: 'type=Warning' },
        subject: `warning events in ${namespace}`,
      });
      events = (list?.items ?? []).filter((e) => about.has(`${e.involvedObject?.kind}/${e.involvedObject?.name}`));
    } catch (error) {
      notes.push(`could not read Events: ${errorMessage(error)}`);
    }
  }
  // A workload's own conditions are summed up by its status message already; other kinds are judged by them.
  const partial = diagnose({ object: WORKLOADS.has(workloadKey) ? undefined : object, pods, events, logs: [], now });
  const wanted = partial.causes.flatMap((c) => (c.logsOf ? [c.logsOf] : [])).slice(0, LOGS_PER_OBJECT);
  const logs = await Promise.all(wanted.map((w) => readLog(reader, namespace, w.pod, w.container)));
  return { ...partial, logs, notes };
}

/** Items of a built-in list carry no kind: the intermediates of a Deployment are ReplicaSets, of a CronJob Jobs. */
function kindOf(_object: KubeObject, ref: ObjectRef): string {
  return ref.kind === 'CronJob' ? 'Job' : 'ReplicaSet';
}
