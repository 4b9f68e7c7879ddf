/**
 * An environment whose render holds no object at all is almost always a wrong `path` (or a
 * directory of files Slipway does not read), not an intent: say so instead of "no problems".
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { Finding } from '../model/findings.js';

export type EmptyEnvironmentSubject = Partial<Pick<EnvironmentConfig, 'name' | 'path' | 'prune'>>;

export function emptyEnvironmentFinding(env: EmptyEnvironmentSubject): Finding {
  const where = env.path ? ` (${env.path})` : '';
  const what = `environment "${env.name ?? ''}"${where} renders no Kubernetes objects`;
  const hint = 'check its path, and that the directory holds YAML or JSON manifests, a kustomization or a chart';
  const finding: Finding = env.prune?.enabled
    ? { severity: 'error', rule: 'empty-environment', message: `${what}: with prune on, a deploy would delete everything it manages; ${hint}` }
    : { severity: 'warning', rule: 'empty-environment', message: `${what}; ${hint}` };
  if (env.path) finding.file = env.path;
  return finding;
}
