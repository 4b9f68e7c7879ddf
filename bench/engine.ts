/**
 * Engine benchmark: Slipway's change set and apply against the loopback API server with 5 ms
 * latency per request, side by side with `kubectl apply --server-side` and `kubectl diff
 * --server-side` on the same server in the same run (separate namespaces, so each starts
 * fresh). The server runs in a child process (bench/kube-server-process.ts), so Slipway, like
 * kubectl, shares neither its event loop nor its CPU time, and the peak RSS reported is the
 * engine's process alone. Run alone with `npx tsx bench/engine.ts`, or through `npm run bench`.
 */

import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { ServerProcess } from './kube-server-client.js';
import type { EnvironmentConfig } from '../src/config/types.js';
import { applyChangeSet } from '../src/kube/apply.js';
import { buildChangeSet } from '../src/kube/changeset.js';
import { KubeClient } from '../src/kube/client.js';
import { countChanges } from '../src/model/changeset.js';
import type { KubeObject, RenderedObject } from '../src/model/objects.js';

export interface EngineBenchResult {
  objects: number;
  latencyMs: number;
  slipway: { applyMs: number; reapplyMs: number; diffMs: number; reapplyWrites: number; requests: number };
  kubectl: { applyMs: number; diffMs: number } | { skipped: string };
  ratios?: { apply: number; diff: number };
  peakRssMb: number;
  /** RSS of the engine's process before any engine work: runtime, tsx and libraries loaded. */
  baseRssMb?: number;
}

const OBJECTS = 500;
const LATENCY_MS = 5;
const ROOT = resolve(import.meta.dirname ?? '.', '..');

const WIDGET_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.bench.slipway.dev' },
  spec: {
    group: 'bench.slipway.dev',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
      },
    ],
  },
};

/** 500 objects over ConfigMap, Secret, Service, Deployment, ServiceAccount and a custom resource. */
export function benchObjects(namespace: string, count = OBJECTS): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let i = 0; objects.length < count; i += 1) {
    const name = `app-${String(i).padStart(3, '0')}`;
    const labels = { app: name };
    const meta = { name, namespace, labels };
    const all: KubeObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { 'config.yaml': `replicas: 2\nname: ${name}\n`, LOG_LEVEL: 'info' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: meta, type: 'Opaque', stringData: { password: `pw-${name}-${i * 7919}` } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
      { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta,
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { serviceAccountName: name, containers: [{ name: 'app', image: `ghcr.io/example/${name}:1.0.0`, ports: [{ containerPort: 8080 }] }] },
          },
        },
      },
      { apiVersion: 'bench.slipway.dev/v1', kind: 'Widget', metadata: meta, spec: { size: i, colour: 'blue', extra: { nested: [1, 2, 3] } } },
    ];
    objects.push(...all.slice(0, count - objects.length));
  }
  return objects;
}

function benchEnv(namespace: string): EnvironmentConfig {
  return {
    name: 'bench',
    path: 'bench',
    namespace,
    promotion: 'commit',
    kubernetesVersion: '1.35',
    strict: false,
    prune: { enabled: true, maxShare: 0.5 },
    wait: { enabled: false, timeoutMs: 0 },
    forceConflicts: true,
    heal: false,
    helm: { valuesFiles: [] },
    policies: { 'image-tag': 'off', 'duplicate-object': 'off', 'missing-namespace': 'off', 'plaintext-secret': 'off' },
    promotionLabels: [],
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: Math.round(performance.now() - started), value };
}

function kubectlRun(kubectl: string, args: string[], okCodes: number[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    execFile(kubectl, args, { maxBuffer: 256 * 1024 * 1024 }, (error, _stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? 1) : 0;
      if (okCodes.includes(code)) resolvePromise();
      else reject(new Error(`kubectl ${args[0]} exited ${code}: ${stderr.slice(0, 2000)}`));
    });
  });
}

