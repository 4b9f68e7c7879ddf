/**
 * The one place that starts external programs (git, kubectl, kustomize, helm).
 * Never through a shell: arguments are passed as an array, so nothing in a path or a
 * ref can be interpreted. stderr is captured into the error; the output sinks mask secrets in it.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { UserError } from '../model/errors.js';
import { childEnvironment } from './child-env.js';
import type { SecretMask } from './secrets.js';

export interface RunOptions {
  cwd?: string;
  /** Added to the allow-listed part of this process's environment (see child-env.ts); undefined removes one. */
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  /** Kill the program after this long; default 10 minutes. */
  timeoutMs?: number;
  /** Fail when stdout grows past this many bytes; default 256 MiB. */
  maxOutputBytes?: number;
  /** Resolve with a non-zero exit code instead of throwing. */
  allowFailure?: boolean;
  /** Stop the program when its resident memory passes this many bytes (where the OS reports it: Linux). */
  maxMemoryBytes?: number;
  /** How often memory is looked at; default 250 ms. */
  memoryPollMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface CommandRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** The PATH programs are looked up on (src/exec/tools.ts); absent: only configured paths and the package's tools. */
  readonly path?: string;
  /** Where credentials handed to a command (git's push token) are registered, so no output shows them. */
  readonly secrets?: SecretMask;
}

/** A program exited non-zero, could not start, or ran too long. */
export class CommandError extends UserError {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
    detail: string,
    /** The program was stopped for running too long, using too much memory or printing too much. */
    readonly stopped = false,
  ) {
    super(`${command} ${args.join(' ')} ${detail}${stderr.trim() ? `:\n${indent(lastLines(stderr, 20))}` : ''}`);
    this.name = 'CommandError';
  }
}

/** The last `count` lines of a program's output, for error messages. */
export function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

export function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_MAX_OUTPUT = 256 * 1024 * 1024;

/**
 * Runs programs as child processes. `parentEnv` is the environment the entry started with: its
 * allow-listed part reaches the programs (child-env.ts) and its PATH is where tools are found.
 * `secrets`: the run's mask (see CommandRunner.secrets).
 */
export function processRunner(parentEnv: Readonly<Record<string, string | undefined>>, secrets?: SecretMask): CommandRunner {
  return {
    secrets,
    // Read when a tool is looked up, as spawn reads the environment when a program starts.
    get path() {
      return parentEnv.PATH ?? '';
    },
    run: (command, args, options = {}) => runProcess(parentEnv, command, args, options),
  };
}

function runProcess(parentEnv: Readonly<Record<string, string | undefined>>, command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn(command, args as string[], {
      cwd: options.cwd,
      env: childEnvironment(parentEnv, options.env),
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = `did not finish within ${Math.round(timeoutMs / 1000)}s and was stopped`;
      child.kill('SIGKILL');
    }, timeoutMs);
    const memory = options.maxMemoryBytes
      ? setInterval(() => {
          void residentBytes(child.pid).then((bytes) => {
            if (bytes === undefined || bytes <= (options.maxMemoryBytes ?? Infinity) || child.exitCode !== null) return;
            failure ??= `used more than ${Math.round((options.maxMemoryBytes ?? 0) / (1024 * 1024))} MiB of memory and was stopped`;
            child.kill('SIGKILL');
          });
        }, options.memoryPollMs ?? 250)
      : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) {
        failure ??= `printed more than ${maxOutput} bytes and was stopped`;
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.reduce((n, b) => n + b.length, 0) < 1024 * 1024) err.push(chunk);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      clearInterval(memory);
      const detail =
        error.code === 'ENOENT'
          ? `could not start: '${command}' was not found on PATH`
          : `could not start: ${error.message}`;
      reject(new CommandError(command, args, -1, '', detail));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(memory);
      const result = {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code ?? -1,
      };
      if (failure) return reject(new CommandError(command, args, result.exitCode, result.stderr, failure, true));
      if (result.exitCode !== 0 && !options.allowFailure) {
        return reject(new CommandError(command, args, result.exitCode, result.stderr, `failed with exit code ${result.exitCode}`));
      }
      resolve(result);
    });
    child.stdin.on('error', () => undefined); // the program may exit before reading its input
    child.stdin.end(options.input ?? '');
  });
}

/** Resident memory of a running process in bytes, from /proc (Linux); undefined where that cannot be read. */
async function residentBytes(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kib = status ? /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] : undefined;
  return kib === undefined ? undefined : Number(kib) * 1024;
}
