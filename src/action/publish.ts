/**
 * report stage for the action: annotations, the sticky PR comment, the deploy result comment,
 * the job summary, the JSON report and the step outputs, all from one run outcome.
 */
import * as core from '@actions/core';
import type { RunOutcome } from '../flows/run.js';
import type { PreviewResult } from '../flows/preview.js';
import type { DeployResult } from '../flows/deploy.js';
import type { PromotionOutcome } from '../flows/ports.js';
import type { GitHubClient } from '../github/client.js';
import { upsertStickyComment, type CommentMode } from '../github/comments.js';
import { findMergedPullRequestOfCommit } from '../github/pulls.js';
import { summaryUrlOf, type RunContext } from '../github/context.js';
import { hasChanges } from '../model/changeset.js';
import { problemText } from '../model/errors.js';
import type { Finding } from '../model/findings.js';
import type { Intent } from '../plan/intent.js';
import { DEPLOY_MARKER, renderDeployComment, type DeployCommentPromotion } from '../report/deploy-comment.js';
import { findingsToAnnotations } from '../report/findings.js';
import { buildJsonReport, writeJsonReport } from '../report/json-report.js';
import { PREVIEW_MARKER, renderPreviewComment } from '../report/preview-comment.js';
import { renderJobSummary, SUMMARY_BUDGET_BYTES, writeJobSummary, type SummaryEnvironment } from '../report/summary.js';
import type { SecretMask } from '../exec/secrets.js';
import type { ActionInputs } from './inputs.js';
import { writeLog } from './output.js';
import { promotionDiffsMarkdown } from './promotion-diffs.js';

export interface PublishContext {
  intent: Intent;
  /** `preview.commentWithoutChanges` from slipway.yaml. */
  commentWithoutChanges: boolean;
  inputs: ActionInputs;
  context: RunContext;
  gh?: GitHubClient;
  startedAt: number;
  env: NodeJS.ProcessEnv;
  /** The run's mask, for the log, the summary and the JSON report (the GitHub client carries it too). */
  secrets: SecretMask;
}

/** Annotations shown on a run; beyond this GitHub drops them anyway (and the summary lists all). */
const MAX_ANNOTATIONS = 50;

