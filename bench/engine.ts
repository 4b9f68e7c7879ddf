/**
 * Engine benchmark: Slipway's deploy path (plan, lock, apply, wait) against the loopback API
 * server behind a proxy adding 10 ms each way (a 20 ms round trip), side by side with `kubectl
 * apply --server-side` and `kubectl diff --server-side` through the same proxy in the same run
 * (separate namespaces, so each starts fresh). Four figures: first apply of 500 objects (wait
 * off), a no-op redeploy (must write nothing), the diff of a pull request against live, and how
 * long a deploy that waits for health runs on after the last Deployment became Available (the
 * server plays the Deployment controller). Requests are counted by the server. The server runs in a child process (bench/kube-server-process.ts), so Slipway, like
 * kubectl, shares neither its event loop nor its CPU time, and the peak RSS reported is the
 * engine's process alone. Run alone with `npx tsx bench/engine.ts`, or through `npm run bench`.
 */

import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { testEnvironment } from '../__tests__/support/environment.js';
import { ServerProcess } from './kube-server-client.js';
import type { EnvironmentConfig } from '../src/config/types.js';
import { SecretMask } from '../src/exec/secrets.js';
import { createClusterPort } from '../src/flows/adapters.js';
import { silentLog } from '../src/flows/log.js';
import { KubeClient } from '../src/kube/client.js';
import { countChanges } from '../src/model/changeset.js';
import type { KubeObject } from '../src/model/objects.js';

/** One operation as measured: wall time and what it cost the API server. */
export interface Measured {
  ms: number;
  /** Requests the server received during the operation. */
  requests: number;
  /** Of which accepted writes (not dry-run). */
  writes: number;
}

export interface EngineBenchResult {
  objects: number;
  /** Added by the proxy in each direction. */
  delayMs: number;
  slipway: { apply: Measured; noop: Measured; diff: Measured; health: Measured & { afterLastAvailableMs: number } };
  kubectl: { apply: Measured; noop: Measured; diff: Measured } | { skipped: string };
  ratios?: { apply: number; noop: number; diff: number };
  peakRssMb: number;
  /** RSS of the engine's process before any engine work: runtime, tsx and libraries loaded. */
  baseRssMb?: number;
}

const OBJECTS = 500;
/** Each way: a 20 ms round trip, a runner talking to a managed cluster. */
const DELAY_MS = Number(process.env.BENCH_PROXY_DELAY_MS ?? 10);
/** How long the simulated Deployment controller takes to make a written Deployment Available. */
const ROLLOUT_MS = 300;
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
  return testEnvironment('bench', {
    path: 'bench',
    namespace,
    kubernetesVersion: '1.35',
    wait: { enabled: false, timeoutMs: 0 },
    policies: { 'image-tag': 'off', 'duplicate-object': 'off', 'missing-namespace': 'off', 'plaintext-secret': 'off' },
  });
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

