/**
 * For the entries only (src/main.ts, src/cli.ts): the first SIGTERM or SIGINT (the Actions runner
 * sends them when a run is cancelled; Ctrl-C in a terminal) aborts the returned signal, so the
 * run stops writing and releases its deploy lock instead of leaving it held until it lapses.
 * A second signal, or work still running `graceMs` later, ends the process.
 */
import { UserError } from './model/errors.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

export function cancelOnSignals(proc: NodeJS.Process = process, graceMs = 5_000): AbortSignal {
  const controller = new AbortController();
  for (const name of SIGNALS) {
    proc.on(name, () => {
      if (controller.signal.aborted) proc.exit(1);
      controller.abort(new UserError(`Cancelled by ${name}: nothing more is written; a held deploy lock is released.`, 'Objects applied before the cancel stay as they are; run the deploy again to finish it.'));
      // Unref'd: a run that winds down in time exits on its own.
      setTimeout(() => proc.exit(1), graceMs).unref();
    });
  }
  return controller.signal;
}
