/**
 * Shared set-up for engine tests that run over real HTTPS against the loopback API server:
 * an environment config, rendered objects with source positions, and a deploy that goes
 * through the same steps as the flows (change set, then apply).
 */

import type { EnvironmentConfig } from '../../src/config/types.js';
import { applyChangeSet, type ApplyChangeSetOptions } from '../../src/kube/apply.js';
import { buildChangeSet } from '../../src/kube/changeset.js';
import type { KubeClient } from '../../src/kube/client.js';
import type { KubeObject, RenderedObject } from '../../src/model/objects.js';
import type { FakeKubeApiServer } from '../support/kube-api-server.js';
import { testEnvironment } from '../support/environment.js';

export function environment(name: string, namespace: string, overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return testEnvironment(name, {
    namespace,
    kubernetesVersion: '1.35',
    wait: { enabled: false, timeoutMs: 1000 },
    policies: { 'image-tag': 'off', 'duplicate-object': 'off', 'missing-namespace': 'off', 'plaintext-secret': 'off' },
    ...overrides,
  });
}

/** A rendered object whose source is `envs/<file>` at `line`. */
export function rendered(object: KubeObject, file = 'objects.yaml', line = 1): RenderedObject {
  return { object, source: { file: `envs/${file}`, line, column: 1 } };
}

export function configMap(name: string, data: Record<string, string> = { k: 'v' }, metadata: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data };
}

export function deployment(name: string, app = name, extraSpec: Record<string, unknown> = {}, metadata: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...metadata },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
      ...extraSpec,
    },
  };
}

export function seedNamespace(server: FakeKubeApiServer, name: string): void {
  server.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

export async function deploy(client: KubeClient, env: EnvironmentConfig, objects: RenderedObject[], options: ApplyChangeSetOptions = {}) {
  const changeSet = await buildChangeSet(client, env, objects, { prune: env.prune.enabled });
  const result = await applyChangeSet(client, env, changeSet, { pollIntervalMs: 5, ...options });
  return { changeSet, result };
}

/** Every line of text a change set and its deploy result would put in front of a person. */
export function printable(parts: { changeSet?: { entries: { diff: string; message?: string }[] }; result?: { results: { message?: string }[]; pruneSkipped?: string } }): string {
  return [
    ...(parts.changeSet?.entries ?? []).flatMap((e) => [e.diff, e.message ?? '']),
    ...(parts.result?.results ?? []).map((r) => r.message ?? ''),
    parts.result?.pruneSkipped ?? '',
  ].join('\n');
}
