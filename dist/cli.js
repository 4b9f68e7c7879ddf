#!/usr/bin/env node
import { hostname, userInfo } from 'node:os';
import { resolve, isAbsolute } from 'node:path';
import { readFileSync } from 'node:fs';
import { U as UserError, c as countChanges, d as describeRef, m as maskSecrets, f as formatFindingsText, e as errorMessage, l as loadConfig, G as Git, p as processRunner, a as createRenderer, r as requireDuration, b as createPromotionPort, g as runIntent, h as renderDiff, v as validator, i as createClusterPort } from './chunks/findings.js';
import { parseArgs } from 'node:util';
import 'node:crypto';
import 'node:buffer';
import 'node:https';
import 'node:http';
import 'node:tls';
import 'node:net';
import 'node:assert';
import 'node:stream';
import 'node:querystring';
import 'node:events';
import 'node:diagnostics_channel';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:sqlite';
import 'node:stream/web';
import 'node:async_hooks';
import 'node:url';
import 'node:console';
import 'node:fs/promises';
import 'node:timers';
import 'node:dns';
import 'node:child_process';
import 'vm';
import 'url';
import 'events';
import 'net';
import 'buffer';
import 'stream';
import 'http';
import 'https';
import 'tty';
import 'util';
import 'os';
import 'dns';
import 'tls';
import 'node:readline';
import 'node:timers/promises';
import 'querystring';
import 'crypto';
import 'zlib';
import 'fs';
import 'path';
import 'process';

