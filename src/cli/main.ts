/**
 * `slipway` on a terminal: the same flows as the action, with the local kubeconfig and Git.
 * Exit codes: 0 success, 1 problems found or a failed deploy, 2 wrong usage or setup.
 */
import { hostname, userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { initConfig } from '../init/init.js';
import type { PreviewResult } from '../flows/preview.js';
import { renderPreviewComment } from '../report/preview-comment.js';
import { loadConfig } from '../config/load.js';
import { SecretMask } from '../exec/secrets.js';
import { errorMessage, UserError } from '../model/errors.js';
import type { Intent } from '../plan/intent.js';
import { createClusterPort, createRenderer, renderDiff, validator } from '../flows/adapters.js';
import type { Log } from '../flows/log.js';
import { runIntent, type RunOutcome } from '../flows/run.js';
import { createPromotionPort } from '../flows/promotion.js';
import { gitHistory } from '../flows/git-history.js';
import { Git } from '../exec/git.js';
import { processRunner, type CommandRunner } from '../exec/run.js';
import { requireDuration } from '../config/duration.js';
import { CLI_SETTING_NAMES } from '../model/setting-names.js';
import { commandIn, parseCliArgs, UsageRequest, VersionRequest, type CliArgs } from './args.js';
import { commandHelp, USAGE } from './help.js';
import { packageVersion } from '../exec/package.js';
import { printOutcome } from './print.js';
import { rollbackCommand } from './rollback.js';
import { describeTools } from './tool-report.js';
import { cliLockHolder, randomSuffix } from '../kube/lock-holder.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTty: boolean;
  /** stderr is a terminal: progress lines (rendering, applying, waiting) go there. */
  stderrIsTty?: boolean;
  /** The environment the command runs in ($KUBECONFIG, PATH, NO_COLOR); default this process's. */
  env?: Readonly<Record<string, string | undefined>>;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
  stderrIsTty: Boolean(process.stderr.isTTY),
  env: process.env,
};

/** `signal`: aborted by the entry on SIGTERM/SIGINT, so a held deploy lock is released before the process ends. */
export async function runCli(argv: readonly string[], terminal: CliIo = processIo, signal?: AbortSignal): Promise<number> {
  const env = terminal.env ?? process.env;
  // One mask per command: the kubeconfig's credentials are registered as it is read; all output passes it.
  const secrets = new SecretMask();
  const io = maskedIo(terminal, secrets);
  let args: CliArgs;
  try {
    args = parseCliArgs(argv, io.isTty && !env.NO_COLOR);
  } catch (error) {
    if (error instanceof UsageRequest) {
      io.stdout(error.command ? commandHelp(error.command) : USAGE);
      return 0;
    }
    if (error instanceof VersionRequest) {
      io.stdout(`${packageVersion()}\n`);
      return 0;
    }
    return fatal(io, secrets, argv.includes('--json'), commandIn(argv), error);
  }
  const log = terminalLog(io, args.json);
  const runner = processRunner(env, secrets);
  try {
    if (args.command === 'init') return await init(args, io);
    if (args.command === 'rollback') {
      const kubeconfig = args.kubeconfig ? readKubeconfigFlag(args.kubeconfig) : undefined;
      const holder = cliLockHolder(safeUser(), hostname(), { pid: process.pid, suffix: randomSuffix() });
      return await rollbackCommand(args, io, { log, runner, kubeconfig, kubeconfigPaths: env.KUBECONFIG, secrets, holder, signal });
    }
    const outcome = await execute(args, log, runner, secrets, env.KUBECONFIG, signal);
    printOutcome(secrets.maskAll(outcome), args, io);
    if (args.markdown && outcome.command === 'preview') await writePreviewMarkdown(args, outcome.preview, io, runner, secrets);
    return outcome.command === 'skip' || outcome.ok ? 0 : 1;
  } catch (error) {
    return fatal(io, secrets, args.json, args.command, error);
  }
}

/** What the command prints, masked: every line to stdout and stderr passes the run's mask. */
function maskedIo(io: CliIo, secrets: SecretMask): CliIo {
  return { ...io, stdout: (text) => io.stdout(secrets.mask(text)), stderr: (text) => io.stderr(secrets.mask(text)) };
}

/** Usage and setup errors: exit 2, on stderr (and as a JSON object on stdout with --json). */
function fatal(io: CliIo, secrets: SecretMask, json: boolean, command: string | undefined, error: unknown): number {
  const unexpected = !(error instanceof UserError);
  if (json) {
    const message = error instanceof UserError && error.hint ? error.message.slice(0, -(error.hint.length + 3)) : errorMessage(error);
    const body = { command: command ?? null, ok: false, exitCode: 2, error: { message, ...(error instanceof UserError && error.hint ? { hint: error.hint } : {}), ...(unexpected ? { unexpected: true } : {}) } };
    io.stdout(`${JSON.stringify(secrets.maskAll(body), null, 2)}\n`);
  }
  io.stderr(`slipway: ${errorMessage(error)}\n`);
  if (unexpected) io.stderr('This is unexpected; please report it with the command you ran.\n');
  return 2;
}

/** `--kubeconfig FILE`: one sentence naming the file when it cannot be used, never ENOENT. */
function readKubeconfigFlag(path: string): string {
  const file = isAbsolute(path) ? path : resolve(path);
  if (!existsSync(file)) {
    throw new UserError(`--kubeconfig ${path}: the file ${file} does not exist.`, 'Pass the path of an existing kubeconfig, or leave --kubeconfig out to use $KUBECONFIG, else ~/.kube/config.');
  }
  if (!statSync(file).isFile()) throw new UserError(`--kubeconfig ${path}: ${file} is not a file.`, 'Pass the path of a kubeconfig file.');
  return readFileSync(file, 'utf8');
}

