/**
 * Reading fields of an object whose shape is not checked: a live object may come from any
 * version of any controller, so a missing or mistyped field falls back to a default instead
 * of throwing, as kstatus does.
 */

import { isPlainObject } from '../model/objects.js';

function fieldAt(object: unknown, path: readonly string[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** An integer field; anything else (absent, a string, a fraction) gives `fallback`. */
export function intField(object: unknown, path: readonly string[], fallback: number): number {
  const value = fieldAt(object, path);
  return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
}

/** An integer field, or undefined when absent or not an integer. */
export function optionalInt(object: unknown, path: readonly string[]): number | undefined {
  const value = fieldAt(object, path);
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

export function stringField(object: unknown, path: readonly string[], fallback: string): string {
  const value = fieldAt(object, path);
  return typeof value === 'string' ? value : fallback;
}

export function arrayField(object: unknown, path: readonly string[]): unknown[] {
  const value = fieldAt(object, path);
  return Array.isArray(value) ? value : [];
}

/** One entry of `status.conditions`, as most Kubernetes types write them. */
export interface ObjectCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
}

export function conditionsOf(object: unknown): ObjectCondition[] {
  return arrayField(object, ['status', 'conditions'])
    .filter(isPlainObject)
    .map((c) => ({
      type: typeof c.type === 'string' ? c.type : '',
      status: typeof c.status === 'string' ? c.status : '',
      reason: typeof c.reason === 'string' ? c.reason : '',
      message: typeof c.message === 'string' ? c.message : '',
      observedGeneration:
        typeof c.observedGeneration === 'number' && Number.isInteger(c.observedGeneration) ? c.observedGeneration : undefined,
    }));
}

/** The first condition of `type` with `status`, like kstatus's getConditionWithStatus. */
export function findCondition(conditions: readonly ObjectCondition[], type: string, status?: string): ObjectCondition | undefined {
  return conditions.find((c) => c.type === type && (status === undefined || c.status === status));
}