/** Command-line arguments, parsed once into a typed object. */
const CLI_COMMANDS = ['validate', 'plan', 'diff', 'apply', 'promote', 'drift'];
const USAGE = `Usage: slipway <command> [options]

Commands:
  validate                 render and validate environments offline
  plan                     print the affected environments as JSON (for a job matrix)
  diff --base REF          show what would change (against the cluster, or the base render)
  apply --env NAME         deploy an environment: apply, prune, wait
  promote --from A --to B  move image tags from A's directory into B's
  drift                    compare every environment with its cluster

Options:
  --repo DIR          repository root (default: current directory)
  --config FILE       pipeline config, relative to the repository (default: slipway.yaml)
  --env NAME          environment (repeatable; default: all, or the affected ones)
  --base REF          commit to compare against (diff, plan)
  --head REF          commit to render (default: the working tree)
  --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG or ~/.kube/config)
  --render-only       diff base render vs head render, without a cluster
  --image NAME[=TAG]  promotion filter or pin (repeatable)
  --dry-run           change nothing in clusters or Git
  --commit            promote: commit the edit locally, never pushed (default: edit the working tree only)
  --heal              drift: re-apply drifted environments
  --force-prune       prune even past the configured share of deletions
  --timeout DURATION  how long to wait for health, e.g. 5m
  --json              machine-readable output
  --no-color          plain output
`;
function parseCliArgs(argv, isTty) {
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
                json: { type: 'boolean' },
                'no-color': { type: 'boolean' },
                timeout: { type: 'string' },
                help: { type: 'boolean', short: 'h' },
            },
        });
    }
    catch (error) {
        throw new UserError(error.message, 'Run `slipway --help` for the options.');
    }
    const { values, positionals } = parsed;
    const command = positionals[0];
    if (values.help || !command)
        throw new UsageRequest();
    if (!CLI_COMMANDS.includes(command)) {
        throw new UserError(`unknown command '${command}'`, `Commands: ${CLI_COMMANDS.join(', ')}.`);
    }
    if (positionals.length > 1)
        throw new UserError(`unexpected argument '${positionals[1]}'`, 'Run `slipway --help`.');
    const args = {
        command: command,
        repo: values.repo ?? process.cwd(),
        config: values.config ?? 'slipway.yaml',
        environments: values.env?.flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean),
        base: values.base,
        head: values.head,
        kubeconfig: values.kubeconfig,
        from: values.from,
        to: values.to,
        images: values.image ?? [],
        dryRun: values['dry-run'] ?? false,
        commit: values.commit ?? false,
        heal: values.heal ?? false,
        forcePrune: values['force-prune'] ?? false,
        renderOnly: values['render-only'] ?? false,
        json: values.json ?? false,
        color: isTty && !values['no-color'] && !process.env.NO_COLOR,
        timeout: values.timeout,
    };
    if (args.command === 'diff' && args.renderOnly && !args.base) {
        throw new UserError('diff --render-only needs --base REF to compare with');
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
class UsageRequest extends Error {
}

/**
 * Change sets for a terminal (`slipway diff`): one header per environment, one line per changed
 * object, then its diff; coloured (green +, red -, cyan @@) only when the output is a TTY.
 */
const RESET = '\u001b[0m';
const BOLD = '\u001b[1m';
const RED = '\u001b[31m';
const GREEN = '\u001b[32m';
const YELLOW = '\u001b[33m';
const CYAN = '\u001b[36m';
const DIM = '\u001b[2m';
const ACTION_COLOR = { create: GREEN, update: YELLOW, delete: RED, unchanged: DIM, error: RED };
const ACTION_SIGN = { create: '+', update: '~', delete: '-', unchanged: '=', error: '!' };
function formatChangeSet(changeSet, options) {
    const paint = (code, text) => (options.color ? `${code}${text}${RESET}` : text);
    const c = countChanges(changeSet.entries);
    const against = changeSet.mode === 'cluster' ? 'against the cluster' : 'against the base render';
    const lines = [
        paint(BOLD, `${changeSet.environment} (${against}): ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.unchanged} unchanged${c.error ? `, ${c.error} failed` : ''}`),
    ];
    for (const entry of changeSet.entries) {
        if (entry.action === 'unchanged' && !options.showUnchanged)
            continue;
        const notes = [entry.pruneProtected ? 'pruning disabled: kept' : '', entry.message ?? ''].filter(Boolean).join('; ');
        lines.push(paint(ACTION_COLOR[entry.action], `${ACTION_SIGN[entry.action]} ${entry.action} ${describeRef(entry.ref)}`) + (notes ? ` ${paint(DIM, `(${notes})`)}` : ''));
        if (entry.diff)
            lines.push(...entry.diff.replace(/\n$/, '').split('\n').map((line) => `    ${colourDiffLine(line, options.color)}`));
    }
    if (changeSet.entries.every((e) => e.action === 'unchanged'))
        lines.push('  no changes');
    return maskSecrets(`${lines.join('\n')}\n`);
}
function colourDiffLine(line, color) {
    if (!color)
        return line;
    if (line.startsWith('+++') || line.startsWith('---'))
        return `${BOLD}${line}${RESET}`;
    if (line.startsWith('+'))
        return `${GREEN}${line}${RESET}`;
    if (line.startsWith('-'))
        return `${RED}${line}${RESET}`;
    if (line.startsWith('@@'))
        return `${CYAN}${line}${RESET}`;
    return line;
}

/** What the CLI prints for each command's outcome: to stdout, readable (or JSON with --json). */
function printOutcome(outcome, args, io) {
    const out = (text) => io.stdout(maskSecrets(text));
    if (args.json && outcome.command !== 'plan') {
        out(`${JSON.stringify(jsonOf(outcome), null, 2)}\n`);
        return;
    }
    switch (outcome.command) {
        case 'skip':
            out(`Nothing to do: ${outcome.reason}\n`);
            return;
        case 'validate': {
            const findings = outcome.validations.flatMap((v) => v.findings);
            out(formatFindingsText(findings, { color: args.color }));
            const objects = outcome.validations.reduce((n, v) => n + v.render.objects.length, 0);
            out(`${outcome.validations.length} environment(s), ${objects} object(s) checked.\n`);
            return;
        }
        case 'plan':
            out(`${JSON.stringify(outcome.affected)}\n`);
            return;
        case 'preview': {
            for (const env of outcome.preview.environments) {
                out(`\n# ${env.name}${env.mode === 'render' ? ` (compared with the base render${env.note ? `: ${env.note}` : ''})` : ' (against the cluster)'}\n`);
                if (env.findings.length)
                    out(formatFindingsText(env.findings, { color: args.color }));
                if (env.error)
                    out(`error: ${env.error}\n`);
                if (env.changeSet)
                    out(formatChangeSet(env.changeSet, { color: args.color }));
            }
            if (outcome.preview.environments.length === 0)
                out('No environment changes.\n');
            return;
        }
        case 'deploy':
            printDeploy(outcome.deploy, args, out);
            return;
        case 'drift':
            for (const env of outcome.drift) {
                if (env.error)
                    out(`${env.name}: error: ${env.error}\n`);
                else if (!env.drifted)
                    out(`${env.name}: in sync\n`);
                else {
                    const counts = countChanges(env.changeSet?.entries ?? []);
                    out(`${env.name}: drifted (${counts.create} missing, ${counts.update} changed, ${counts.delete} not in Git)${env.healed ? ', re-applied' : ''}\n`);
                    if (env.changeSet)
                        out(formatChangeSet(env.changeSet, { color: args.color }));
                }
            }
            return;
        case 'promote': {
            const p = outcome.promotion;
            if (p.changes.length === 0)
                out(`${p.target}: already up to date.\n`);
            for (const c of p.changes)
                out(`${c.file}:${c.line}  ${c.image}  ${c.from ?? '(unset)'} -> ${c.to}\n`);
            if (p.diff)
                out(`\n${p.diff}`);
            if (p.commit)
                out(`committed ${p.commit}\n`);
            if (p.pullRequestUrl)
                out(`pull request: ${p.pullRequestUrl}\n`);
            if (outcome.deploy)
                printDeploy(outcome.deploy, args, out);
            return;
        }
    }
}
function printDeploy(deploy, args, out) {
    if (deploy.blockingFindings.length) {
        out(formatFindingsText(deploy.blockingFindings, { color: args.color }));
        out('Validation failed: nothing was deployed.\n');
        return;
    }
    for (const env of deploy.environments) {
        const counts = env.changeSet ? countChanges(env.changeSet.entries) : undefined;
        const summary = counts ? ` (${counts.create} created, ${counts.update} updated, ${counts.delete} deleted, ${counts.unchanged} unchanged)` : '';
        out(`${env.name}: ${env.status}${summary}${env.reason ? ` - ${env.reason}` : ''}\n`);
        if (env.status === 'planned' && env.changeSet)
            out(formatChangeSet(env.changeSet, { color: args.color }));
        if (env.error)
            out(`  ${env.error}\n`);
        for (const f of env.health?.failing ?? []) {
            out(`  ${f.ref.kind}/${f.ref.name}: ${f.status}: ${f.message}\n`);
            for (const e of f.events)
                out(`    ${e}\n`);
        }
    }
}
/** The outcome without live or desired objects (which may hold Secret values). */
function jsonOf(outcome) {
    return JSON.parse(JSON.stringify(outcome, (key, value) => (key === 'live' || key === 'desired' || key === 'render' ? undefined : value)));
}

/**
 * `slipway` on a terminal: the same flows as the action, with the local kubeconfig and Git.
 * Exit codes: 0 success, 1 problems found or a failed deploy, 2 wrong usage or setup.
 */
const processIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: Boolean(process.stdout.isTTY),
};
async function runCli(argv, io = processIo) {
    let args;
    try {
        args = parseCliArgs(argv, io.isTty);
    }
    catch (error) {
        if (error instanceof UsageRequest) {
            io.stdout(USAGE);
            return 0;
        }
        io.stderr(`slipway: ${maskSecrets(errorMessage(error))}\n`);
        return 2;
    }
    const log = terminalLog(io, args.json);
    try {
        const outcome = await execute(args, log);
        printOutcome(outcome, args, io);
        return outcome.command === 'skip' || outcome.ok ? 0 : 1;
    }
    catch (error) {
        io.stderr(`slipway: ${maskSecrets(errorMessage(error))}\n`);
        if (!(error instanceof UserError))
            io.stderr('This is unexpected; please report it with the command you ran.\n');
        return 2;
    }
}
async function execute(args, log) {
    const root = resolve(args.repo);
    const config = await loadConfig(root, args.config);
    const kubeconfig = args.kubeconfig ? readFileSync(isAbsolute(args.kubeconfig) ? args.kubeconfig : resolve(args.kubeconfig), 'utf8') : undefined;
    const git = Git.forRepository(processRunner, root, config.tools);
    const renderer = createRenderer(config);
    const cluster = createClusterPort({ kubeconfig, log });
    const timeoutMs = args.timeout ? requireDuration(args.timeout, '--timeout') : undefined;
    const holder = `${safeUser()}@${hostname()}`;
    const ports = {
        renderer,
        validator,
        cluster,
        renderDiff,
        // --commit commits locally: pushing (and so deploying) stays a separate, deliberate step.
        promotion: createPromotionPort({ root, config, log, mode: args.commit ? 'commit' : 'working-tree', push: false }),
        resolveRef: (ref) => git.revParse(ref),
        mergeBase: (a, b) => git.mergeBase(a, b),
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
            promoteAfterDeploy: false,
            heal: args.heal,
            clusterDeniedReason: args.renderOnly ? '--render-only: compared with the base render' : undefined,
        }, ports);
    }
    finally {
        await renderer.dispose?.();
    }
}
function intentOf(args) {
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
    }
}
function safeUser() {
    try {
        return userInfo().username;
    }
    catch {
        return 'slipway';
    }
}
function terminalLog(io, quiet) {
    const write = (prefix, message) => io.stderr(`${prefix}${maskSecrets(message)}\n`);
    return {
        info: (message) => (quiet ? undefined : write('', message)),
        warning: (message) => write('warning: ', message),
        error: (message) => write('error: ', message),
        group: async (title, work) => {
            if (!quiet)
                write('== ', title);
            return work();
        },
    };
}

// Command-line entry: `slipway <command>` (see src/cli/args.ts for the options).
process.exitCode = await runCli(process.argv.slice(2));
