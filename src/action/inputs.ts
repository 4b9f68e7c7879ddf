/**
 * The action's inputs, read and checked once into a typed object (see action.yml).
 * Errors name the input and what it accepts.
 */
import type { CommentMode } from '../github/comments.js';
import { UserError } from '../model/errors.js';
import { requireDuration } from '../config/duration.js';
import { parseImageRequests, type ImageRequest } from '../promote/select-images.js';

export const COMMANDS = ['auto', 'validate', 'plan', 'preview', 'deploy', 'promote', 'drift'] as const;
export type Command = (typeof COMMANDS)[number];

export interface ActionInputs {
  command: Command;
  config: string;
  /** Undefined: the affected environments. */
  environments?: string[] | 'all';
  kubeconfig?: string;
  githubToken?: string;
  from?: string;
  to?: string;
  /** Promotion filter: names, or `name=tag` / `name:tag` / `name@digest` pins, parsed once here. */
  images: ImageRequest[];
  dryRun: boolean;
  comment: CommentMode;
  timeoutMs?: number;
}

export type InputReader = (name: string) => string;

/** Reads `INPUT_<NAME>` the way the runner sets it (upper case, spaces as underscores, dashes kept). */
export function envInputReader(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

export function readInputs(read: InputReader): ActionInputs {
  const command = oneOf('command', read('command') || 'auto', COMMANDS);
  const comment = oneOf('comment', read('comment') || 'update', ['update', 'new', 'off'] as const);
  const timeout = read('timeout');
  return {
    command,
    config: read('config') || 'slipway.yaml',
    environments: parseEnvironmentList(read('environments')),
    kubeconfig: read('kubeconfig') || undefined,
    githubToken: read('github-token') || undefined,
    from: read('from') || undefined,
    to: read('to') || undefined,
    images: parseImageRequests(splitList(read('images'), /\r?\n/)),
    dryRun: parseBoolean('dry-run', read('dry-run') || 'false'),
    comment,
    timeoutMs: timeout ? requireDuration(timeout, "input 'timeout'") : undefined,
  };
}

export function parseEnvironmentList(value: string): string[] | 'all' | undefined {
  const names = splitList(value, /[,\r\n]/);
  if (names.length === 0) return undefined;
  if (names.length === 1 && names[0] === 'all') return 'all';
  return names;
}

function splitList(value: string, separator: RegExp): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function oneOf<T extends string>(input: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`input '${input}' is '${value}'`, `Use one of: ${allowed.join(', ')}.`);
}

function parseBoolean(input: string, value: string): boolean {
  if (/^(true|yes|on|1)$/i.test(value)) return true;
  if (/^(false|no|off|0)$/i.test(value)) return false;
  throw new UserError(`input '${input}' is '${value}'`, 'Use true or false.');
}
