/** Command-line arguments, parsed once into a typed object. */
import { parseArgs } from 'node:util';
import { UserError } from '../model/errors.js';
import { parseImageRequests, type ImageRequest } from '../promote/select-images.js';

export const CLI_COMMANDS = ['validate', 'plan', 'diff', 'apply', 'promote', 'drift', 'rollback', 'init'] as const;
export type CliCommand = (typeof CLI_COMMANDS)[number];

export interface CliArgs {
  command: CliCommand;
  repo: string;
  config: string;
  environments?: string[];
  base?: string;
  head?: string;
  kubeconfig?: string;
  from?: string;
  to?: string;
  /** `--image` flags, parsed once: filters and pins (`name=tag`, `name:tag`, `name@digest`). */
  images: ImageRequest[];
  dryRun: boolean;
  commit: boolean;
  heal: boolean;
  forcePrune: boolean;
  renderOnly: boolean;
  /** diff: also write the preview comment, as posted on a pull request, to this file. */
  markdown?: string;
  /** diff: fail where the cluster cannot be asked instead of comparing renders. */
  requireCluster: boolean;
  json: boolean;
  color: boolean;
  /** Also print which tools (path and version) the run uses. */
  verbose: boolean;
  timeout?: string;
}

/** `colorAllowed`: stdout is a terminal and the environment does not ask for none (`NO_COLOR`). */
export function parseCliArgs(argv: readonly string[], colorAllowed: boolean): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        repo: { type: 'string' },
        config: { type: 'string' },
        env: { type: 'string', multiple: true },
        base: { type: 'string' },
        head: { type: 'string' },
        kubeconfig: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        image: { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        commit: { type: 'boolean' },
        heal: { type: 'boolean' },
        'force-prune': { type: 'boolean' },
        'render-only': { type: 'boolean' },
        markdown: { type: 'string' },
        'require-cluster': { type: 'boolean' },
        version: { type: 'boolean' },
        json: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        verbose: { type: 'boolean', short: 'v' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UserError((error as Error).message, 'Run `slipway --help` for the options.');
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.version) throw new VersionRequest();
  if (command && (CLI_COMMANDS as readonly string[]).includes(command) && values.help) throw new UsageRequest(command as CliCommand);
  if (values.help || !command) throw new UsageRequest();
  if (!(CLI_COMMANDS as readonly string[]).includes(command)) {
    throw new UserError(`Unknown command '${command}'.`, `Commands: ${CLI_COMMANDS.join(', ')}.`);
  }
  if (positionals.length > 1) throw new UserError(`Unexpected argument '${positionals[1]}'.`, 'Run `slipway --help`.');
  const args: CliArgs = {
    command: command as CliCommand,
    repo: values.repo ?? process.cwd(),
    config: values.config ?? 'slipway.yaml',
    environments: values.env?.flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean),
    base: values.base,
    head: values.head,
    kubeconfig: values.kubeconfig,
    from: values.from,
    to: values.to,
    images: parseImageRequests(values.image ?? [], '--image'),
    dryRun: values['dry-run'] ?? false,
    commit: values.commit ?? false,
    heal: values.heal ?? false,
    forcePrune: values['force-prune'] ?? false,
    renderOnly: values['render-only'] ?? false,
    markdown: values.markdown,
    requireCluster: values['require-cluster'] ?? false,
    json: values.json ?? false,
    color: colorAllowed && !values['no-color'],
    verbose: values.verbose ?? false,
    timeout: values.timeout,
  };
  if (args.command === 'diff' && args.renderOnly && !args.base) {
    throw new UserError('diff --render-only needs --base REF to compare with.');
  }
  if (args.markdown !== undefined && args.command !== 'diff') {
    throw new UserError(`--markdown is an option of diff, not of ${args.command}.`);
  }
  if (args.renderOnly && args.requireCluster) {
    throw new UserError('--render-only and --require-cluster contradict each other.', 'Use one: --render-only never asks the cluster, --require-cluster insists on it.');
  }
  if (args.command === 'apply' && !args.environments?.length) {
    throw new UserError('apply needs --env NAME.', 'Name the environment to deploy, e.g. `slipway apply --env dev`.');
  }
  if (args.command === 'rollback' && args.environments?.length !== 1) {
    throw new UserError(`rollback needs exactly one --env NAME${args.environments?.length ? `, got ${args.environments.join(', ')}` : ''}.`, 'Name the environment to roll back, e.g. `slipway rollback --env prod`.');
  }
  if (args.command === 'rollback' && args.dryRun) {
    throw new UserError('rollback has no --dry-run.', 'To see what it would change, diff the environment against the commit it runs: `slipway diff --env NAME --head COMMIT`.');
  }
  if (args.command === 'promote' && !args.to) {
    throw new UserError('promote needs --to ENV.', 'e.g. `slipway promote --from dev --to staging`.');
  }
  return args;
}

/** `--help`, or no command: print usage (of one command, when named) and exit 0. */
export class UsageRequest extends Error {
  constructor(readonly command?: CliCommand) {
    super('usage');
  }
}

/** `--version`: print the version and exit 0. */
export class VersionRequest extends Error {}

/** The command named in argv, for a JSON error object when parsing fails. */
export function commandIn(argv: readonly string[]): string | undefined {
  return argv.find((a) => (CLI_COMMANDS as readonly string[]).includes(a));
}