export async function publishOutcome(outcome: RunOutcome, p: PublishContext): Promise<void> {
  const sha = p.intent.head ?? p.context.sha ?? '';
  const environments = summaryEnvironments(outcome);
  const findings = environments.flatMap((e) => e.findings ?? []);
  annotate(findings, p.secrets);

  const pr = p.intent.pullRequest;
  if (outcome.command === 'preview' && pr && p.gh) {
    await postPreviewComment(p.gh, p.context, pr.number, outcome.preview, pr.headSha || sha, p.inputs.comment, p.commentWithoutChanges);
  }
  const deployedPr = outcome.command === 'deploy' && p.gh && p.inputs.comment !== 'off' ? (pr?.number ?? (await mergedPullRequestOf(p, sha))) : undefined;
  if (outcome.command === 'deploy' && deployedPr && p.gh) {
    const body = renderDeployComment({
      environments: outcome.deploy.environments,
      sha,
      runUrl: p.context.runUrl,
      summaryUrl: summaryUrlOf(p.context),
      dryRun: p.inputs.dryRun,
      promotions: outcome.deploy.promotions.map(reportedPromotion),
    }, p.secrets);
    await upsertStickyComment(p.gh, { owner: p.context.owner, repo: p.context.repo, issueNumber: deployedPr, marker: DEPLOY_MARKER, body, mode: p.inputs.comment });
  }
  if (outcome.command === 'drift') {
    const drifted = outcome.drift.filter((d) => d.drifted).map((d) => d.name);
    if (drifted.length) writeLog(p.secrets, 'warning', `Drift found in ${drifted.join(', ')}: the cluster differs from Git. See the job summary.`, { title: 'Slipway drift' });
  }

  const promotions = outcome.command === 'deploy' ? outcome.deploy.promotions : outcome.command === 'promote' ? [outcome.promotion, ...(outcome.deploy?.promotions ?? [])] : [];
  const reported = promotions.map(reportedPromotion);
  const totalMs = Date.now() - p.startedAt;
  // The promotion diffs follow the summary and take their share of its byte budget.
  const promotionEdits = promotionDiffsMarkdown(promotions, p.inputs.dryRun, p.secrets);
  const markdown =
    renderJobSummary({ command: outcome.command, sha, runUrl: p.context.runUrl, dryRun: p.inputs.dryRun, totalMs, environments, promotions: reported, budgetBytes: SUMMARY_BUDGET_BYTES - Buffer.byteLength(promotionEdits, 'utf8') }, p.secrets) +
    promotionEdits;
  await writeJobSummary(markdown, p.env.GITHUB_STEP_SUMMARY, p.secrets).catch((error) => writeLog(p.secrets, 'warning', `the job summary could not be written: ${(error as Error).message}`));

  const affected = affectedOf(outcome);
  const ok = outcome.command === 'skip' ? true : outcome.ok;
  const report = buildJsonReport({
    command: outcome.command,
    ok,
    sha,
    runUrl: p.context.runUrl,
    dryRun: p.inputs.dryRun,
    startedAt: new Date(p.startedAt),
    finishedAt: new Date(),
    affected,
    environments,
    promotions: reported,
  }, p.secrets);
  const reportPath = await writeJsonReport(report, { dir: p.env.RUNNER_TEMP || undefined, run: p.context.runId && `${p.context.runId}-${p.context.runAttempt ?? '1'}` });

  core.setOutput('environments', JSON.stringify(affected));
  core.setOutput('changed', String(report.changed || promotions.some((x) => x.changes.length > 0)));
  core.setOutput('report', reportPath);
  // A chain can commit into one environment and open a pull request for the next: each output
  // comes from the first promotion that has it (a commit pushed to the branch before a PR's branch commit).
  const commit = promotions.find((x) => x.mode === 'commit' && x.commit)?.commit ?? promotions.find((x) => x.commit)?.commit;
  const pullRequestUrl = promotions.find((x) => x.pullRequest)?.pullRequest?.url;
  if (commit) core.setOutput('commit', commit);
  if (pullRequestUrl) core.setOutput('pull-request', pullRequestUrl);

  if (outcome.command === 'skip') writeLog(p.secrets, 'info', `slipway: nothing to do (${outcome.reason})`);
  else if (!outcome.ok) writeLog(p.secrets, 'failure', failureMessage(outcome));
}

/** A promotion as the reports show it: the pull request by its URL. */
function reportedPromotion(promotion: PromotionOutcome): DeployCommentPromotion {
  const { pullRequest, ...rest } = promotion;
  return pullRequest ? { ...rest, pullRequestUrl: pullRequest.url } : rest;
}

export async function postPreviewComment(
  gh: GitHubClient,
  context: RunContext,
  issueNumber: number,
  preview: PreviewResult,
  headSha: string,
  mode: CommentMode,
  commentWithoutChanges = true,
): Promise<void> {
  // Nothing to say: keep quiet unless an earlier comment must be brought up to date.
  const quiet = preview.environments.every((e) => !e.error && e.findings.length === 0 && (!e.changeSet || !hasChanges(e.changeSet)));
  if (quiet && !commentWithoutChanges && mode === 'new') return;
  const body = renderPreviewComment({
    environments: preview.environments.map((e) => ({ name: e.name, changeSet: e.changeSet, findings: e.findings, mode: e.mode, error: e.error, note: e.note })),
    headSha,
    runUrl: context.runUrl,
    summaryUrl: summaryUrlOf(context),
  }, gh.secrets);
  const result = await upsertStickyComment(gh, {
    owner: context.owner,
    repo: context.repo,
    issueNumber,
    marker: PREVIEW_MARKER,
    body,
    mode,
    createIfMissing: commentWithoutChanges || !quiet,
  });
  if (result.url) writeLog(gh.secrets, 'info', `slipway: preview comment ${result.action}: ${result.url}`);
}

/** For a deploy started by a push: the pull request the pushed commit was merged from, if any. */
async function mergedPullRequestOf(p: PublishContext, sha: string): Promise<number | undefined> {
  if (!p.gh || !sha || p.context.eventName !== 'push') return undefined;
  try {
    return await findMergedPullRequestOfCommit(p.gh, p.context.owner, p.context.repo, sha);
  } catch (error) {
    writeLog(p.secrets, 'warning', `could not find the pull request of ${sha.slice(0, 7)} to comment on: ${(error as Error).message}`);
    return undefined;
  }
}

