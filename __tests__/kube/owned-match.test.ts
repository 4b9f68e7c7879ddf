/** Deciding from managedFields alone that a server-side apply would change nothing. */
import { applyChangesNothing } from '../../src/kube/owned-match.js';
import type { KubeObject } from '../../src/model/objects.js';

const labels = { app: 'web', 'applyset.kubernetes.io/part-of': 'applyset-x-v1' };

const desired = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'apps', labels: { ...labels } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'ghcr.io/example/web:1.0.0', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] },
    },
  },
});

/** managedFields as kube-apiserver 1.3x writes them for an apply of `desired()` by `slipway`. */
const slipwayFields = {
  'f:metadata': { 'f:labels': { 'f:app': {}, 'f:applyset.kubernetes.io/part-of': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:containers': {
          'k:{"name":"web"}': {
            '.': {},
            'f:image': {},
            'f:name': {},
            'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
          },
        },
      },
    },
  },
};

/** The live Deployment: desired plus server defaults, status and another manager's fields. */
const live = (fields: unknown = slipwayFields, edit: (o: KubeObject) => void = () => undefined): KubeObject => {
  const object = desired();
  const spec = object.spec as { template: { spec: { containers: Record<string, unknown>[] } }; strategy?: unknown };
  spec.strategy = { type: 'RollingUpdate' };
  spec.template.spec.containers[0].imagePullPolicy = 'IfNotPresent';
  object.metadata = {
    ...object.metadata,
    uid: 'u-1',
    resourceVersion: '4711',
    generation: 3,
    annotations: { 'deployment.kubernetes.io/revision': '3' },
    managedFields: [
      { manager: 'slipway', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: fields, time: '2026-11-30T10:00:00Z' },
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:deployment.kubernetes.io/revision': {} } } } },
      { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', subresource: 'status', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:replicas': {} } } },
    ],
  };
  object.status = { replicas: 2 };
  edit(object);
  return object;
};

describe('applyChangesNothing', () => {
  it('is true when slipway owns exactly the desired fields and each already holds its value', () => {
    expect(applyChangesNothing(desired(), live(), 'slipway')).toBe(true);
  });

  it('is false when a desired value differs from live (someone edited a field we share)', () => {
    const edited = live(slipwayFields, (o) => ((o.spec as { replicas: number }).replicas = 5));
    expect(applyChangesNothing(desired(), edited, 'slipway')).toBe(false);
  });

  it('is false when the manifest no longer sets a field slipway owns (the apply would remove it)', () => {
    const wanted = desired();
    delete wanted.metadata.labels?.app;
    expect(applyChangesNothing(wanted, live(), 'slipway')).toBe(false);
  });

  it('is false when the manifest sets a field slipway does not own yet', () => {
    const wanted = desired();
    (wanted.spec as Record<string, unknown>).minReadySeconds = 5;
    expect(applyChangesNothing(wanted, live(), 'slipway')).toBe(false);
  });

  it('is false when another manager took a field over (slipway no longer owns it)', () => {
    const fields = structuredClone(slipwayFields) as { 'f:spec': Record<string, unknown> };
    delete fields['f:spec']['f:replicas'];
    expect(applyChangesNothing(desired(), live(fields), 'slipway')).toBe(false);
  });

  it('is false when the object was never applied by slipway, or by an Update, or in another version', () => {
    const noEntry = live(slipwayFields, (o) => (o.metadata.managedFields = (o.metadata.managedFields as { manager: string }[]).filter((e) => e.manager !== 'slipway')));
    expect(applyChangesNothing(desired(), noEntry, 'slipway')).toBe(false);
    const update = live(slipwayFields, (o) => ((o.metadata.managedFields as { operation: string }[])[0].operation = 'Update'));
    expect(applyChangesNothing(desired(), update, 'slipway')).toBe(false);
    const otherVersion = live(slipwayFields, (o) => ((o.metadata.managedFields as { apiVersion: string }[])[0].apiVersion = 'apps/v1beta2'));
    expect(applyChangesNothing(desired(), otherVersion, 'slipway')).toBe(false);
  });

  it('matches a list item whose key field the server defaulted, unless slipway once set that field itself', () => {
    const noProtocol = desired();
    delete ((noProtocol.spec as { template: { spec: { containers: { ports: Record<string, unknown>[] }[] } } }).template.spec.containers[0].ports[0]).protocol;
    // Applied without protocol: the key holds the default, slipway owns only containerPort.
    const defaulted = JSON.parse(JSON.stringify(slipwayFields).replace('"f:containerPort":{},"f:protocol":{}', '"f:containerPort":{}')) as typeof slipwayFields;
    expect(applyChangesNothing(noProtocol, live(defaulted), 'slipway')).toBe(true);
    // Applied with protocol set explicitly: dropping it from the manifest is a change.
    expect(applyChangesNothing(noProtocol, live(), 'slipway')).toBe(false);
  });

  it('is false when the list order differs', () => {

    const two = (order: string[]): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: order.map((name) => ({ name })) },
    });
    const podFields = { 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:name': {} }, 'k:{"name":"b"}': { '.': {}, 'f:name': {} } } } };
    const livePod = { ...two(['a', 'b']), metadata: { name: 'p', managedFields: [{ manager: 'slipway', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: podFields }] } };
    expect(applyChangesNothing(two(['a', 'b']), livePod, 'slipway')).toBe(true);
    expect(applyChangesNothing(two(['b', 'a']), livePod, 'slipway')).toBe(false);
  });

  it('compares atomic lists whole and a Secret\'s stringData with its stored data', () => {
    const wanted: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', stringData: { password: 'hunter2' } };
    const fields = { 'f:stringData': { 'f:password': {} }, 'f:type': {} };
    const stored = (value: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', managedFields: [{ manager: 'slipway', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: fields }] },
      type: 'Opaque',
      data: { password: Buffer.from(value).toString('base64') },
    });
    expect(applyChangesNothing(wanted, stored('hunter2'), 'slipway')).toBe(true);
    expect(applyChangesNothing(wanted, stored('changed'), 'slipway')).toBe(false);

    const cm = (args: string[]): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: undefined, data: undefined, args } as KubeObject);
    const cmLive = { ...cm(['a', 'b']), metadata: { name: 'c', managedFields: [{ manager: 'slipway', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:args': {} } }] } };
    const strip = (o: KubeObject) => JSON.parse(JSON.stringify(o)) as KubeObject;
    expect(applyChangesNothing(strip(cm(['a', 'b'])), strip(cmLive), 'slipway')).toBe(true);
    expect(applyChangesNothing(strip(cm(['a', 'c'])), strip(cmLive), 'slipway')).toBe(false);
  });

  it('is false for a null in the manifest (an explicit removal)', () => {
    const wanted = desired();
    (wanted.spec as Record<string, unknown>).replicas = null;
    expect(applyChangesNothing(wanted, live(), 'slipway')).toBe(false);
  });
});
