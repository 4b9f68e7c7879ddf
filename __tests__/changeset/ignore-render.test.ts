// Ignore rules in the render diff (base vs head, no cluster) and the count every report states.
import type { EnvironmentConfig } from '../../src/config/types.js';
import { changeSetFromRenders } from '../../src/changeset/from-renders.js';
import { builtInIgnored, autoscaledTargets } from '../../src/kube/ignore-defaults.js';
import type { KubeObject, RenderedObject } from '../../src/model/objects.js';
import { refOf } from '../../src/model/objects.js';
import { formatFieldPath } from '../../src/model/field-path.js';
import { renderPreviewComment } from '../../src/report/preview-comment.js';
import { buildJsonReport } from '../../src/report/json-report.js';
import { renderJobSummary } from '../../src/report/summary.js';
import { formatChangeSet } from '../../src/report/terminal.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it. */
const secrets = new SecretMask();

const env = (extra: Partial<EnvironmentConfig> = {}) => ({ name: 'dev', prune: { enabled: true, maxShare: 0.5 }, ...extra }) as EnvironmentConfig;
const r = (object: KubeObject): RenderedObject => ({ object, source: { file: 'envs/dev/x.yaml', line: 1, column: 1 } });

const web = (replicas: number, image = 'ghcr.io/acme/web:1.0.0', annotations: Record<string, string> = {}): RenderedObject =>
  r({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', annotations },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
  });
const hpa = r({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10 },
});

describe('ignore rules in the render diff', () => {
  it('a replicas change of a Deployment an HPA scales is no change, and is counted', () => {
    const set = changeSetFromRenders(env(), [web(2), hpa], [web(4), hpa]);
    const entry = set.entries.find((e) => e.ref.kind === 'Deployment')!;
    expect(entry).toMatchObject({ action: 'unchanged', diff: '', ignored: 1 });
    // Without the HPA the same change is a change.
    const plain = changeSetFromRenders(env(), [web(2)], [web(4)]);
    expect(plain.entries[0]).toMatchObject({ action: 'update' });
    expect(plain.entries[0]!.ignored).toBeUndefined();
  });

  it('a user rule by glob and pointer hides the field from the diff and the change summary, the rest stays', () => {
    const rules = env({ ignoreDifferences: [{ group: 'apps', kind: 'Deploy*', name: 'w?b', jsonPointers: ['/metadata/annotations/example.com~1build'], managedFieldsManagers: [] }] });
    const set = changeSetFromRenders(rules, [web(2, 'ghcr.io/acme/web:1.0.0', { 'example.com/build': '41' })], [web(2, 'ghcr.io/acme/web:1.1.0', { 'example.com/build': '42' })]);
    const [entry] = set.entries;
    expect(entry).toMatchObject({ action: 'update', ignored: 1 });
    expect(entry!.diff).toContain('+        - image: ghcr.io/acme/web:1.1.0');
    expect(entry!.diff).not.toContain('example.com/build');
    const other = changeSetFromRenders(env({ ignoreDifferences: [{ group: '', kind: 'Deployment', jsonPointers: ['/metadata/annotations'], managedFieldsManagers: [] }] }), [web(2, 'a', { x: '1' })], [web(2, 'a', { x: '2' })]);
    // group "" is the core group only: apps/Deployment does not match.
    expect(other.entries[0]).toMatchObject({ action: 'update' });
  });

  it('the PR comment, the job summary and the CLI diff say how many fields were ignored', () => {
    const changed = changeSetFromRenders(env(), [web(2), hpa], [web(4, 'ghcr.io/acme/web:1.1.0'), hpa]);
    const quiet = { ...changeSetFromRenders(env(), [web(2), hpa], [web(4), hpa]), environment: 'staging' };
    const comment = renderPreviewComment({
      environments: [
        { name: 'dev', changeSet: changed, findings: [], mode: 'render' },
        { name: 'staging', changeSet: quiet, findings: [], mode: 'render' },
      ],
      headSha: '0123456789abcdef',
    }, secrets);
    expect(comment).toContain('| **dev** | 0 | 1 | 0 | 1 | ✅ | base render · 1 field ignored |');
    expect(comment).toContain('| **staging** | 0 | 0 | 0 | 2 | ✅ | base render · 1 field ignored |');
    expect(comment).not.toMatch(/replicas: 4/);
    const onlyQuiet = renderPreviewComment({ environments: [{ name: 'staging', changeSet: quiet, findings: [], mode: 'render' }], headSha: '0123456789abcdef' }, secrets);
    expect(onlyQuiet).toContain('(checked: `staging` (1 field ignored))');
    const summary = renderJobSummary({ command: 'preview', environments: [{ name: 'dev', status: 'previewed', mode: 'render', changeSet: changed }] }, secrets);
    expect(summary).toContain('| **dev** | previewed · 1 field ignored |');
    expect(formatChangeSet(changed, { color: false })).toContain('dev (against the base render): 0 to create, 1 to update, 0 to delete, 1 unchanged, 1 field ignored');
    const report = buildJsonReport({ command: 'preview', ok: true, environments: [{ name: 'dev', changeSet: changed }] }, secrets);
    expect(report.environments[0]!.ignoredFields).toBe(1);
    expect(report.environments[0]!.actions.find((a) => a.kind === 'Deployment')!.ignoredFields).toBe(1);
  });
});

