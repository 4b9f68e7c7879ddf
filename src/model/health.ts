/**
 * Health after a deploy, as kstatus defines it for each object (sigs.k8s.io/cli-utils
 * pkg/kstatus/status): one definition from the wait (src/kube) through the flows to the reports.
 */
import type { ObjectRef } from './objects.js';

export type HealthStatus = 'InProgress' | 'Failed' | 'Current' | 'Terminating' | 'NotFound' | 'Unknown';

export interface ObjectHealth {
  ref: ObjectRef;
  status: HealthStatus;
  message: string;
}

export interface FailingObject extends ObjectHealth {
  /** The last few Events about the object, oldest first, e.g. `Warning BackOff: Back-off pulling image (x4)`. */
  events: string[];
  /**
   * Why, one line each: grouped Pod problems with counts, last log lines of crashing
   * containers, warning Events of the ReplicaSets / Pods it owns (src/kube/diagnose.ts).
   */
  causes: string[];
}

/** The verdict of a health wait. */
export interface HealthResult {
  /** Every object is Current. */
  healthy: boolean;
  /** The timeout passed before every object was Current (and none had Failed). */
  timedOut: boolean;
  /** Failed objects or, on timeout, every object not Current, with their recent Events and a diagnosis. */
  failing: FailingObject[];
}
