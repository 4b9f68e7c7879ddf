// Command-line entry: `slipway <command>` (see src/cli/args.ts for the options).
import { runCli } from './cli/main.js';
import { cancelOnSignals } from './signals.js';

process.exitCode = await runCli(process.argv.slice(2), undefined, cancelOnSignals());
