import { DEPRECATED_APIS } from '../../src/validate/deprecated-apis.js';
import { introducedIn } from '../../src/validate/api-introductions.js';
import type { Finding } from '../../src/model/findings.js';
import { environment, validateYaml } from './helpers.js';

const objectOf = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x, namespace: apps}\n`;
const errorsOf = (apiVersion: string, kind: string, version: string): Finding[] =>
  validateYaml(objectOf(apiVersion, kind), environment({ kubernetesVersion: version })).filter(
    (f) => f.severity === 'error' && (f.rule === 'deprecated-api' || f.rule === 'unknown-kind'),
  );
const previous = (version: string) => {
  const [major, minor] = version.split('.').map(Number);
  return `${major}.${minor - 1}`;
};
const later = (a: string, b: string) => (Number(a.split('.')[1]) >= Number(b.split('.')[1]) ? a : b);

describe('kubernetesVersion decides which API versions exist', () => {
  it('serves policy/v1beta1 PodDisruptionBudget and not policy/v1 in 1.20', () => {
    expect(errorsOf('policy/v1beta1', 'PodDisruptionBudget', '1.20')).toEqual([]);
    const [finding, ...rest] = errorsOf('policy/v1', 'PodDisruptionBudget', '1.20');
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ rule: 'unknown-kind', line: 1, column: 1 });
    expect(finding.message).toBe(
      'policy/v1 PodDisruptionBudget is not served by Kubernetes 1.20 (introduced in 1.21); use apiVersion policy/v1beta1 for Kubernetes 1.20, or raise kubernetesVersion if the cluster is newer',
    );
  });

  it('serves policy/v1 and not policy/v1beta1 PodDisruptionBudget in 1.25', () => {
    expect(errorsOf('policy/v1', 'PodDisruptionBudget', '1.25')).toEqual([]);
    expect(errorsOf('policy/v1beta1', 'PodDisruptionBudget', '1.25')).toHaveLength(1);
  });

  const removals = DEPRECATED_APIS.filter((e) => e.removedIn).flatMap((e) => e.kinds.map((kind) => [e.apiVersion, kind, e.removedIn!] as const));
  it.each(removals)('%s %s: served before %s, refused from it', (apiVersion, kind, removedIn) => {
    const introduced = introducedIn(apiVersion, kind);
    const lastServing = introduced ? later(previous(removedIn), introduced) : previous(removedIn);
    expect(errorsOf(apiVersion, kind, lastServing)).toEqual([]);
    expect(errorsOf(apiVersion, kind, removedIn)).toHaveLength(1);
  });

  const replacements = DEPRECATED_APIS.filter((e) => e.replacementSince && /^[a-z0-9.]*\/?v\d+$/.test(e.replacement)).flatMap((e) =>
    e.kinds.map((kind) => [e.replacement, kind, e.replacementSince!] as const),
  );
  it.each(replacements)('%s %s: refused before %s, served from it', (apiVersion, kind, since) => {
    const [finding, ...rest] = errorsOf(apiVersion, kind, previous(since));
    expect(rest).toEqual([]);
    expect(finding.message).toContain(`not served by Kubernetes ${previous(since)} (introduced in ${since})`);
    expect(errorsOf(apiVersion, kind, since)).toEqual([]);
  });

  it('refuses a deprecated version before it was introduced', () => {
    const [finding] = errorsOf('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.25');
    expect(finding.message).toContain('use apiVersion flowcontrol.apiserver.k8s.io/v1beta1 or flowcontrol.apiserver.k8s.io/v1beta2 for Kubernetes 1.25');
  });
});
