/**
 * The loopback API server in a process of its own, so the engine benchmark measures Slipway
 * the way it measures kubectl: a client in one process talking HTTPS to a server in another,
 * neither sharing the other's event loop, CPU time or memory.
 *
 * Clients reach it through a latency proxy (bench/latency-proxy.ts, `BENCH_PROXY_DELAY_MS` each
 * way, default 10): the `kubeconfig` points there; `directKubeconfig` skips it (untimed setup).
 *
 * Protocol: one JSON line on stdout once listening (`{"url", "kubeconfig", "directKubeconfig"}`);
 * then one command per stdin line, each answered by one JSON line:
 *   `latency <ms>` -> `{"ok":true}`     `writes` -> `{"writes":<n>}`     `requests` -> `{"requests":<n>}`
 *   `rollouts <ms>` -> `{"ok":true}` (Deployments become Available <ms> after each write; `off` stops)
 *   `last-rollout` -> `{"at":<epoch ms>}`     `stop` -> `{"ok":true}`, then exit.
 * Closing stdin stops it too, so a crashed benchmark leaves no server behind.
 */

import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { startLatencyProxy } from './latency-proxy.js';

interface Server {
  url: string;
  requests: unknown[];
  kubeconfig(): string;
  writeCount(): number;
  simulateRollouts(delayMs: number | undefined): void;
  lastRolloutAt(): number;
  setLatency(ms: number): void;
  stop(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname ?? '.', '..');
// A computed specifier: the benchmark is not part of the test tree.
const serverModule = join(ROOT, '__tests__', 'support', 'kube-api-server.ts');
const { FakeKubeApiServer } = (await import(pathToFileURL(serverModule).href)) as { FakeKubeApiServer: { start(options?: { latencyMs?: number }): Promise<Server> } };

const server = await FakeKubeApiServer.start({ latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 0) });
const proxy = await startLatencyProxy(Number(new URL(server.url).port), Number(process.env.BENCH_PROXY_DELAY_MS ?? 10));
const reply = (value: unknown): boolean => process.stdout.write(`${JSON.stringify(value)}\n`);
const proxied = `https://${proxy.host}:${proxy.port}`;
reply({ url: proxied, kubeconfig: server.kubeconfig().replace(server.url, proxied), directKubeconfig: server.kubeconfig() });

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await proxy.close();
  await server.stop();
  process.exit(0);
};

const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const [command, argument] = line.trim().split(/\s+/);
  if (command === 'latency') {
    server.setLatency(Number(argument));
    reply({ ok: true });
  } else if (command === 'writes') {
    reply({ writes: server.writeCount() });
  } else if (command === 'requests') {
    reply({ requests: server.requests.length });
  } else if (command === 'rollouts') {
    server.simulateRollouts(argument === 'off' ? undefined : Number(argument));
    reply({ ok: true });
  } else if (command === 'last-rollout') {
    reply({ at: server.lastRolloutAt() });
  } else if (command === 'stop') {
    reply({ ok: true });
    void stop();
  } else {
    reply({ error: `unknown command: ${line}` });
  }
});
commands.on('close', () => void stop());
