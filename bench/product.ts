/**
 * The product as users run it: the bundled `slipway apply` (dist/cli.js: render, validate, change
 * set, lock, apply) of 500 objects, against `kubectl apply --server-side` of the same objects,
 * each a process of its own talking to the loopback server (its own process, 5 ms latency).
 * Reports wall time and each process's peak RSS (via /usr/bin/time).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { benchObjects } from './engine.js';
import { ServerProcess } from './kube-server-client.js';

const ROOT = resolve(import.meta.dirname ?? '.', '..');
const TIME = '/usr/bin/time';

interface Measured {
  ms: number;
  peakRssMb?: number;
}

function measure(command: string, args: string[]): Measured {
  const timed = existsSync(TIME);
  const started = performance.now();
  const child = timed
    ? spawnSync(TIME, ['-f', 'maxrss-kb=%M', command, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    : spawnSync(command, args, { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${command} ${args[0]} exited ${child.status}: ${(child.stderr || child.stdout).slice(-400)}`);
  const kb = /maxrss-kb=(\d+)/.exec(child.stderr ?? '')?.[1];
  return { ms, peakRssMb: kb ? Number(kb) / 1024 : undefined };
}

const LATENCY_MS = 5;

/** Built-in kinds only, so neither side needs a CRD first; returns how many objects were written. */
function writeObjects(dir: string, namespace: string): number {
  mkdirSync(dir, { recursive: true });
  const objects = benchObjects(namespace).filter((o) => o.apiVersion === 'v1' || o.apiVersion === 'apps/v1');
  writeFileSync(join(dir, '00-namespace.yaml'), stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }));
  writeFileSync(join(dir, 'objects.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return objects.length + 1;
}

export async function benchProduct(): Promise<{ rows: Array<{ area: string; measure: string; value: string; target: string }> }> {
  const cli = join(ROOT, 'dist', 'cli.js');
  const kubectl = join(ROOT, '.tools', 'bin', 'kubectl');
  const server = await ServerProcess.start();
  await server.setLatency(LATENCY_MS);
  const work = mkdtempSync(join(tmpdir(), 'slipway-bench-product-'));
  try {
    const kubeconfig = join(work, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfig, { mode: 0o600 });
    const count = writeObjects(join(work, 'repo', 'envs', 'bench'), 'bench-slipway');
    writeFileSync(join(work, 'repo', 'slipway.yaml'), 'environments:\n  - name: bench\n    path: envs/bench\n    namespace: bench-slipway\n    wait: { enabled: false }\n');
    writeObjects(join(work, 'kubectl'), 'bench-kubectl');

    const ours = measure(process.execPath, [cli, 'apply', '--repo', join(work, 'repo'), '--env', 'bench', '--kubeconfig', kubeconfig]);
    const theirs = measure(kubectl, ['apply', '--server-side', '--kubeconfig', kubeconfig, '-f', join(work, 'kubectl')]);
    const mb = (m: Measured) => (m.peakRssMb === undefined ? 'n/a (no /usr/bin/time)' : `${Math.round(m.peakRssMb)} MB`);
    return {
      rows: [
        {
          area: 'product',
          measure: `slipway apply (bundled CLI: render, validate, change set, lock, apply) vs kubectl apply --server-side, ${count} objects, ${LATENCY_MS} ms latency`,
          value: `${Math.round(ours.ms)} ms vs ${Math.round(theirs.ms)} ms: ${(theirs.ms / ours.ms).toFixed(1)}x faster`,
          target: '',
        },
        { area: 'product', measure: 'peak RSS of the process: slipway / kubectl', value: `${mb(ours)} / ${mb(theirs)}`, target: '< 200 MB' },
      ],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await server.stop();
  }
}