export async function benchEngine(): Promise<EngineBenchResult> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'install-tools.mjs')], { stdio: 'inherit' });
  const baseRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  const server = await ServerProcess.start();
  const work = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  try {
    const kubeconfig = server.kubeconfig;
    const kubeconfigPath = join(work, 'kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfig, { mode: 0o600 });
    const client = await KubeClient.connect({ kubeconfig });

    // Shared setup, untimed: the CRD and one fresh namespace per tool.
    const ours = 'bench-slipway';
    const theirs = 'bench-kubectl';
    await client.apply(WIDGET_CRD, { force: true });
    for (const name of [ours, theirs]) await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { force: true });
    for (let i = 0; i < 100 && !(await client.get({ group: 'bench.slipway.dev', version: 'v1', kind: 'Widget', namespace: ours, name: 'probe' }).then(() => true, () => false)); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await server.setLatency(LATENCY_MS);

    const env = benchEnv(ours);
    const rendered: RenderedObject[] = benchObjects(ours).map((object) => ({ object }));
    const apply = await timed(async () => {
      const changeSet = await buildChangeSet(client, env, rendered, { prune: true });
      return applyChangeSet(client, env, changeSet);
    });
    if (!apply.value.ok) throw new Error(`first apply failed: ${apply.value.results.find((r) => r.outcome === 'failed')?.message}`);

    const writesBefore = await server.writeCount();
    const reapply = await timed(async () => {
      const changeSet = await buildChangeSet(client, env, rendered, { prune: true });
      return { changeSet, result: await applyChangeSet(client, env, changeSet) };
    });
    const reapplyWrites = (await server.writeCount()) - writesBefore;
    const counts = countChanges(reapply.value.changeSet.entries);
    if (reapplyWrites !== 0 || counts.unchanged !== OBJECTS) {
      throw new Error(`re-apply should write nothing: ${reapplyWrites} writes, ${JSON.stringify(counts)}`);
    }
    const diff = await timed(() => buildChangeSet(client, env, rendered, { prune: true }));

    let kubectl: EngineBenchResult['kubectl'];
    const kubectlBin = join(ROOT, '.tools', 'bin', 'kubectl');
    const dir = join(work, 'manifests');
    execFileSync('mkdir', ['-p', dir]);
    const byKind = new Map<string, KubeObject[]>();
    for (const object of benchObjects(theirs)) byKind.set(object.kind, [...(byKind.get(object.kind) ?? []), object]);
    for (const [kind, objects] of byKind) writeFileSync(join(dir, `${kind}.yaml`), objects.map((o) => stringify(o)).join('---\n'));
    try {
      const common = ['--kubeconfig', kubeconfigPath, '-f', dir];
      const kApply = await timed(() => kubectlRun(kubectlBin, ['apply', '--server-side', '--field-manager', 'kubectl-bench', ...common], [0]));
      const kDiff = await timed(() => kubectlRun(kubectlBin, ['diff', '--server-side', '--field-manager', 'kubectl-bench', ...common], [0, 1]));
      kubectl = { applyMs: kApply.ms, diffMs: kDiff.ms };
    } catch (error) {
      kubectl = { skipped: error instanceof Error ? error.message : String(error) };
    }
    client.close();

    const result: EngineBenchResult = {
      objects: OBJECTS,
      latencyMs: LATENCY_MS,
      slipway: { applyMs: apply.ms, reapplyMs: reapply.ms, diffMs: diff.ms, reapplyWrites, requests: client.stats.requests },
      kubectl,
      // maxRSS is this process's own peak (KiB): the server and kubectl run elsewhere.
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      baseRssMb,
    };
    if ('applyMs' in kubectl) {
      result.ratios = { apply: round(kubectl.applyMs / apply.ms), diff: round(kubectl.diffMs / diff.ms) };
    }
    return result;
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

const round = (n: number): number => Math.round(n * 10) / 10;

export function formatEngineBench(r: EngineBenchResult): string {
  const k = 'applyMs' in r.kubectl ? r.kubectl : undefined;
  const row = (what: string, ours: number, theirs?: number): string =>
    `  ${what.padEnd(12)} slipway ${String(ours).padStart(6)} ms${theirs !== undefined ? `   kubectl ${String(theirs).padStart(6)} ms   ${round(theirs / ours)}x` : ''}`;
  return [
    `engine: ${r.objects} objects, 6 kinds, ${r.latencyMs} ms latency per request`,
    row('first apply', r.slipway.applyMs, k?.applyMs),
    row('re-apply', r.slipway.reapplyMs) + `   (${r.slipway.reapplyWrites} writes)`,
    row('diff', r.slipway.diffMs, k?.diffMs),
    k ? '' : `  kubectl skipped: ${(r.kubectl as { skipped: string }).skipped}`,
    `  peak RSS ${r.peakRssMb} MB (the engine's process; the server runs in its own)${r.baseRssMb !== undefined ? `, ${r.baseRssMb} MB of it before any engine work` : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  benchEngine().then(
    (r) => console.log(formatEngineBench(r)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
