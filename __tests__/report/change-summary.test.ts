import { changeSetFromRenders } from '../../src/changeset/from-renders.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import type { KubeObject, RenderedObject } from '../../src/model/objects.js';
import { summarizeChangeSet } from '../../src/report/change-summary.js';
import { renderDeployComment } from '../../src/report/deploy-comment.js';
import { renderPreviewComment } from '../../src/report/preview-comment.js';
import { renderJobSummary } from '../../src/report/summary.js';
import { formatChangeSet } from '../../src/report/terminal.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

const env = { name: 'dev', prune: { enabled: true, maxShare: 1 } } as unknown as EnvironmentConfig;

function rendered(object: KubeObject): RenderedObject {
  return { object, source: { file: 'envs/dev/all.yaml', line: 1 } } as RenderedObject;
}

function deployment(overrides: { image?: string; replicas?: number; env?: Array<{ name: string; value: string }>; cpu?: string; port?: number; labels?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop-dev', labels: overrides.labels ?? { app: 'web' } },
    spec: {
      replicas: overrides.replicas ?? 2,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: overrides.image ?? 'ghcr.io/acme/shop-web:1.5.0',
              env: overrides.env ?? [{ name: 'LOG_LEVEL', value: 'info' }],
              resources: { requests: { cpu: overrides.cpu ?? '100m' } },
              ports: [{ containerPort: overrides.port ?? 8080 }],
            },
          ],
        },
      },
    },
  } as KubeObject;
}

function summary(base: KubeObject[], head: KubeObject[]): string[] {
  return summarizeChangeSet(changeSetFromRenders(env, base.map(rendered), head.map(rendered)));
}

describe('plain-language change summary', () => {
  it('an image bump is exactly one line', () => {
    expect(summary([deployment()], [deployment({ image: 'ghcr.io/acme/shop-web:1.6.0' })])).toEqual([
      'Deployment shop-dev/web: image ghcr.io/acme/shop-web 1.5.0 -> 1.6.0',
    ]);
  });

  it('replicas, resources, env var names and ports', () => {
    const after = deployment({ replicas: 3, cpu: '200m', env: [{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'FEATURE_X', value: 'on' }], port: 9090 });
    expect(summary([deployment()], [after])).toEqual([
      'Deployment shop-dev/web: cpu request 100m -> 200m',
      'Deployment shop-dev/web: env FEATURE_X added, LOG_LEVEL changed',
      'Deployment shop-dev/web: container port 8080 -> 9090',
      'Deployment shop-dev/web: replicas 2 -> 3',
    ]);
  });

  it('never shows env var values', () => {
    const lines = summary([deployment()], [deployment({ env: [{ name: 'LOG_LEVEL', value: 'hunter2' }] })]).join('\n');
    expect(lines).toContain('LOG_LEVEL changed');
    expect(lines).not.toContain('hunter2');
    expect(lines).not.toContain('info');
  });

  it('created, pruned and prune-protected objects', () => {
    const flags = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags', namespace: 'shop-dev' }, data: { a: '1' } } as KubeObject;
    const cleanup = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cleanup', namespace: 'shop-dev' }, spec: {} } as KubeObject;
    expect(summary([cleanup], [flags])).toEqual(['+ ConfigMap shop-dev/flags', '- CronJob shop-dev/cleanup (pruned)']);
  });

  it('a Secret says how many keys changed, never their values or which value', () => {
    const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop-dev' }, data }) as KubeObject;
    const lines = summary([secret({ password: 'b2xk', user: 'YWRtaW4=' })], [secret({ password: 'bmV3', user: 'YWRtaW4=' })]);
    expect(lines).toEqual(['Secret shop-dev/db: 1 key changed (values hidden)']);
    expect(lines.join()).not.toMatch(/b2xk|bmV3|YWRtaW4/);
  });

  it('a ConfigMap names its changed keys, not their values', () => {
    const config = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags' }, data }) as KubeObject;
    expect(summary([config({ a: 'x', b: 'y' })], [config({ a: 'z', c: 'w' })])).toEqual(['ConfigMap flags: data: c added, a changed, b removed']);
  });

  it('a Service port', () => {
    const service = (port: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port, targetPort: 'http' }] } }) as KubeObject;
    expect(summary([service(80)], [service(8080)])).toEqual(['Service web: port 80 -> 8080']);
  });

  it('labels and annotations are counted; anything else is "N fields changed"', () => {
    const before = deployment();
    const after = deployment({ labels: { app: 'web', team: 'shop', tier: 'front' } });
    (after.spec as Record<string, unknown>)['minReadySeconds'] = 5;
    (after.spec as Record<string, unknown>)['revisionHistoryLimit'] = 3;
    expect(summary([before], [after])).toEqual(['Deployment shop-dev/web: 2 labels added', 'Deployment shop-dev/web: 2 other fields changed']);
    const onlyOther = deployment();
    (onlyOther.spec as Record<string, unknown>)['paused'] = true;
    expect(summary([before], [onlyOther])).toEqual(['Deployment shop-dev/web: 1 field changed']);
  });

  it('the same change of several objects is one line naming them', () => {
    const worker = { ...deployment(), metadata: { name: 'worker', namespace: 'shop-dev', labels: { app: 'web' } } } as KubeObject;
    const workerAfter = { ...deployment({ image: 'ghcr.io/acme/shop-web:1.6.0' }), metadata: worker.metadata } as KubeObject;
    expect(summary([deployment(), worker], [deployment({ image: 'ghcr.io/acme/shop-web:1.6.0' }), workerAfter])).toEqual([
      'image ghcr.io/acme/shop-web 1.5.0 -> 1.6.0 (Deployment shop-dev/web, Deployment shop-dev/worker)',
    ]);
  });

  it('many objects with one change are counted, a few of them named', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const of = (name: string, image: string) => ({ ...deployment({ image }), metadata: { name, namespace: 'shop-dev' } }) as KubeObject;
    expect(summary(names.map((n) => of(n, 'web:1')), names.map((n) => of(n, 'web:2')))).toEqual([
      'image web 1 -> 2 (5 objects: Deployment shop-dev/a, Deployment shop-dev/b, Deployment shop-dev/c, …)',
    ]);
  });

  it('digests are shortened, a moved repository shows both references', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(summary([deployment()], [deployment({ image: `ghcr.io/acme/shop-web@${digest}` })])).toEqual([
      `Deployment shop-dev/web: image ghcr.io/acme/shop-web 1.5.0 -> sha256:${'a'.repeat(12)}`,
    ]);
    expect(summary([deployment()], [deployment({ image: 'registry.example.com/web:1.5.0' })])).toEqual([
      'Deployment shop-dev/web: image ghcr.io/acme/shop-web:1.5.0 -> registry.example.com/web:1.5.0',
    ]);
    expect(summary([deployment({ image: `ghcr.io/acme/shop-web@sha256:${'b'.repeat(64)}` })], [deployment({ image: `ghcr.io/acme/shop-web@${digest}` })])).toEqual([
      `Deployment shop-dev/web: image ghcr.io/acme/shop-web sha256:${'b'.repeat(12)} -> sha256:${'a'.repeat(12)}`,
    ]);
  });
});

