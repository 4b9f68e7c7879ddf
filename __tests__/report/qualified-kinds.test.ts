// Objects of kinds that are not built in are named with their API group in every report.
import { diffObjects } from '../../src/kube/diff.js';
import { normalize } from '../../src/kube/normalize.js';
import type { ChangeEntry, ChangeSet } from '../../src/model/changeset.js';
import { describeRef, isBuiltinGroup, qualifiedKind, refOf, type KubeObject } from '../../src/model/objects.js';
import { summarizeChangeSet } from '../../src/report/change-summary.js';
import { findingsToAnnotations } from '../../src/report/findings.js';
import { renderPreviewComment } from '../../src/report/preview-comment.js';
import { renderJobSummary } from '../../src/report/summary.js';
import { formatChangeSet } from '../../src/report/terminal.js';
import { objectFinding } from '../../src/validate/object-finding.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const kustomization = (interval: string): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'dev-team', namespace: 'apps' },
  spec: { interval, path: './apps/dev', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
});

const policy: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: 'apps' }, spec: { podSelector: {} } };
const issuer: KubeObject = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt' }, spec: { acme: { server: 'https://acme.example/directory' } } };

function update(before: KubeObject, after: KubeObject): ChangeEntry {
  const ref = refOf(after);
  return { ref, action: 'update', diff: diffObjects(ref, normalize(before), normalize(after)), compared: { before: normalize(before), after: normalize(after) }, desired: after, live: before };
}

function create(object: KubeObject): ChangeEntry {
  const ref = refOf(object);
  return { ref, action: 'create', diff: diffObjects(ref, undefined, normalize(object)), desired: object };
}

const changeSet: ChangeSet = { environment: 'dev', mode: 'cluster', entries: [update(kustomization('10m'), kustomization('5m')), create(policy), create(issuer)] };

describe('group-qualified kinds', () => {
  it('core, undotted and *.k8s.io groups are built in; any other group qualifies the kind', () => {
    for (const group of ['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'apiextensions.k8s.io', 'gateway.networking.k8s.io']) {
      expect(isBuiltinGroup(group)).toBe(true);
    }
    for (const group of ['kustomize.toolkit.fluxcd.io', 'argoproj.io', 'cert-manager.io', 'cluster.x-k8s.io', 'monitoring.coreos.com']) expect(isBuiltinGroup(group)).toBe(false);
    expect(qualifiedKind({ group: 'argoproj.io', kind: 'Application' })).toBe('Application.argoproj.io');
    expect(describeRef(refOf(kustomization('5m')))).toBe('Kustomization.kustomize.toolkit.fluxcd.io/apps/dev-team');
    expect(describeRef(refOf(issuer))).toBe('ClusterIssuer.cert-manager.io/letsencrypt');
    expect(describeRef(refOf(policy))).toBe('NetworkPolicy/apps/deny-all');
  });

  it('the PR comment, its change summary and its diffs name the group', () => {
    const comment = renderPreviewComment({ environments: [{ name: 'dev', changeSet, findings: [], mode: 'cluster' }], headSha: '0123456789abcdef' }, secrets);
    expect(comment).toContain('Kustomization.kustomize.toolkit.fluxcd.io/apps/dev-team');
    expect(comment).toContain('ClusterIssuer.cert-manager.io/letsencrypt');
    expect(comment).toContain('NetworkPolicy/apps/deny-all');
    expect(comment).not.toMatch(/Kustomization\/apps\/dev-team/);
    expect(comment).toContain('+++ desired/Kustomization.kustomize.toolkit.fluxcd.io/apps/dev-team');
  });

  it('the change summary lines, the job summary and the CLI diff name the group', () => {
    expect(summarizeChangeSet(changeSet)).toEqual([
      'Kustomization.kustomize.toolkit.fluxcd.io apps/dev-team: 1 field changed',
      '+ NetworkPolicy apps/deny-all',
      '+ ClusterIssuer.cert-manager.io letsencrypt',
    ]);
    const summary = renderJobSummary({ command: 'preview', environments: [{ name: 'dev', mode: 'cluster', changeSet }] }, secrets);
    expect(summary).toContain('Kustomization.kustomize.toolkit.fluxcd.io/apps/dev-team');
    const terminal = formatChangeSet(changeSet, { color: false });
    expect(terminal).toContain('~ update Kustomization.kustomize.toolkit.fluxcd.io/apps/dev-team');
    expect(terminal).toContain('+ create ClusterIssuer.cert-manager.io/letsencrypt');
  });

  it('findings and their annotations name the group', () => {
    const finding = objectFinding({ object: issuer, source: { file: 'infra/issuer.yaml', line: 1, column: 1 } }, 'warning', 'unknown-kind', 'no schema for cert-manager.io/v1 ClusterIssuer');
    expect(finding.object).toBe('ClusterIssuer.cert-manager.io/letsencrypt');
    expect(findingsToAnnotations([finding])[0]!.message).toBe('no schema for cert-manager.io/v1 ClusterIssuer (ClusterIssuer.cert-manager.io/letsencrypt)');
  });
});
