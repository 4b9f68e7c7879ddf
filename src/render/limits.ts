/**
 * How long and how much memory a renderer (kustomize, helm) may use. A 211 MB kustomize input
 * once ran 300 s and reached 9.3 GB; the machine, not only the run, suffered. The memory limit
 * follows the machine: half of its memory, at most 4 GiB. Go programs are also told a soft limit
 * (GOMEMLIMIT) below it, so their collector works harder before the hard limit stops them.
 */
import { totalmem } from 'node:os';
import type { RunOptions } from '../exec/run.js';

export const RENDER_TIMEOUT_MS = 5 * 60_000;
const MAX_RENDER_MEMORY = 4 * 1024 * 1024 * 1024;

export function renderRunOptions(env: Record<string, string> = {}, machineMemory = totalmem()): Pick<RunOptions, 'timeoutMs' | 'maxMemoryBytes' | 'env'> {
  const maxMemoryBytes = Math.min(MAX_RENDER_MEMORY, Math.floor(machineMemory / 2));
  return { timeoutMs: RENDER_TIMEOUT_MS, maxMemoryBytes, env: { GOMEMLIMIT: String(Math.floor(maxMemoryBytes * 0.75)), ...env } };
}

/** What to do when a renderer was stopped for either limit. */
export const RENDER_LIMIT_HINT =
  'The environment is too large (or nests too deeply) to render within the limits (5 minutes; half of the machine memory, at most 4 GiB): split it into smaller environments or remove the largest inputs.';
