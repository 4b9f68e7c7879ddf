/** Runs the real kubectl (first on PATH in tests) against a server, without blocking the event loop the server runs on. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeKubeApiServer } from '../support/kube-api-server.js';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Kubectl {
  readonly dir: string;
  private readonly kubeconfig: string;

  constructor(server: FakeKubeApiServer, options: { namespace?: string } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'kubectl-compat-'));
    this.kubeconfig = server.writeKubeconfig(this.dir, options);
  }

  run(...args: string[]): Promise<KubectlResult> {
    // A private HOME and cache dir: no user config or discovery cache leaks in.
    const env = { PATH: process.env.PATH ?? '', HOME: this.dir, KUBECTL_EXTERNAL_DIFF: '' };
    const fullArgs = ['--kubeconfig', this.kubeconfig, '--cache-dir', join(this.dir, 'cache'), ...args];
    return new Promise((resolve) => {
      execFile('kubectl', fullArgs, { env, timeout: 120_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