/** `kubeconfigPaths`: the value of $KUBECONFIG. */
async function execute(args: CliArgs, log: Log, runner: CommandRunner, secrets: SecretMask, kubeconfigPaths: string | undefined, signal: AbortSignal | undefined): Promise<RunOutcome> {
  const root = resolve(args.repo);
  const config = await loadConfig(root, args.config, CLI_SETTING_NAMES);
  if (args.verbose) for (const line of await describeTools(config.tools, root, runner)) log.info(`tool ${line}`);
  const kubeconfig = args.kubeconfig ? readKubeconfigFlag(args.kubeconfig) : undefined;
  const git = Git.forRepository(runner, root, config.tools);
  const renderer = createRenderer(config, runner, { git });
  const cluster = await createClusterPort({ kubeconfig, kubeconfigPaths, secrets, kubeconfigSource: args.kubeconfig && `--kubeconfig ${args.kubeconfig}`, kubeconfigSetting: '--kubeconfig FILE', log });
  const timeoutMs = args.timeout ? requireDuration(args.timeout, '--timeout') : undefined;
  const holder = cliLockHolder(safeUser(), hostname(), { pid: process.pid, suffix: randomSuffix() });
  const ports = {
    renderer,
    validator,
    cluster,
    renderDiff,
    // --commit commits locally: pushing (and so deploying) stays a separate, deliberate step.
    promotion: createPromotionPort({ root, git, renderer, config, log, mode: args.commit ? 'commit' : 'working-tree', push: false, names: CLI_SETTING_NAMES }),
    history: gitHistory(git),
    resolveRef: (ref: string) => git.revParse(ref),
    mergeBase: (a: string, b: string) => git.mergeBase(a, b),
    log,
  };
  const intent = intentOf(args);
  try {
    return await runIntent(intent, config, {
      dryRun: args.dryRun,
      timeoutMs,
      holder,
      forcePrune: args.forcePrune,
      from: args.from,
      to: args.to,
      images: args.images,
      names: CLI_SETTING_NAMES,
      promoteAfterDeploy: false,
      heal: args.heal,
      signal,
      clusterDeniedReason: args.renderOnly ? '--render-only: compared with the base render' : undefined,
      requireCluster: args.requireCluster,
    }, ports);
  } finally {
    await renderer.dispose?.();
  }
}

/** `slipway init`: propose a slipway.yaml from the layout; never overwrite one. */
async function init(args: CliArgs, io: CliIo): Promise<number> {
  const result = await initConfig(resolve(args.repo), args.config, { dryRun: args.dryRun, names: CLI_SETTING_NAMES });
  if (args.json) {
    io.stdout(`${JSON.stringify({ command: 'init', file: result.file, written: result.written, environments: result.environments }, null, 2)}\n`);
    return 0;
  }
  io.stdout(result.text);
  io.stderr(
    result.written
      ? `\nWrote ${result.file} with ${result.environments.length} environment(s). Check it, then run \`slipway validate\`.\n`
      : `\n--dry-run: ${result.file} was not written.\n`,
  );
  return 0;
}

/** `diff --markdown FILE`: the preview comment exactly as the action posts it on a pull request. */
async function writePreviewMarkdown(args: CliArgs, preview: PreviewResult, io: CliIo, runner: CommandRunner, secrets: SecretMask): Promise<void> {
  const root = resolve(args.repo);
  const headSha = await Git.forRepository(runner, root, {}).revParse(args.head ?? 'HEAD').catch(() => 'working tree');
  const file = resolve(args.markdown!);
  await writeFile(file, renderPreviewComment({ environments: preview.environments, headSha }, secrets));
  io.stderr(`Preview comment written to ${file}\n`);
}

function intentOf(args: CliArgs): Intent {
  const environments = args.environments?.length ? args.environments : undefined;
  switch (args.command) {
    case 'validate':
      return { command: 'validate', head: args.head, environments, reason: 'command line' };
    case 'plan':
      return { command: 'plan', base: args.base, head: args.head, environments, reason: 'command line' };
    case 'diff':
      // Without --base every environment counts as affected and is diffed against its cluster.
      return { command: 'preview', base: args.base, head: args.head, environments, reason: 'command line' };
    case 'apply':
      return { command: 'deploy', environments, reason: 'command line' };
    case 'promote':
      return { command: 'promote', environments: args.to ? [args.to] : undefined, reason: 'command line' };
    case 'drift':
      return { command: 'drift', environments: environments ?? 'all', reason: 'command line' };
    case 'init':
    case 'rollback':
      throw new UserError(`${args.command} does not run the pipeline.`); // handled before the pipeline starts
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'slipway';
  }
}

function terminalLog(io: CliIo, quiet: boolean): Log {
  const write = (prefix: string, message: string) => io.stderr(`${prefix}${message}\n`);
  return {
    info: (message) => (quiet ? undefined : write('', message)),
    warning: (message) => write('warning: ', message),
    error: (message) => write('error: ', message),
    // Progress lines are for a person watching: only when stderr is a terminal.
    group: async (title, work) => {
      if (!quiet && io.stderrIsTty) write('== ', title);
      return work();
    },
  };
}
