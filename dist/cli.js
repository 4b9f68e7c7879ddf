#!/usr/bin/env node
import { hostname, userInfo } from 'node:os';
import { posix, join, resolve, isAbsolute } from 'node:path';
import { existsSync, statSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { d as distExports, K as KUSTOMIZATION_FILES, U as UserError, l as loadConfig, p as parseImageRequests, c as countChanges, i as ignoredFieldsNote, s as summarizeChangeSet, a as describeRef, f as formatFindingsText, O as OBJECT_BODY_FIELDS, r as resultCounts, b as rollbackText, e as selectEnvironments, g as requireDuration, G as Git, h as createRenderer, j as createClusterPort, k as runRollback, m as gitHistory, n as rollbackJson, C as CLI_SETTING_NAMES, o as findTool, q as locateKustomize, t as packageVersion, u as cliLockHolder, v as randomSuffix, S as SecretMask, w as errorMessage, x as processRunner, y as createPromotionPort, z as runIntent, A as renderDiff, B as validator, D as renderPreviewComment, E as cancelOnSignals } from './chunks/shared.js';
import { parseArgs } from 'node:util';
import 'node:http';
import 'node:https';
import 'node:http2';
import 'node:net';
import 'node:tls';
import 'node:crypto';
import 'process';
import 'buffer';
import 'node:child_process';
import 'node:url';

/**
 * The proposed environments as a commented `slipway.yaml`, for the user to read and check.
 * Pure: the same proposals always give the same text.
 */
const ENGINE_NOTE = {
    kustomize: 'kustomize overlay',
    helm: 'Helm chart',
    plain: 'plain manifests (subdirectories included; one holding a kustomization is built with kustomize)',
};
function configText(environments) {
    const lines = [
        '# Written by `slipway init` from this repository\'s layout. Check each environment:',
        '# its name, its path, the kubeconfig context it deploys to, and the promotion chain',
        '# (promoteFrom was guessed from the names). See the README, "Configuration".',
        'environments:',
    ];
    for (const env of environments) {
        lines.push(`  # ${ENGINE_NOTE[env.engine]}`);
        lines.push(`  - name: ${scalar(env.name)}`);
        lines.push(`    path: ${scalar(env.path)}`);
        lines.push(`    # context: ${env.name}-cluster   # the kubeconfig context of its cluster (default: the current context)`);
        if (env.valuesFiles)
            lines.push(`    helm: { valuesFiles: [${env.valuesFiles.map(scalar).join(', ')}] }`);
        if (env.promoteFrom) {
            const note = env.ambiguousSource ? 'guessed among several: check it' : 'guessed from the names';
            lines.push(`    promoteFrom: ${scalar(env.promoteFrom)}   # ${note}`);
        }
        if (env.promotion)
            lines.push(`    promotion: ${env.promotion}   # changes reach it through a pull request to review`);
    }
    lines.push('# defaults:                  # any environment key may also be set here for all of them', '#   kubernetesVersion: "1.33" # your clusters\' version: decides which API versions exist', '#   prune: true', '');
    return lines.join('\n');
}
/** A YAML scalar, quoted when plain would change its meaning. */
function scalar(value) {
    return distExports.stringify(value).trimEnd();
}

/**
 * Guesses where an environment sits in a promotion chain from its name: dev before qa before
 * staging before prod. Pure; `slipway init` prints the guess for the user to check.
 */
/** Name tokens by rank; an environment promotes from the nearest lower rank in its group. */
const STAGE_TOKENS = [
    ['dev', 'develop', 'development', 'sandbox', 'local'],
    ['test', 'testing', 'qa', 'int', 'integration', 'ci'],
    ['uat', 'stage', 'staging', 'stg', 'preprod', 'pre-prod', 'preproduction', 'demo'],
    ['prod', 'production', 'prd', 'live'],
];
function stageOf(name) {
    const compound = STAGE_TOKENS.findIndex((tokens) => tokens.some((token) => token.includes('-') && name.includes(token)));
    if (compound >= 0) {
        const token = STAGE_TOKENS[compound].find((candidate) => candidate.includes('-') && name.includes(candidate));
        return { name, rank: compound, group: name.replace(token, '').replace(/^-+|-+$/g, '').replace(/--+/g, '-') };
    }
    const parts = name.split(/[-_.]/);
    for (let index = parts.length - 1; index >= 0; index--) {
        const rank = STAGE_TOKENS.findIndex((tokens) => tokens.includes(parts[index]));
        if (rank >= 0)
            return { name, rank, group: parts.filter((_, at) => at !== index).join('-') };
    }
    return { name, group: name };
}
/** For each name, the environment it promotes from (nearest lower rank of the same group). */
function guessChain(names) {
    const staged = names.map(stageOf);
    const links = new Map();
    for (const env of staged) {
        const peers = staged.filter((other) => other.group === env.group && other.rank !== undefined && other.name !== env.name);
        if (env.rank === undefined || peers.length === 0) {
            links.set(env.name, { production: false, ambiguous: false });
            continue;
        }
        const lower = peers.filter((other) => other.rank < env.rank);
        const nearest = lower.length ? Math.max(...lower.map((other) => other.rank)) : undefined;
        const sources = lower.filter((other) => other.rank === nearest).map((other) => other.name).sort();
        links.set(env.name, {
            promoteFrom: sources[0],
            production: env.rank === STAGE_TOKENS.length - 1 && sources.length > 0,
            ambiguous: sources.length > 1,
        });
    }
    return links;
}

/**
 * From a repository's layout to the environments `slipway init` proposes: one per kustomize
 * entry point (an overlay no other kustomization builds on), per chart values file, and per
 * top directory of plain manifests. Pure, so every layout rule is a table test.
 */
/** Path segments that say how a directory is built rather than which environment it is. */
const GENERIC_SEGMENTS = new Set(['overlay', 'overlays', 'kustomize', 'manifests', 'k8s', 'kubernetes', 'deploy', 'deployment', 'envs', 'environments', 'clusters', 'helm', 'charts', 'chart']);
const MAX_NAME = 52;
function proposeEnvironments(layout) {
    const candidates = [...kustomizeCandidates(layout), ...chartCandidates(layout), ...plainCandidates(layout)];
    const names = uniqueNames(candidates);
    const chain = guessChain(names);
    return candidates.map((candidate, index) => {
        const name = names[index];
        const link = chain.get(name);
        return {
            name,
            path: candidate.path,
            engine: candidate.engine,
            ...(candidate.valuesFiles ? { valuesFiles: candidate.valuesFiles } : {}),
            ...(link.promoteFrom ? { promoteFrom: link.promoteFrom } : {}),
            ...(link.production ? { promotion: 'pull-request' } : {}),
            ambiguousSource: link.ambiguous,
        };
    });
}
function kustomizeCandidates(layout) {
    const referenced = new Set(layout.kustomizations.flatMap((k) => k.references));
    const plainRoots = layout.manifestDirs;
    return layout.kustomizations
        .filter((k) => !k.component && !referenced.has(k.path) && k.path !== '')
        // Inside a plain directory, a kustomization is built as part of it (as Flux does).
        .filter((k) => !plainRoots.some((dir) => isInside(k.path, dir)))
        .map((k) => ({ path: k.path, engine: 'kustomize', parts: segmentsOf(k.path) }));
}
function chartCandidates(layout) {
    return layout.charts.flatMap((chart) => {
        const chartParts = chart.path ? segmentsOf(chart.path) : [chart.name];
        if (chart.valuesFiles.length === 0)
            return [{ path: chart.path || '.', engine: 'helm', parts: chartParts }];
        return chart.valuesFiles.map((file) => ({
            path: chart.path || '.',
            engine: 'helm',
            parts: [file.replace(/^values[-._]/, '').replace(/\.ya?ml$/, ''), ...chartParts],
            valuesFiles: [file],
        }));
    });
}
function plainCandidates(layout) {
    const kustomizeDirs = layout.kustomizations.map((k) => k.path);
    return layout.manifestDirs
        .filter((dir) => dir !== '')
        // Patches and resources of a kustomization live in or below it.
        .filter((dir) => !kustomizeDirs.some((k) => isInside(dir, k)))
        // A plain environment reads its subdirectories, so only the top one is an environment.
        .filter((dir) => !layout.manifestDirs.some((other) => other !== dir && other !== '' && isInside(dir, other)))
        .map((dir) => ({ path: dir, engine: 'plain', parts: segmentsOf(dir) }));
}
function isInside(path, dir) {
    return dir === '' || path === dir || path.startsWith(`${dir}/`);
}
/** Path segments, most specific first, with the generic ones ("overlays", "k8s") left out. */
function segmentsOf(path) {
    const segments = path.split('/').reverse();
    const specific = segments.filter((segment) => !GENERIC_SEGMENTS.has(segment.toLowerCase()));
    return specific.length ? specific : [posix.basename(path)];
}
/** The shortest names that tell candidates apart: `prod`, else `shop-prod`, and so on. */
function uniqueNames(candidates) {
    const depth = candidates.map(() => 1);
    const nameAt = (index) => sanitize(candidates[index].parts
        .slice(0, depth[index])
        .reverse()
        .join('-'));
    for (let round = 0; round < 8; round++) {
        const names = candidates.map((_, index) => nameAt(index));
        let clash = false;
        names.forEach((name, index) => {
            if (names.filter((other) => other === name).length > 1 && depth[index] < candidates[index].parts.length) {
                depth[index]++;
                clash = true;
            }
        });
        if (!clash)
            break;
    }
    const names = candidates.map((_, index) => nameAt(index));
    const seen = new Map();
    return names.map((name) => {
        const count = (seen.get(name) ?? 0) + 1;
        seen.set(name, count);
        return count === 1 ? name : sanitize(`${name.slice(0, MAX_NAME - 3)}-${count}`);
    });
}
/** Environment names follow Kubernetes label rules (they become Lease names and labels). */
function sanitize(name) {
    const cleaned = name
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')
        .replace(/--+/g, '-')
        .slice(0, MAX_NAME)
        .replace(/^-+|-+$/g, '');
    return cleaned || 'env';
}

/**
 * Reads a repository's directories into the facts `slipway init` proposes environments from:
 * kustomizations (and what they reference), Helm charts (and their values files), and
 * directories that hold Kubernetes manifests directly. Read-only; symlinks are not followed.
 */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.github', '.tools', 'dist', 'vendor']);
const MAX_DEPTH = 8;
const MAX_MANIFEST_BYTES = 1024 * 1024;
async function scanRepository(root) {
    const layout = { kustomizations: [], charts: [], manifestDirs: [] };
    await scanDir(root, '', 0, layout);
    const sortByPath = (a, b) => a.path.localeCompare(b.path);
    layout.kustomizations.sort(sortByPath);
    layout.charts.sort(sortByPath);
    layout.manifestDirs.sort();
    return layout;
}
async function scanDir(root, rel, depth, layout) {
    if (depth > MAX_DEPTH)
        return;
    const entries = await readdir(join(root, rel), { withFileTypes: true }).catch(() => []);
    const files = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
    const kustomizationFile = KUSTOMIZATION_FILES.find((name) => files.includes(name));
    if (files.includes('Chart.yaml')) {
        layout.charts.push(await readChart(root, rel, files));
        return; // a chart's templates and subcharts are the chart's own business
    }
    if (kustomizationFile) {
        layout.kustomizations.push(await readKustomization(root, rel, kustomizationFile));
    }
    else if (await holdsManifests(root, rel, files)) {
        layout.manifestDirs.push(rel);
    }
    for (const entry of entries) {
        if (!entry.isDirectory() || entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name))
            continue;
        await scanDir(root, rel ? `${rel}/${entry.name}` : entry.name, depth + 1, layout);
    }
}
async function readChart(root, rel, files) {
    const chart = await readYaml(join(root, rel, 'Chart.yaml'));
    const name = typeof chart?.['name'] === 'string' ? chart['name'] : posix.basename(rel || 'chart');
    const valuesFiles = files.filter((file) => /^values[-._].+\.ya?ml$/.test(file) && file !== 'values.yaml' && file !== 'values.schema.json').sort();
    return { path: rel, name, valuesFiles };
}
async function readKustomization(root, rel, file) {
    const doc = await readYaml(join(root, rel, file));
    const listed = ['resources', 'components', 'bases'].flatMap((key) => {
        const value = doc?.[key];
        return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
    });
    const references = listed
        .filter((item) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(item) && !item.startsWith('git@') && !/\.(ya?ml|json)$/i.test(item))
        .map((item) => posix.normalize(posix.join(rel || '.', item)))
        .filter((path) => !path.startsWith('..'));
    const namespace = typeof doc?.['namespace'] === 'string' ? doc['namespace'] : undefined;
    return { path: rel, references, namespace, component: doc?.['kind'] === 'Component' };
}
async function holdsManifests(root, rel, files) {
    for (const file of files.filter((name) => /\.(ya?ml|json)$/i.test(name))) {
        const text = await readFile(join(root, rel, file), 'utf8').catch(() => '');
        if (text.length > MAX_MANIFEST_BYTES)
            continue;
        if (/^apiVersion:\s*\S/m.test(text) && /^kind:\s*\S/m.test(text))
            return true;
    }
    return false;
}
async function readYaml(path) {
    try {
        const text = await readFile(path, 'utf8');
        const value = distExports.parseAllDocuments(text)[0]?.toJS();
        return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    }
    catch {
        return undefined;
    }
}