describe('built-in ignore rules', () => {
  const managed = (entries: object[]) => ({ managedFields: entries });
  const webhook = (manager: string): KubeObject => ({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: {
      name: 'policy',
      ...managed([
        { manager: 'slipway', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { 'f:webhooks': { 'k:{"name":"a.example.com"}': { '.': {}, 'f:name': {}, 'f:clientConfig': { 'f:service': {} } } } } },
        { manager, operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:webhooks': { 'k:{"name":"a.example.com"}': { 'f:clientConfig': { 'f:caBundle': {} } } } } },
      ]),
    },
    webhooks: [{ name: 'a.example.com', clientConfig: { caBundle: 'Q0E=', service: { name: 's', namespace: 'n' } } }],
  });

  it('caBundle only when a manager other than Slipway owns it', () => {
    const injected = webhook('cert-manager-cainjector');
    expect(builtInIgnored(refOf(injected), injected, injected, new Map()).map(formatFieldPath)).toEqual(['/webhooks/0/clientConfig/caBundle']);
    const ours = webhook('slipway');
    expect(builtInIgnored(refOf(ours), ours, ours, new Map())).toEqual([]);
  });

  it('replicas when the HPA controller wrote them through the scale subresource, not after a kubectl scale', () => {
    const deployment = (manager: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', ...managed([{ manager, operation: 'Update', subresource: 'scale', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }]) },
      spec: { replicas: 7 },
    });
    expect(builtInIgnored(refOf(deployment('kube-controller-manager')), undefined, deployment('kube-controller-manager'), new Map()).map(formatFieldPath)).toEqual(['/spec/replicas']);
    expect(builtInIgnored(refOf(deployment('kubectl')), undefined, deployment('kubectl'), new Map())).toEqual([]);
  });

  it('replicas of a KEDA ScaledObject\'s target, and the rules of an aggregated ClusterRole', () => {
    const scaled = autoscaledTargets([r({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'web', namespace: 'shop' }, spec: { scaleTargetRef: { name: 'web' } } })]);
    expect(builtInIgnored(refOf(web(2).object), web(2).object, undefined, scaled).map(formatFieldPath)).toEqual(['/spec/replicas']);
    const role: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view-all' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { view: 'true' } }] }, rules: [] };
    expect(builtInIgnored(refOf(role), role, undefined, new Map()).map(formatFieldPath)).toEqual(['/rules']);
  });
});

describe('ignored Secret keys written as stringData', () => {
  it('a /data pointer reaches a stringData key: its live value is applied, or it is left out when another manager owns it', async () => {
    const { respectIgnored, ignoredDifferences } = await import('../../src/kube/ignore.js');
    const desired: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { token: 'from-git', user: 'app' } };
    const live = (manager: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop', managedFields: [{ manager, operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:token': {} } } }] },
      data: { token: Buffer.from('rotated').toString('base64'), user: Buffer.from('app').toString('base64') },
    });
    const paths = [[{ key: 'data' }, { key: 'token' }]];
    const rotated = live('rotator');
    expect(ignoredDifferences(desired, rotated, paths)).toBe(1);
    const body = respectIgnored(desired, rotated, paths, 'slipway');
    expect(body.stringData).toBeUndefined();
    expect(body.data).toEqual({ user: Buffer.from('app').toString('base64') });
    expect(respectIgnored(desired, live('slipway'), paths, 'slipway').data).toEqual(live('slipway').data);
  });
});
