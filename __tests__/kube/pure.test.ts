import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { applySetId, groupKindOf, parseGroupKind, spanOf } from '../../src/kube/applyset.js';
import { diffObjects, toStableYaml } from '../../src/kube/diff.js';
import { deepEqual, normalize } from '../../src/kube/normalize.js';
import { fieldsTaken } from '../../src/kube/ownership.js';
import { MASK, MASK_AFTER, MASK_BEFORE, redactPair } from '../../src/kube/redact.js';
import { compareForApply, groupByStage, stageOf } from '../../src/kube/stages.js';
import type { KubeObject, ObjectRef } from '../../src/model/objects.js';

const ref = (kind: string, name: string, namespace = '', group = ''): ObjectRef => ({ group, version: 'v1', kind, namespace, name });

describe('normalize', () => {
  it('drops server-set fields and noisy annotations', () => {
    const live: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'apps',
        uid: 'u',
        resourceVersion: '7',
        generation: 3,
        creationTimestamp: 'now',
        managedFields: [{ manager: 'x' }],
        annotations: { 'deployment.kubernetes.io/revision': '2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: { replicas: 2 },
      status: { readyReplicas: 2 },
    };
    expect(normalize(live)).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' }, spec: { replicas: 2 } });
    expect(live.status).toBeDefined();
  });

  it('compares Secrets in data form, so stringData is not a change', () => {
    const desired: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter22' } };
    const live: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: Buffer.from('hunter22').toString('base64') } };
    expect(deepEqual(normalize(desired), normalize(live))).toBe(true);
  });
});

describe('redaction', () => {
  it('marks kept, changed, added and removed keys without values', () => {
    const before: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { same: 'QQ==', changed: 'Qg==', gone: 'Qw==' } };
    const after: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { same: 'QQ==', changed: 'RA==', added: 'RQ==' } };
    const { before: left, after: right } = redactPair(before, after);
    expect(left!.data).toEqual({ same: MASK, changed: MASK_BEFORE, gone: MASK });
    expect(right!.data).toEqual({ same: MASK, changed: MASK_AFTER, added: MASK });
    expect(before.data).toEqual({ same: 'QQ==', changed: 'Qg==', gone: 'Qw==' });
  });

  it('leaves other kinds alone', () => {
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    expect(redactPair(cm, cm).after).toBe(cm);
  });
});

describe('diff', () => {
  it('prints stable YAML with apiVersion, kind, metadata, spec first', () => {
    const yaml = toStableYaml({ spec: { b: 1, a: 2 }, metadata: { name: 'x' }, kind: 'K', apiVersion: 'v1', data: {} });
    expect(yaml.split('\n').slice(0, 6)).toEqual(['apiVersion: v1', 'kind: K', 'metadata:', '  name: x', 'spec:', '  a: 2']);
  });

  it('is empty when nothing changed and a unified diff otherwise', () => {
    const a: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'one' } };
    const b: KubeObject = { ...a, data: { k: 'two' } };
    expect(diffObjects(ref('ConfigMap', 'c'), a, a)).toBe('');
    const diff = diffObjects(ref('ConfigMap', 'c'), a, b);
    expect(diff).toContain('--- live/ConfigMap/c');
    expect(diff).toContain('-  k: one');
    expect(diff).toContain('+  k: two');
  });

  it('never prints Secret values', () => {
    const a: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'c2VjcmV0LW9uZQ==' } };
    const b: KubeObject = { ...a, data: { k: 'c2VjcmV0LXR3bw==' } };
    const diff = diffObjects(ref('Secret', 's'), a, b);
    expect(diff).toContain(`-  k: ${MASK_BEFORE}`);
    expect(diff).toContain(`+  k: ${MASK_AFTER}`);
    expect(diff).not.toMatch(/c2VjcmV0/);
  });
});

describe('stages', () => {
  it('puts definitions first and webhooks last, deterministic within a stage', () => {
    const refs = [
      ref('ValidatingWebhookConfiguration', 'hook'),
      ref('Deployment', 'web', 'apps', 'apps'),
      ref('ConfigMap', 'b', 'apps'),
      ref('ConfigMap', 'a', 'apps'),
      ref('CustomResourceDefinition', 'widgets.example.com'),
      ref('Namespace', 'apps'),
    ];
    const stages = groupByStage(refs, (r) => r);
    expect(stages.map((s) => s.stage)).toEqual(['definitions', 'resources', 'webhooks']);
    expect(stages[0].items.map((r) => r.kind)).toEqual(['Namespace', 'CustomResourceDefinition']);
    expect(stages[1].items.map((r) => r.name)).toEqual(['a', 'b', 'web']);
    expect(stageOf('ClusterRole')).toBe('definitions');
    expect(compareForApply(ref('ConfigMap', 'a', 'x'), ref('ConfigMap', 'a', 'y'))).toBeLessThan(0);
  });
});

describe('applyset', () => {
  it('computes the id as kubectl does', () => {
    // sha256("slipway-dev.apps.Secret.") in unpadded base64url.
    const id = applySetId('slipway-dev', 'apps');
    expect(id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    expect(id).toBe(`applyset-${createHash('sha256').update('slipway-dev.apps.Secret.').digest('base64url')}-v1`);
  });

  it('names group-kinds and namespaces spanned', () => {
    expect(groupKindOf(ref('Deployment', 'w', 'a', 'apps'))).toBe('Deployment.apps');
    expect(parseGroupKind('Widget.example.com')).toEqual({ kind: 'Widget', group: 'example.com' });
    expect(spanOf([ref('ConfigMap', 'a', 'apps'), ref('Deployment', 'w', 'other', 'apps'), ref('Namespace', 'apps')], 'apps')).toEqual({
      groupKinds: ['ConfigMap', 'Deployment.apps', 'Namespace'],
      additionalNamespaces: ['other'],
    });
  });
});

describe('ownership', () => {
  it('reports fields taken from other managers', () => {
    const before: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'w',
        managedFields: [
          { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:paused': {} } } },
          { manager: 'slipway', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:template': {} } } },
        ],
      },
    };
    const after: KubeObject = {
      ...before,
      metadata: {
        name: 'w',
        managedFields: [
          { manager: 'kubectl-edit', operation: 'Update', fieldsV1: { 'f:spec': { 'f:paused': {} } } },
          { manager: 'slipway', operation: 'Apply', fieldsV1: { 'f:spec': { 'f:template': {}, 'f:replicas': {} } } },
        ],
      },
    };
    expect(fieldsTaken(before, after, 'slipway')).toEqual([{ manager: 'kubectl-edit', fields: ['spec.replicas'] }]);
  });
});