/** The render of a pull request: a tenth of the apps get a new image and a changed ConfigMap. */
export function changedObjects(namespace: string, count = OBJECTS): KubeObject[] {
  return benchObjects(namespace, count).map((object, i) => {
    const app = Math.floor(i / 6);
    if (app % 10 !== 0) return object;
    if (object.kind === 'ConfigMap') return { ...object, data: { ...(object.data as object), LOG_LEVEL: 'debug' } };
    if (object.kind === 'Deployment') return JSON.parse(JSON.stringify(object).replace(/:1\.0\.0"/, ':1.1.0"')) as KubeObject;
    return object;
  });
}

export async function benchEngine(): Promise<EngineBenchResult> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'install-tools.mjs')], { stdio: 'inherit' });
  const baseRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  process.env.BENCH_PROXY_DELAY_MS = String(DELAY_MS);
  const server = await ServerProcess.start();
  const work = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  const measure = async <T>(work: () => Promise<T>): Promise<Measured & { value: T }> => {
    const [requests, writes] = [await server.requestCount(), await server.writeCount()];
    const { ms, value } = await timed(work);
    return { ms, value, requests: (await server.requestCount()) - requests, writes: (await server.writeCount()) - writes };
  };
  try {
    const kubeconfigPath = join(work, 'kubeconfig');
    writeFileSync(kubeconfigPath, server.kubeconfig, { mode: 0o600 });

    // Shared setup, untimed and straight to the server: the CRD and one fresh namespace per tool.
    const setup = await KubeClient.connect({ kubeconfig: server.directKubeconfig });
    const ours = 'bench-slipway';
    const theirs = 'bench-kubectl';
    await setup.apply(WIDGET_CRD, { force: true });
    for (const name of [ours, theirs]) await setup.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { force: true });
    for (let i = 0; i < 100 && !(await setup.get({ group: 'bench.slipway.dev', version: 'v1', kind: 'Widget', namespace: ours, name: 'probe' }).then(() => true, () => false)); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    setup.close();
    await server.simulateRollouts(ROLLOUT_MS);

    const env = benchEnv(ours);
    const port = await createClusterPort({ kubeconfig: server.kubeconfig, secrets: new SecretMask(), log: silentLog });
    const deploy = async (objects: KubeObject[], wait: boolean) => {
      const target = { ...env, wait: { enabled: wait, timeoutMs: 120_000 } };
      const session = await port.connect(target);
      try {
        const changeSet = await session.changeSet(target, objects.map((object) => ({ object })), { prune: true });
        return { changeSet, ...(await session.deploy(target, changeSet, { timeoutMs: 120_000, holder: 'bench', forcePrune: false })) };
      } finally {
        session.close();
      }
    };

    const apply = await measure(() => deploy(benchObjects(ours), false));
    if (apply.value.apply.failed.length) throw new Error(`first apply failed: ${apply.value.apply.failed[0].message}`);
    // Let the simulated controller finish, so the no-op run sees settled objects.
    await new Promise((r) => setTimeout(r, ROLLOUT_MS * 3));

    const noop = await measure(() => deploy(benchObjects(ours), false));
    const counts = countChanges(noop.value.changeSet.entries);
    if (noop.writes !== 0 || counts.unchanged !== OBJECTS) throw new Error(`a no-op redeploy should write nothing: ${noop.writes} writes, ${JSON.stringify(counts)}`);

    const diff = await measure(async () => {
      const session = await port.connect(env);
      try {
        return await session.changeSet(env, changedObjects(ours).map((object) => ({ object })), { prune: true });
      } finally {
        session.close();
      }
    });
    const diffCounts = countChanges(diff.value.entries);
    if (diffCounts.update === 0) throw new Error(`the pull request's diff found no change: ${JSON.stringify(diffCounts)}`);

    const health = await measure(() => deploy(changedObjects(ours), true));
    const ended = Date.now();
    if (!health.value.health?.healthy) throw new Error(`health wait did not end healthy: ${JSON.stringify(health.value.health?.failing.slice(0, 3))}`);
    const afterLastAvailableMs = ended - (await server.lastRolloutAt());

    let kubectl: EngineBenchResult['kubectl'];
    const kubectlBin = join(ROOT, '.tools', 'bin', 'kubectl');
    const writeManifests = (dir: string, objects: KubeObject[]) => {
      mkdirSync(dir, { recursive: true });
      const byKind = new Map<string, KubeObject[]>();
      for (const object of objects) byKind.set(object.kind, [...(byKind.get(object.kind) ?? []), object]);
      for (const [kind, list] of byKind) writeFileSync(join(dir, `${kind}.yaml`), list.map((o) => stringify(o)).join('---\n'));
    };
    const base = join(work, 'base');
    const pr = join(work, 'pr');
    writeManifests(base, benchObjects(theirs));
    writeManifests(pr, changedObjects(theirs));
    try {
      const common = ['--kubeconfig', kubeconfigPath, '--field-manager', 'kubectl-bench'];
      const kApply = await measure(() => kubectlRun(kubectlBin, ['apply', '--server-side', ...common, '-f', base], [0]));
      await new Promise((r) => setTimeout(r, ROLLOUT_MS * 3));
      const kNoop = await measure(() => kubectlRun(kubectlBin, ['apply', '--server-side', ...common, '-f', base], [0]));
      const kDiff = await measure(() => kubectlRun(kubectlBin, ['diff', '--server-side', ...common, '-f', pr], [0, 1]));
      kubectl = { apply: strip(kApply), noop: strip(kNoop), diff: strip(kDiff) };
    } catch (error) {
      kubectl = { skipped: error instanceof Error ? error.message : String(error) };
    }

    const result: EngineBenchResult = {
      objects: OBJECTS,
      delayMs: DELAY_MS,
      slipway: { apply: strip(apply), noop: strip(noop), diff: strip(diff), health: { ...strip(health), afterLastAvailableMs } },
      kubectl,
      // maxRSS is this process's own peak (KiB): the server and kubectl run elsewhere.
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      baseRssMb,
    };
    if ('apply' in kubectl) {
      result.ratios = { apply: round(kubectl.apply.ms / apply.ms), noop: round(kubectl.noop.ms / noop.ms), diff: round(kubectl.diff.ms / diff.ms) };
    }
    return result;
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

function strip<T>(measured: Measured & { value: T }): Measured {
  return { ms: measured.ms, requests: measured.requests, writes: measured.writes };
}

const round = (n: number): number => Math.round(n * 10) / 10;

export function formatEngineBench(r: EngineBenchResult): string {
  const k = 'apply' in r.kubectl ? r.kubectl : undefined;
  const row = (what: string, ours: Measured, theirs?: Measured): string =>
    `  ${what.padEnd(14)} slipway ${String(ours.ms).padStart(6)} ms ${String(ours.requests).padStart(5)} req ${String(ours.writes).padStart(4)} writes` +
    (theirs ? `   kubectl ${String(theirs.ms).padStart(6)} ms ${String(theirs.requests).padStart(5)} req   ${round(theirs.ms / ours.ms)}x` : '');
  return [
    `engine: ${r.objects} objects, 6 kinds, ${r.delayMs} ms added each way (${2 * r.delayMs} ms round trip)`,
    row('first apply', r.slipway.apply, k?.apply),
    row('no-op deploy', r.slipway.noop, k?.noop),
    row('diff of a PR', r.slipway.diff, k?.diff),
    row('deploy + wait', r.slipway.health) + `   ended ${r.slipway.health.afterLastAvailableMs} ms after the last Deployment was Available`,
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
