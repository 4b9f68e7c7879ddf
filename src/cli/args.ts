/** Command-line arguments, parsed once into a typed object. */
import { parseArgs } from 'node:util';
import { UserError } from '../model/errors.js';
import { parseImageRequests, type ImageRequest } from '../promote/select-images.js';

export const CLI_COMMANDS = ['validate', 'plan', 'diff', 'apply', 'promote', 'drift', 'init'] as const;
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
  json: boolean;
  color: boolean;
  /** Also print which tools (path and version) the run uses. */
  verbose: boolean;
  timeout?: string;
}

export const USAGE = `Usage: slipway <command> [options]

Commands:
  validate                 render and validate environments offline
  plan                     print the affected environments as JSON (for a job matrix)
  diff --base REF          show what would change (against the cluster, or the base render)
  apply --env NAME         deploy an environment: apply, prune, wait
  promote --from A --to B  move image tags from A's directory into B's
  drift                    compare every environment with its cluster
  init                     write a starting slipway.yaml from the repository's layout

Options:
  --repo DIR          repository root (default: current directory)
  --config FILE       pipeline config, relative to the repository (default: slipway.yaml)
  --env NAME          environment (repeatable; default: all, or the affected ones)
  --base REF          commit to compare against (diff, plan)
  --head REF          commit to render (default: the working tree)
  --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
  --render-only       diff base render vs head render, without a cluster
  --markdown FILE     diff: also write the pull request comment (Markdown) to FILE
  --image NAME[=TAG]  promotion filter or pin (repeatable)
  --dry-run           change nothing in clusters or Git
  --commit            promote: commit the edit locally, never pushed (default: edit the working tree only)
  --heal              drift: re-apply drifted environments
  --force-prune       prune even past the configured share of deletions
  --timeout DURATION  how long to wait for health, e.g. 5m
  --json              machine-readable output
  --no-color          plain output
  --verbose, -v       also print which kubectl, kustomize, helm and git are used, and their versions
`;

export function parseCliArgs(argv: readonly string[], isTty: boolean): CliArgs {
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
  if (values.help || !command) throw new UsageRequest();
  if (!(CLI_COMMANDS as readonly string[]).includes(command)) {
    throw new UserError(`unknown command '${command}'`, `Commands: ${CLI_COMMANDS.join(', ')}.`);
  }
  if (positionals.length > 1) throw new UserError(`unexpected argument '${positionals[1]}'`, 'Run `slipway --help`.');
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
    json: values.json ?? false,
    color: isTty && !values['no-color'] && !process.env.NO_COLOR,
    verbose: values.verbose ?? false,
    timeout: values.timeout,
  };
  if (args.command === 'diff' && args.renderOnly && !args.base) {
    throw new UserError('diff --render-only needs --base REF to compare with');
  }
  if (args.markdown !== undefined && args.command !== 'diff') {
    throw new UserError(`--markdown is an option of diff, not of ${args.command}`);
  }
  if (args.command === 'apply' && !args.environments?.length) {
    throw new UserError('apply needs --env NAME', 'Name the environment to deploy, e.g. `slipway apply --env dev`.');
  }
  if (args.command === 'promote' && !args.to) {
    throw new UserError('promote needs --to ENV', 'e.g. `slipway promote --from dev --to staging`.');
  }
  return args;
}

/** `--help`, or no command: print usage and exit 0. */
export class UsageRequest extends Error {}