describe('the summary in every report', () => {
  const changeSet = () => changeSetFromRenders(env, [deployment()].map(rendered), [deployment({ image: 'ghcr.io/acme/shop-web:1.6.0' })].map(rendered));
  const bump = 'image ghcr.io/acme/shop-web 1.5.0 -&gt; 1.6.0';

  it('the preview comment names a single change in the environment line', () => {
    const comment = renderPreviewComment({ environments: [{ name: 'dev', changeSet: changeSet(), findings: [], mode: 'render' }], headSha: '0123456789abcdef' }, secrets);
    expect(comment).toContain(`<b>dev</b>: 1 to update · Deployment shop-dev/web: ${bump}</summary>`);
  });

  it('the preview comment lists several changes under "What changes"', () => {
    const cs = changeSetFromRenders(env, [deployment()].map(rendered), [deployment({ image: 'ghcr.io/acme/shop-web:1.6.0', replicas: 5 })].map(rendered));
    const comment = renderPreviewComment({ environments: [{ name: 'dev', changeSet: cs, findings: [], mode: 'render' }], headSha: '0123456789abcdef' }, secrets);
    expect(comment).toContain(`**What changes**\n\n- Deployment shop-dev/web: ${bump}\n- Deployment shop-dev/web: replicas 2 -&gt; 5\n`);
  });

  it('the job summary, the terminal and the deploy comment', () => {
    expect(renderJobSummary({ command: 'preview', environments: [{ name: 'dev', changeSet: changeSet() }] }, secrets)).toContain(`- Deployment shop-dev/web: ${bump}\n`);
    expect(formatChangeSet(changeSet(), { color: false })).toContain('\n  Deployment shop-dev/web: image ghcr.io/acme/shop-web 1.5.0 -> 1.6.0\n');
    const deployed = renderDeployComment({ sha: '0123456789abcdef', environments: [{ name: 'dev', status: 'success', changeSet: changeSet(), durationMs: 1200 }] }, secrets);
    expect(deployed).toContain(`**What changed**\n\n- **dev**: Deployment shop-dev/web: ${bump}\n`);
  });
});
