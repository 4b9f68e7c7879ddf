/**
 * Helm hook annotations, read where renders and applies need them: test hooks are not part of a
 * release's desired state (`helm test` runs them), other hooks apply after the objects of their
 * stage, in hook-weight order.
 */
import type { KubeObject } from './objects.js';

export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
export const HELM_HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
const TEST_EVENTS = new Set(['test', 'test-success', 'test-failure']);

/** The hook events an object is annotated with (`pre-install,post-upgrade` -> two), empty when it is no hook. */
export function helmHookEvents(object: KubeObject): string[] {
  const value = object.metadata?.annotations?.[HELM_HOOK_ANNOTATION];
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((event) => event.trim())
    .filter(Boolean);
}

/** A hook run by `helm test`; like `helm template --skip-tests`, any test event makes it one. */
export function isHelmTestHook(object: KubeObject): boolean {
  return helmHookEvents(object).some((event) => TEST_EVENTS.has(event));
}

/** Weight of a Helm hook (default 0, as Helm reads it), undefined for an object that is no hook. */
export function helmHookWeight(object: KubeObject | undefined): number | undefined {
  if (!object || helmHookEvents(object).length === 0) return undefined;
  const weight = Number.parseInt(String(object.metadata?.annotations?.[HELM_HOOK_WEIGHT_ANNOTATION] ?? '0'), 10);
  return Number.isFinite(weight) ? weight : 0;
}