/**
 * `slipway init`: scans a repository and writes a starting `slipway.yaml` for the user to check.
 * It never overwrites a file, and it checks its own output with the config loader, so what it
 * writes is always a config Slipway accepts.
 */
async function initConfig(root, file, options) {
    const target = join(root, file);
    if (existsSync(target)) {
        throw new UserError(`${file} already exists; slipway init never overwrites a config.`, `Edit it by hand, or write the proposal elsewhere with ${options.names.config} other.yaml (or preview it with --dry-run).`);
    }
    const environments = proposeEnvironments(await scanRepository(root));
    if (environments.length === 0) {
        throw new UserError(`Found no kustomization, Helm chart or directory of Kubernetes manifests in ${root}.`, 'Point --repo at the repository that holds your environments, or write slipway.yaml by hand (README, "Configuration").');
    }
    const text = configText(environments);
    if (options.dryRun)
        return { file, text, environments, written: false };
    await writeFile(target, text, { flag: 'wx' });
    // The proposal must load; if it does not, that is a defect in init, reported with the loader's words.
    await loadConfig(root, file, options.names);
    return { file, text, environments, written: true };
}

/** Command-line arguments, parsed once into a typed object. */
const CLI_COMMANDS = ['validate', 'plan', 'diff', 'apply', 'promote', 'drift', 'rollback', 'init'];
/** `colorAllowed`: stdout is a terminal and the environment does not ask for none (`NO_COLOR`). */
function parseCliArgs(argv, colorAllowed) {
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
    }
    catch (error) {
        throw new UserError(error.message, 'Run `slipway --help` for the options.');
    }
    const { values, positionals } = parsed;
    const command = positionals[0];
    if (values.version)
        throw new VersionRequest();
    if (command && CLI_COMMANDS.includes(command) && values.help)
        throw new UsageRequest(command);
    if (values.help || !command)
        throw new UsageRequest();
    if (!CLI_COMMANDS.includes(command)) {
        throw new UserError(`Unknown command '${command}'.`, `Commands: ${CLI_COMMANDS.join(', ')}.`);
    }
    if (positionals.length > 1)
        throw new UserError(`Unexpected argument '${positionals[1]}'.`, 'Run `slipway --help`.');
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
class UsageRequest extends Error {
    command;
    constructor(command) {
        super('usage');
        this.command = command;
    }
}
/** `--version`: print the version and exit 0. */
class VersionRequest extends Error {
}
/** The command named in argv, for a JSON error object when parsing fails. */
function commandIn(argv) {
    return argv.find((a) => CLI_COMMANDS.includes(a));
}

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
const COMMANDS = {
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
        summary: 'Show what would change: against the cluster (server-side dry-run) where the kubeconfig reaches it,\notherwise against the base render, saying so.',
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
        summary: 'Re-apply the last healthy deploy of an environment (the commit recorded on its ApplySet parent) and wait for it.\nObjects created since that deploy are pruned; objects that existed before are kept. Exit 1 when there is\nnothing recorded to roll back to, or the rollback fails.',
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
const USAGE = `Usage: slipway <command> [options]

Commands:
${Object.values(COMMANDS)
    .map((c) => `  ${c.usage}`)
    .join('\n')}

Options of every command:
${COMMON}
  --version           print the version

Run \`slipway <command> --help\` for the options of one command.

${EXIT_CODES}`;
function commandHelp(command) {
    const help = COMMANDS[command];
    return `Usage: ${help.usage}

${help.summary}

Options:
${help.options}
${COMMON}

${EXIT_CODES}`;
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
    const ignored = ignoredFieldsNote(changeSet);
    const lines = [
        paint(BOLD, `${changeSet.environment} (${against}): ${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.unchanged} unchanged${c.error ? `, ${c.error} failed` : ''}${ignored ? `, ${ignored}` : ''}`),
    ];
    const summary = summarizeChangeSet(changeSet);
    if (summary.length)
        lines.push(...summary.map((line) => `  ${line}`), '');
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
    return `${lines.join('\n')}\n`;
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

/** `io` masks what it is given; the entry masks `outcome` too, so JSON-escaped secrets are caught before serialising. */
function printOutcome(outcome, args, io) {
    const out = (text) => io.stdout(text);
    if (args.json && outcome.command !== 'plan') {
        // The command as the user typed it (`diff`, `apply`), not the flow that ran it.
        out(`${JSON.stringify({ ...jsonOf(outcome), command: args.command }, null, 2)}\n`);
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
            const rendered = outcome.preview.environments.some((e) => e.mode === 'render');
            // Render diffs compare two renders: say which, once, so base/ and head/ in the hunks read right.
            if (rendered)
                out(`${renderComparison(outcome.preview.base, outcome.preview.head)}\n`);
            for (const env of outcome.preview.environments) {
                out(`\n# ${env.name}${env.mode === 'render' ? ` (${renderNote(env, args)})` : ' (against the cluster)'}\n`);
                if (env.findings.length)
                    out(formatFindingsText(env.findings, { color: args.color }));
                if (env.error)
                    out(`error: ${problemLines(env.error)}\n`);
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
                    out(`${env.name}: error: ${problemLines(env.error)}\n`);
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
                out(`${c.file}:${c.line}  ${c.image}  ${c.from ?? '(unset)'} -> ${c.to}${c.backwards ? '  (backwards: an older version)' : ''}\n`);
            if (p.diff)
                out(`\n${p.diff}`);
            if (p.commit)
                out(`committed ${p.commit}\n`);
            if (p.pullRequest)
                out(`pull request: ${p.pullRequest.url}\n`);
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
        const counts = resultCounts(env.changeSet, env.apply);
        const summary = counts ? ` (${counts.create} created, ${counts.update} updated, ${counts.delete} deleted, ${counts.unchanged} unchanged)` : '';
        out(`${env.name}: ${env.status}${summary}${env.reason ? ` - ${env.reason}` : ''}\n`);
        if (env.status === 'planned' && env.changeSet)
            out(formatChangeSet(env.changeSet, { color: args.color }));
        if (env.error)
            out(`  ${problemLines(env.error, '    ')}\n`);
        for (const f of env.health?.failing ?? []) {
            out(`  ${describeRef(f.ref)}: ${f.status}: ${f.message}\n`);
            for (const c of f.causes ?? [])
                out(`    ${c}\n`);
            for (const e of f.events)
                out(`    ${e}\n`);
        }
        if (env.rollback)
            for (const line of rollbackText(env.rollback))
                out(`  ${line}\n`);
    }
}
function renderComparison(base, head) {
    const baseText = base ? `base/ is the render at ${base.slice(0, 12)}` : 'base/ is empty (no --base: every object counts as new)';
    return `Render diff: ${baseText}; head/ is the render of ${head ? head.slice(0, 12) : 'the working tree'}.`;
}
/** Why an environment was compared with the base render; a fall-back (no --render-only) says so. */
function renderNote(env, args) {
    if (!env.changeSet)
        return `not compared${env.note ? `: ${env.note}` : ''}`;
    if (args.renderOnly)
        return 'render diff: --render-only';
    return `no cluster, fell back to the render diff${env.note ? `: ${env.note}` : ''}; --require-cluster makes this an error`;
}
/** The outcome without object bodies (which may hold Secret values) or whole renders. */
function jsonOf(outcome) {
    return JSON.parse(JSON.stringify(outcome, (key, value) => (OBJECT_BODY_FIELDS.has(key) || key === 'render' ? undefined : value)));
}
/** A failure for the terminal: the message, and the hint indented under it. */
function problemLines(problem, indent = '  ') {
    return problem.hint ? `${problem.message}\n${indent}${problem.hint}` : problem.message;
}

/**
 * `slipway rollback --env NAME`: the environment's last healthy deploy applied again through the
 * same code path as `onFailure: rollback` (src/flows/rollback.ts). Exit 0 when rolled back and
 * healthy; 1 when it failed or there is nothing to roll back to; 2 for usage and setup errors.
 */
async function rollbackCommand(args, io, deps) {
    const root = resolve(args.repo);
    const config = await loadConfig(root, args.config, CLI_SETTING_NAMES);
    const [env] = selectEnvironments(config, args.environments);
    if (!env)
        throw new Error('rollback: no environment selected'); // parseCliArgs requires exactly one
    const timeoutMs = args.timeout ? requireDuration(args.timeout, '--timeout') : undefined;
    const git = Git.forRepository(deps.runner, root, config.tools);
    const renderer = createRenderer(config, deps.runner, { git });
    const cluster = await createClusterPort({
        kubeconfig: deps.kubeconfig,
        kubeconfigPaths: deps.kubeconfigPaths,
        kubeconfigSource: args.kubeconfig && `--kubeconfig ${args.kubeconfig}`,
        kubeconfigSetting: '--kubeconfig FILE',
        secrets: deps.secrets,
        log: deps.log,
    });
    let result;
    try {
        result = await runRollback(env, { holder: deps.holder, timeoutMs, signal: deps.signal }, { renderer, cluster, history: gitHistory(git), log: deps.log });
    }
    finally {
        await renderer.dispose?.();
    }
    const ok = result.status === 'rolled-back';
    if (args.json) {
        io.stdout(`${JSON.stringify(deps.secrets.maskAll({ command: 'rollback', ok, environment: env.name, durationMs: result.durationMs, ...rollbackJson(result) }), null, 2)}\n`);
    }
    else {
        io.stdout(`${env.name}: ${rollbackText(result).join('\n')}\n`);
    }
    return ok ? 0 : 1;
}

const VERSION_ARGS = {
    kubectl: ['version', '--client'],
    kustomize: ['version'],
    helm: ['version', '--short'],
    git: ['--version'],
};
/** One line per tool: `helm: /path/to/helm (v4.0.1)`, or that it was not found. */
async function describeTools(tools, root, runner) {
    const lines = [];
    for (const name of ['kubectl', 'helm', 'git']) {
        const path = findTool(name, { configured: tools, root, path: runner.path });
        lines.push(path ? `${name}: ${path} (${await version(runner, path, VERSION_ARGS[name])})` : `${name}: not found`);
    }
    try {
        const kustomize = locateKustomize({ configured: tools, root, path: runner.path });
        const versionArgs = kustomize.args[0] === 'build' ? VERSION_ARGS.kustomize : VERSION_ARGS.kubectl;
        lines.push(`kustomize: ${[kustomize.command, ...kustomize.args].join(' ')} (${await version(runner, kustomize.command, versionArgs)})`);
    }
    catch {
        lines.push('kustomize: not found');
    }
    return lines;
}
async function version(runner, path, args) {
    try {
        const result = await runner.run(path, args, { allowFailure: true, timeoutMs: 30_000 });
        const text = result.stdout.trim().split('\n').map((line) => line.trim()).filter(Boolean).join(', ');
        return result.exitCode === 0 && text ? text : 'version unknown';
    }
    catch {
        return 'version unknown';
    }
}

/**
 * `slipway` on a terminal: the same flows as the action, with the local kubeconfig and Git.
 * Exit codes: 0 success, 1 problems found or a failed deploy, 2 wrong usage or setup.
 */
const processIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: Boolean(process.stdout.isTTY),
    stderrIsTty: Boolean(process.stderr.isTTY),
    env: process.env,
};
/** `signal`: aborted by the entry on SIGTERM/SIGINT, so a held deploy lock is released before the process ends. */
async function runCli(argv, terminal = processIo, signal) {
    const env = terminal.env ?? process.env;
    // One mask per command: the kubeconfig's credentials are registered as it is read; all output passes it.
    const secrets = new SecretMask();
    const io = maskedIo(terminal, secrets);
    let args;
    try {
        args = parseCliArgs(argv, io.isTty && !env.NO_COLOR);
    }
    catch (error) {
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
        if (args.command === 'init')
            return await init(args, io);
        if (args.command === 'rollback') {
            const kubeconfig = args.kubeconfig ? readKubeconfigFlag(args.kubeconfig) : undefined;
            const holder = cliLockHolder(safeUser(), hostname(), { pid: process.pid, suffix: randomSuffix() });
            return await rollbackCommand(args, io, { log, runner, kubeconfig, kubeconfigPaths: env.KUBECONFIG, secrets, holder, signal });
        }
        const outcome = await execute(args, log, runner, secrets, env.KUBECONFIG, signal);
        printOutcome(secrets.maskAll(outcome), args, io);
        if (args.markdown && outcome.command === 'preview')
            await writePreviewMarkdown(args, outcome.preview, io, runner, secrets);
        return outcome.command === 'skip' || outcome.ok ? 0 : 1;
    }
    catch (error) {
        return fatal(io, secrets, args.json, args.command, error);
    }
}
/** What the command prints, masked: every line to stdout and stderr passes the run's mask. */
function maskedIo(io, secrets) {
    return { ...io, stdout: (text) => io.stdout(secrets.mask(text)), stderr: (text) => io.stderr(secrets.mask(text)) };
}
/** Usage and setup errors: exit 2, on stderr (and as a JSON object on stdout with --json). */
function fatal(io, secrets, json, command, error) {
    const unexpected = !(error instanceof UserError);
    if (json) {
        const message = error instanceof UserError && error.hint ? error.message.slice(0, -(error.hint.length + 3)) : errorMessage(error);
        const body = { command: command ?? null, ok: false, exitCode: 2, error: { message, ...(error instanceof UserError && error.hint ? { hint: error.hint } : {}), ...(unexpected ? { unexpected: true } : {}) } };
        io.stdout(`${JSON.stringify(secrets.maskAll(body), null, 2)}\n`);
    }
    io.stderr(`slipway: ${errorMessage(error)}\n`);
    if (unexpected)
        io.stderr('This is unexpected; please report it with the command you ran.\n');
    return 2;
}
/** `--kubeconfig FILE`: one sentence naming the file when it cannot be used, never ENOENT. */
function readKubeconfigFlag(path) {
    const file = isAbsolute(path) ? path : resolve(path);
    if (!existsSync(file)) {
        throw new UserError(`--kubeconfig ${path}: the file ${file} does not exist.`, 'Pass the path of an existing kubeconfig, or leave --kubeconfig out to use $KUBECONFIG, else ~/.kube/config.');
    }
    if (!statSync(file).isFile())
        throw new UserError(`--kubeconfig ${path}: ${file} is not a file.`, 'Pass the path of a kubeconfig file.');
    return readFileSync(file, 'utf8');
}
/** `kubeconfigPaths`: the value of $KUBECONFIG. */
async function execute(args, log, runner, secrets, kubeconfigPaths, signal) {
    const root = resolve(args.repo);
    const config = await loadConfig(root, args.config, CLI_SETTING_NAMES);
    if (args.verbose)
        for (const line of await describeTools(config.tools, root, runner))
            log.info(`tool ${line}`);
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
            names: CLI_SETTING_NAMES,
            promoteAfterDeploy: false,
            heal: args.heal,
            signal,
            clusterDeniedReason: args.renderOnly ? '--render-only: compared with the base render' : undefined,
            requireCluster: args.requireCluster,
        }, ports);
    }
    finally {
        await renderer.dispose?.();
    }
}
/** `slipway init`: propose a slipway.yaml from the layout; never overwrite one. */
async function init(args, io) {
    const result = await initConfig(resolve(args.repo), args.config, { dryRun: args.dryRun, names: CLI_SETTING_NAMES });
    if (args.json) {
        io.stdout(`${JSON.stringify({ command: 'init', file: result.file, written: result.written, environments: result.environments }, null, 2)}\n`);
        return 0;
    }
    io.stdout(result.text);
    io.stderr(result.written
        ? `\nWrote ${result.file} with ${result.environments.length} environment(s). Check it, then run \`slipway validate\`.\n`
        : `\n--dry-run: ${result.file} was not written.\n`);
    return 0;
}
/** `diff --markdown FILE`: the preview comment exactly as the action posts it on a pull request. */
async function writePreviewMarkdown(args, preview, io, runner, secrets) {
    const root = resolve(args.repo);
    const headSha = await Git.forRepository(runner, root, {}).revParse(args.head ?? 'HEAD').catch(() => 'working tree');
    const file = resolve(args.markdown);
    await writeFile(file, renderPreviewComment({ environments: preview.environments, headSha }, secrets));
    io.stderr(`Preview comment written to ${file}\n`);
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
        case 'init':
        case 'rollback':
            throw new UserError(`${args.command} does not run the pipeline.`); // handled before the pipeline starts
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
    const write = (prefix, message) => io.stderr(`${prefix}${message}\n`);
    return {
        info: (message) => (quiet ? undefined : write('', message)),
        warning: (message) => write('warning: ', message),
        error: (message) => write('error: ', message),
        // Progress lines are for a person watching: only when stderr is a terminal.
        group: async (title, work) => {
            if (!quiet && io.stderrIsTty)
                write('== ', title);
            return work();
        },
    };
}

// Command-line entry: `slipway <command>` (see src/cli/args.ts for the options).
process.exitCode = await runCli(process.argv.slice(2), undefined, cancelOnSignals());
