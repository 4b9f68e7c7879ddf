/**
 * The JSON report behind the `report` output: a machine-readable account of everything a run did
 * (per environment: counts, the action on every object, findings, health, duration; promotions).
 * It never holds object bodies: no `live` or `desired`, and no diff of a Secret, redacted or not.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretMask } from '../exec/secrets.js';
import type { ChangeAction, ChangeCounts, ChangeEntry } from '../model/changeset.js';
import { countIgnored, resultCounts } from '../model/changeset.js';
import type { Finding } from '../model/findings.js';
import type { SourceLocation } from '../model/objects.js';
import { describeRef } from '../model/objects.js';
import type { DeployCommentPromotion } from './deploy-comment.js';
import type { SummaryEnvironment } from './summary.js';
import { rollbackJson } from './rollback.js';

export const JSON_REPORT_VERSION = 1;

export interface JsonReportInput {
  command: string;
  ok: boolean;
  sha?: string;
  runUrl?: string;
  dryRun?: boolean;
  startedAt?: Date;
  finishedAt?: Date;
  /** Names of the affected environments, config order. */
  affected?: string[];
  environments: SummaryEnvironment[];
  promotions?: DeployCommentPromotion[];
  /** Include each object's (already redacted) diff, except for Secrets. Default true. */
  includeDiffs?: boolean;
}

export interface JsonReportAction {
  object: string;
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  action: ChangeAction;
  message?: string;
  source?: SourceLocation;
  pruneProtected?: boolean;
  /** Differing fields ignore rules left out of `diff` and did not apply; absent when none. */
  ignoredFields?: number;
  diff?: string;
}

export interface JsonReportEnvironment {
  name: string;
  status?: string;
  mode?: 'cluster' | 'render';
  counts?: ChangeCounts;
  /** Differing fields ignore rules left out, over all objects; absent when none. */
  ignoredFields?: number;
  actions: JsonReportAction[];
  findings: Finding[];
  health?: { healthy: boolean; timedOut: boolean; failing: Array<{ object: string; status?: string; message: string; events: string[]; causes: string[] }> };
  /** What a deploy did (`applied` = `created` + `updated`); `counts` then says the same. */
  apply?: { applied: number; created: number; updated: number; unchanged: number; deleted: number };
  durationMs?: number;
  error?: string;
  /** What to do about `error`, when Slipway knows. */
  hint?: string;
  note?: string;
  /** What `onFailure: rollback` did after a failed deploy. */
  rollback?: ReturnType<typeof rollbackJson>;
}

export interface JsonReport {
  tool: 'slipway';
  version: typeof JSON_REPORT_VERSION;
  command: string;
  ok: boolean;
  /** True when any environment has an object to create, update or delete. */
  changed: boolean;
  dryRun: boolean;
  sha?: string;
  runUrl?: string;
  startedAt?: string;
  finishedAt?: string;
  affected?: string[];
  environments: JsonReportEnvironment[];
  promotions: DeployCommentPromotion[];
}

/** Every string in the report is masked (masking the serialised text alone would miss JSON-escaped secrets). */
export function buildJsonReport(input: JsonReportInput, secrets: SecretMask): JsonReport {
  const includeDiffs = input.includeDiffs ?? true;
  const environments = input.environments.map((env): JsonReportEnvironment => {
    const entries = env.changeSet?.entries ?? [];
    return {
      name: env.name,
      status: env.status,
      mode: env.mode ?? env.changeSet?.mode,
      counts: resultCounts(env.changeSet, env.apply),
      ...(countIgnored(entries) ? { ignoredFields: countIgnored(entries) } : {}),
      actions: entries.map((entry) => action(entry, includeDiffs)),
      findings: env.findings ?? [],
      health: env.health && {
        healthy: env.health.healthy,
        timedOut: env.health.timedOut,
        failing: env.health.failing.map((f) => ({ object: describeRef(f.ref), status: f.status, message: f.message, events: f.events ?? [], causes: f.causes ?? [] })),
      },
      apply: env.apply && { applied: env.apply.created + env.apply.updated, created: env.apply.created, updated: env.apply.updated, unchanged: env.apply.unchanged, deleted: env.apply.deleted },
      durationMs: env.durationMs,
      error: env.error?.message,
      ...(env.error?.hint ? { hint: env.error.hint } : {}),
      note: env.note,
      rollback: env.rollback && rollbackJson(env.rollback),
    };
  });
  const report: JsonReport = {
    tool: 'slipway',
    version: JSON_REPORT_VERSION,
    command: input.command,
    ok: input.ok,
    changed: environments.some((env) => env.actions.some((a) => a.action !== 'unchanged')),
    dryRun: input.dryRun ?? false,
    sha: input.sha,
    runUrl: input.runUrl,
    startedAt: input.startedAt?.toISOString(),
    finishedAt: input.finishedAt?.toISOString(),
    affected: input.affected,
    environments,
    promotions: input.promotions ?? [],
  };
  return secrets.maskAll(report);
}

/**
 * Writes the report as pretty JSON and returns its path: in `dir` (the action passes `RUNNER_TEMP`,
 * kept for the job, cleaned after), else the system temporary directory. `run` names the file
 * (the workflow run id and attempt); default this process's id.
 */
export async function writeJsonReport(report: JsonReport, options: { dir?: string; fileName?: string; run?: string } = {}): Promise<string> {
  const dir = options.dir ?? tmpdir();
  const run = options.run ?? String(process.pid);
  const path = join(dir, options.fileName ?? `slipway-report-${report.command}-${run}.json`);
  await mkdir(dir, { recursive: true });
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  return path;
}

function action(entry: ChangeEntry, includeDiffs: boolean): JsonReportAction {
  const { ref } = entry;
  const out: JsonReportAction = {
    object: describeRef(ref),
    group: ref.group,
    version: ref.version,
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
    action: entry.action,
  };
  if (entry.message) out.message = entry.message;
  if (entry.source) out.source = entry.source;
  if (entry.pruneProtected) out.pruneProtected = true;
  if (entry.ignored) out.ignoredFields = entry.ignored;
  // A Secret's diff is redacted upstream; leaving it out here means a slip there cannot leak through the report.
  if (includeDiffs && entry.diff && !isSecret(entry)) out.diff = entry.diff;
  return out;
}

function isSecret(entry: ChangeEntry): boolean {
  return entry.ref.kind === 'Secret' && entry.ref.group === '';
}
