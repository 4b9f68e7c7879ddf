/** Starts bench/kube-server-process.ts as a child process and drives it over stdin/stdout. */

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

const ROOT = resolve(import.meta.dirname ?? '.', '..');

export class ServerProcess {
  private readonly waiting: ((line: string) => void)[] = [];

  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
    private readonly lines: Interface,
    readonly url: string,
    /** Through the latency proxy. */
    readonly kubeconfig: string,
    /** Straight to the server: for untimed setup. */
    readonly directKubeconfig: string,
  ) {
    lines.on('line', (line) => this.waiting.shift()?.(line));
  }

  static async start(): Promise<ServerProcess> {
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const child = spawn(tsx, [join(ROOT, 'bench', 'kube-server-process.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolvePromise, reject) => {
      lines.once('line', resolvePromise);
      child.once('exit', (code) => reject(new Error(`loopback server process exited (${code}) before listening`)));
    });
    const { url, kubeconfig, directKubeconfig } = JSON.parse(first) as { url: string; kubeconfig: string; directKubeconfig: string };
    return new ServerProcess(child, lines, url, kubeconfig, directKubeconfig);
  }

  private command(line: string): Promise<Record<string, unknown>> {
    return new Promise((resolvePromise) => {
      this.waiting.push((answer) => resolvePromise(JSON.parse(answer) as Record<string, unknown>));
      this.child.stdin.write(`${line}\n`);
    });
  }

  async setLatency(ms: number): Promise<void> {
    await this.command(`latency ${ms}`);
  }

  /** Non-dry-run writes the server has accepted so far. */
  async writeCount(): Promise<number> {
    return Number((await this.command('writes')).writes);
  }

  /** Requests the server has received so far (every client, every outcome). */
  async requestCount(): Promise<number> {
    return Number((await this.command('requests')).requests);
  }

  /** Deployments become Available `delayMs` after each write; undefined stops that. */
  async simulateRollouts(delayMs: number | undefined): Promise<void> {
    await this.command(`rollouts ${delayMs ?? 'off'}`);
  }

  /** When (epoch ms, this machine's clock) the last simulated rollout became Available. */
  async lastRolloutAt(): Promise<number> {
    return Number((await this.command('last-rollout')).at);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolvePromise) => this.child.once('exit', () => resolvePromise()));
    this.child.stdin.end('stop\n');
    await exited;
    this.lines.close();
  }
}
