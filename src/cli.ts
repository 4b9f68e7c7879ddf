// Command-line entry: `slipway <command>` (see src/cli/args.ts for the options).
import { runCli } from './cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
