/**
 * Runs the bundled action (index.js of the bundle built from the sources, see bundle.ts) as a child process, the way the runner does: an
 * event payload file, INPUT_* variables, GITHUB_* variables pointing at loopback fakes, and
 * files for outputs and the job summary.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledEntry } from './bundle.js';

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface ActionRunOptions {
  workspace: string;
  eventName: string;
  payload: Record<string, unknown>;
  inputs?: Record<string, string>;
  githubApiUrl?: string;
  sha?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function runBundledAction(options: ActionRunOptions): Promise<ActionRun> {
  const temp = mkdtempSync(join(tmpdir(), 'slipway-action-'));
  try {
    const eventPath = join(temp, 'event.json');
    const outputPath = join(temp, 'output');
    const summaryPath = join(temp, 'summary.md');
    writeFileSync(eventPath, JSON.stringify(options.payload));
    writeFileSync(outputPath, '');
    writeFileSync(summaryPath, '');
    const inputEnv: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.inputs ?? {})) inputEnv[`INPUT_${name.toUpperCase()}`] = value;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? temp,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'acme/gitops',
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_API_URL: options.githubApiUrl ?? 'http://127.0.0.1:9',
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_SHA: options.sha ?? '',
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      RUNNER_TEMP: temp,
      // No kubeconfig unless a test passes one: never the developer's own.
      KUBECONFIG: join(temp, 'no-kubeconfig'),
      ...inputEnv,
      ...options.env,
    };
    const child = spawn(process.execPath, [await bundledEntry('index')], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A hung run fails its test with what it printed, before jest's e2e timeout (300 s) cuts it off silently.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    const exitCode = await new Promise<number>((done) => child.on('close', (code) => done(code ?? -1)));
    clearTimeout(timer);
    // @actions/core sets process.exitCode = 1 on setFailed.
    return { exitCode, stdout, stderr, outputs: parseOutputs(readFileSync(outputPath, 'utf8')), summary: readFileSync(summaryPath, 'utf8') };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** The GITHUB_OUTPUT file format: `name<<DELIMITER\nvalue\nDELIMITER`. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
    outputs[name] = value.join('\n');
  }
  return outputs;
}
