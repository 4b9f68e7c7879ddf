/** `slipway --help` and `slipway <command> --help`: each command lists its own options. */
import type { CliCommand } from './args.js';

const EXIT_CODES = `Exit codes:
  0  success
  1  findings (validation errors), drift, or a failed deploy
  2  wrong usage or setup (config, kubeconfig, missing tool, Git)
`;

const COMMON = `  --repo DIR          repository root (default: current directory)
  --config FILE       pipeline config, relative to the repository (default: slipway.yaml)
  --json              machine-readable output on stdout (errors too)
  --no-color          plain output
  -v, --verbose       also print which kubectl, kustomize, helm and git are used, and their versions
  -h, --help          this help`;

interface CommandHelp {
  usage: string;
  summary: string;
  options: string;
}

const COMMANDS: Record<CliCommand, CommandHelp> = {
  validate: {
    usage: 'slipway validate [--env NAME] [--head REF]',
    summary: 'Render and validate environments offline.',
    options: `  --env NAME          environment (repeatable, or comma-separated; default: all)
  --head REF          commit to render (default: the working tree)`,
  },
  plan: {
    usage: 'slipway plan [--base REF] [--head REF] [--env NAME]',
    summary: 'Print the environments a change affects, as a JSON array (for a job matrix).',
    options: `  --base REF          commit to compare against (default: none, every environment counts)
  --head REF          commit to render (default: the working tree)
  --env NAME          only these environments (repeatable)`,
  },
  diff: {
    usage: 'slipway diff [--base REF] [--env NAME] [--render-only | --require-cluster]',
    summary:
      'Show what would change: against the cluster (server-side dry-run) where the kubeconfig reaches it,\notherwise against the base render, saying so.',
    options: `  --base REF          commit to compare against (the base render, and which environments are affected)
  --head REF          commit to render (default: the working tree)
  --env NAME          only these environments (repeatable); only they are rendered
  --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
  --render-only       compare the base render with the head render, without a cluster (needs --base)
  --markdown FILE     also write the pull request comment (Markdown), as the action posts it, to FILE
  --require-cluster   fail where the cluster cannot be asked, instead of falling back to the render diff`,
  },
  apply: {
    usage: 'slipway apply --env NAME [--dry-run]',
    summary: 'Deploy an environment with the local kubeconfig: apply, prune, wait until healthy.',
    options: `  --env NAME          environment to deploy (required; repeatable)
  --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
  --dry-run           show the plan, write nothing
  --force-prune       prune even past the configured share of deletions (prune.maxShare)
  --timeout DURATION  how long to wait for health, e.g. 5m`,
  },
  promote: {
    usage: 'slipway promote --to ENV [--from ENV] [--image NAME[=TAG]] [--dry-run] [--commit]',
    summary: "Move image versions from one environment's directory into another's.",
    options: `  --to ENV            target environment (required)
  --from ENV          source environment (default: the target's promoteFrom)
  --image NAME        promote only this image (repeatable); NAME=TAG, NAME:TAG or NAME@sha256:... pins a
                      version, which needs no source
  --dry-run           print the edits, change nothing
  --commit            commit the edit locally, never pushed (default: edit the working tree only)`,
  },
  drift: {
    usage: 'slipway drift [--env NAME] [--heal]',
    summary: 'Compare every environment with its cluster.',
    options: `  --env NAME          only these environments (repeatable; default: all)
  --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
  --heal              re-apply drifted environments
  --dry-run           with --heal: show what would be re-applied
  --timeout DURATION  how long to wait for health, e.g. 5m`,
  },
  rollback: {
    usage: 'slipway rollback --env NAME',
    summary:
      'Re-apply the last healthy deploy of an environment (the commit recorded on its ApplySet parent) and wait for it.\nObjects created since that deploy are pruned; objects that existed before are kept. Exit 1 when there is\nnothing recorded to roll back to, or the rollback fails.',
    options: `  --env NAME          environment to roll back (required, one)
  --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
  --timeout DURATION  how long to wait for health, e.g. 5m (default: the environment's wait.timeout)`,
  },
  init: {
    usage: 'slipway init [--config FILE] [--dry-run]',
    summary: "Write a starting slipway.yaml from the repository's layout (never overwrites a file).",
    options: `  --dry-run           print the proposed config, write nothing`,
  },
};

export const USAGE = `Usage: slipway <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}`)
  .join('\n')}

Options of every command:
${COMMON}
  --version           print the version

Run \`slipway <command> --help\` for the options of one command.

${EXIT_CODES}`;

export function commandHelp(command: CliCommand): string {
  const help = COMMANDS[command];
  return `Usage: ${help.usage}

${help.summary}

Options:
${help.options}
${COMMON}

${EXIT_CODES}`;
}