function annotate(findings: readonly Finding[], secrets: SecretMask): void {
  const annotations = findingsToAnnotations(findings);
  for (const a of annotations.slice(0, MAX_ANNOTATIONS)) {
    const properties = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn };
    writeLog(secrets, a.level === 'error' ? 'error' : a.level === 'warning' ? 'warning' : 'notice', a.message, properties);
  }
  if (annotations.length > MAX_ANNOTATIONS) writeLog(secrets, 'warning', `${annotations.length - MAX_ANNOTATIONS} more findings are listed in the job summary.`);
}

function affectedOf(outcome: RunOutcome): string[] {
  switch (outcome.command) {
    case 'plan':
      return outcome.affected;
    case 'preview':
      return outcome.preview.affected;
    case 'deploy':
      return outcome.affected;
    case 'validate':
      return outcome.validations.map((v) => v.environment.name);
    case 'drift':
      return outcome.drift.filter((d) => d.drifted).map((d) => d.name);
    case 'promote':
      return [outcome.promotion.target];
    case 'skip':
      return [];
  }
}

function summaryEnvironments(outcome: RunOutcome): SummaryEnvironment[] {
  switch (outcome.command) {
    case 'validate':
      return outcome.validations.map((v) => ({ name: v.environment.name, status: v.findings.some((f) => f.severity === 'error') ? 'invalid' : 'valid', findings: v.findings }));
    case 'preview':
      return outcome.preview.environments.map((e) => ({ name: e.name, status: 'previewed', mode: e.mode, changeSet: e.changeSet, findings: e.findings, error: e.error, note: e.note }));
    case 'deploy':
      return deployEnvironments(outcome.deploy);
    case 'promote':
      return outcome.deploy ? deployEnvironments(outcome.deploy) : [];
    case 'drift':
      return outcome.drift.map((d) => ({
        name: d.name,
        status: d.error ? 'error' : d.drifted ? (d.healed ? 'drifted, re-applied' : 'drifted') : 'in sync',
        mode: 'cluster',
        changeSet: d.changeSet,
        health: d.healed?.health,
        findings: d.findings,
        error: d.error,
      }));
    case 'plan':
    case 'skip':
      return [];
  }
}

function deployEnvironments(deploy: DeployResult): SummaryEnvironment[] {
  return deploy.environments.map((e) => ({
    name: e.name,
    status: e.status,
    mode: 'cluster',
    changeSet: e.changeSet,
    findings: e.findings,
    health: e.health,
    apply: e.apply,
    durationMs: e.durationMs,
    error: e.error ?? (e.reason ? { message: e.reason } : undefined),
    rollback: e.rollback,
  }));
}

function failureMessage(outcome: Exclude<RunOutcome, { command: 'skip' }>): string {
  switch (outcome.command) {
    case 'validate':
    case 'preview':
      return 'Validation found errors (see the annotations and the job summary).';
    case 'deploy':
      if (outcome.deploy.blockingFindings.length) return 'Validation found errors: nothing was deployed.';
      return `Deploy failed: ${outcome.deploy.environments.filter((e) => e.status === 'failure').map((e) => `${e.name}: ${e.error ? problemText(e.error) : 'failed'}${e.rollback ? `; ${e.rollback.summary}` : ''}`).join('; ')}`;
    case 'drift': {
      const errors = outcome.drift.filter((d) => d.error);
      const drifted = outcome.drift.filter((d) => d.drifted && !d.healed);
      return [errors.length ? `drift check failed for ${errors.map((d) => `${d.name} (${d.error ? problemText(d.error) : ''})`).join(', ')}` : '', drifted.length ? `drift found in ${drifted.map((d) => d.name).join(', ')}` : ''].filter(Boolean).join('; ');
    }
    case 'promote':
      return `Promotion to ${outcome.promotion.target} was committed, but its deploy failed.`;
    case 'plan':
      return 'plan failed';
  }
}
