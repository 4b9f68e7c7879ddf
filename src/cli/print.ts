/** What the CLI prints for each command's outcome: to stdout, readable (or JSON with --json). */
import type { Problem } from '../model/errors.js';
import { countChanges, OBJECT_BODY_FIELDS, resultCounts } from '../model/changeset.js';
import { describeRef } from '../model/objects.js';
import type { RunOutcome } from '../flows/run.js';
import { formatFindingsText } from '../report/findings.js';
import { formatChangeSet } from '../report/terminal.js';
import { rollbackText } from '../report/rollback.js';
import type { CliArgs } from './args.js';
import type { CliIo } from './main.js';

/** `io` masks what it is given; the entry masks `outcome` too, so JSON-escaped secrets are caught before serialising. */
export function printOutcome(outcome: RunOutcome, args: CliArgs, io: CliIo): void {
  const out = (text: string) => io.stdout(text);
  if (args.json && outcome.command !== 'plan') {
    // The command as the user typed it (`diff`, `apply`), not the flow that ran it.
    out(`${JSON.stringify({ ...(jsonOf(outcome) as object), command: args.command }, null, 2)}\n`);
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
      if (rendered) out(`${renderComparison(outcome.preview.base, outcome.preview.head)}\n`);
      for (const env of outcome.preview.environments) {
        out(`\n# ${env.name}${env.mode === 'render' ? ` (${renderNote(env, args)})` : ' (against the cluster)'}\n`);
        if (env.findings.length) out(formatFindingsText(env.findings, { color: args.color }));
        if (env.error) out(`error: ${problemLines(env.error)}\n`);
        if (env.changeSet) out(formatChangeSet(env.changeSet, { color: args.color }));
      }
      if (outcome.preview.environments.length === 0) out('No environment changes.\n');
      return;
    }
    case 'deploy':
      printDeploy(outcome.deploy, args, out);
      return;
    case 'drift':
      for (const env of outcome.drift) {
        if (env.error) out(`${env.name}: error: ${problemLines(env.error)}\n`);
        else if (!env.drifted) out(`${env.name}: in sync\n`);
        else {
          const counts = countChanges(env.changeSet?.entries ?? []);
          out(`${env.name}: drifted (${counts.create} missing, ${counts.update} changed, ${counts.delete} not in Git)${env.healed ? ', re-applied' : ''}\n`);
          if (env.changeSet) out(formatChangeSet(env.changeSet, { color: args.color }));
        }
      }
      return;
    case 'promote': {
      const p = outcome.promotion;
      if (p.changes.length === 0) out(`${p.target}: already up to date.\n`);
      for (const c of p.changes) out(`${c.file}:${c.line}  ${c.image}  ${c.from ?? '(unset)'} -> ${c.to}${c.backwards ? '  (backwards: an older version)' : ''}\n`);
      if (p.diff) out(`\n${p.diff}`);
      if (p.commit) out(`committed ${p.commit}\n`);
      if (p.pullRequest) out(`pull request: ${p.pullRequest.url}\n`);
      if (outcome.deploy) printDeploy(outcome.deploy, args, out);
      return;
    }
  }
}

function printDeploy(deploy: Extract<RunOutcome, { command: 'deploy' }>['deploy'], args: CliArgs, out: (text: string) => void): void {
  if (deploy.blockingFindings.length) {
    out(formatFindingsText(deploy.blockingFindings, { color: args.color }));
    out('Validation failed: nothing was deployed.\n');
    return;
  }
  for (const env of deploy.environments) {
    const counts = resultCounts(env.changeSet, env.apply);
    const summary = counts ? ` (${counts.create} created, ${counts.update} updated, ${counts.delete} deleted, ${counts.unchanged} unchanged)` : '';
    out(`${env.name}: ${env.status}${summary}${env.reason ? ` - ${env.reason}` : ''}\n`);
    if (env.status === 'planned' && env.changeSet) out(formatChangeSet(env.changeSet, { color: args.color }));
    if (env.error) out(`  ${problemLines(env.error, '    ')}\n`);
    for (const f of env.health?.failing ?? []) {
      out(`  ${describeRef(f.ref)}: ${f.status}: ${f.message}\n`);
      for (const c of f.causes ?? []) out(`    ${c}\n`);
      for (const e of f.events) out(`    ${e}\n`);
    }
    if (env.rollback) for (const line of rollbackText(env.rollback)) out(`  ${line}\n`);
  }
}

function renderComparison(base: string | undefined, head: string | undefined): string {
  const baseText = base ? `base/ is the render at ${base.slice(0, 12)}` : 'base/ is empty (no --base: every object counts as new)';
  return `Render diff: ${baseText}; head/ is the render of ${head ? head.slice(0, 12) : 'the working tree'}.`;
}

/** Why an environment was compared with the base render; a fall-back (no --render-only) says so. */
function renderNote(env: { note?: string; changeSet?: unknown }, args: CliArgs): string {
  if (!env.changeSet) return `not compared${env.note ? `: ${env.note}` : ''}`;
  if (args.renderOnly) return 'render diff: --render-only';
  return `no cluster, fell back to the render diff${env.note ? `: ${env.note}` : ''}; --require-cluster makes this an error`;
}

/** The outcome without object bodies (which may hold Secret values) or whole renders. */
function jsonOf(outcome: RunOutcome): unknown {
  return JSON.parse(JSON.stringify(outcome, (key, value) => (OBJECT_BODY_FIELDS.has(key) || key === 'render' ? undefined : value)));
}

/** A failure for the terminal: the message, and the hint indented under it. */
function problemLines(problem: Problem, indent = '  '): string {
  return problem.hint ? `${problem.message}\n${indent}${problem.hint}` : problem.message;
}
