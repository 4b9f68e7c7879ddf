/**
 * The action: inputs and event -> intent -> one run of the flows -> comments, deployments,
 * annotations, job summary, JSON report and outputs. Errors for users end the step with their
 * message, never a stack trace.
 */
import { loadConfig } from '../config/load.js';
import { Git } from '../exec/git.js';
import { processRunner } from '../exec/run.js';
import { createClusterPort, createRenderer, offlineCluster, renderDiff, validator } from '../flows/adapters.js';
import { gitHistory } from '../flows/git-history.js';
import { createPromotionPort } from '../flows/promotion.js';
import { actionLockHolder, randomSuffix } from '../kube/lock-holder.js';
import { promotionPullRequests, runIntent } from '../flows/run.js';
import { runPreview } from '../flows/preview.js';
import { createGitHubClient } from '../github/client.js';
import { proxyAwareFetch } from '../github/proxy.js';
import { readRunContext } from '../github/context.js';
import { SecretMask } from '../exec/secrets.js';
import { errorMessage, UserError } from '../model/errors.js';
import { decideIntent } from '../plan/intent.js';
import { defaultBranchOf, promotionBaseBranchOf, readEvent } from './event.js';
import { deploymentsPort } from './github-ports.js';
import { githubPullRequestApi } from '../promote/github-pull-requests.js';
import { envInputReader, readInputs } from './inputs.js';
import { actionLog } from './log.js';
import { writeLog } from './output.js';
import { postPreviewComment, publishOutcome } from './publish.js';
import { dropClusterCredentials, protectCredentials } from './secrets.js';

/**
 * `signal`: aborted by the entry on SIGTERM/SIGINT (a cancelled workflow run), so held deploy locks are released.
 * `secrets`: this run's mask, handed to everything that learns a credential and to every output.
 */
export async function runAction(env: NodeJS.ProcessEnv, secrets: SecretMask, signal?: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  const log = actionLog(secrets);
  const inputs = readInputs(envInputReader(env));
  protectCredentials(inputs, env, secrets);
  const context = readRunContext(env);
  const event = readEvent(env);
  const intent = decideIntent(event, inputs, defaultBranchOf(event));
  const fromFork = intent.pullRequest?.fromFork ?? false;
  if (fromFork) dropClusterCredentials(env);

  const root = env.GITHUB_WORKSPACE || process.cwd();
  const config = await loadConfig(root, inputs.config);
  const gh =
    inputs.githubToken && context.owner
      ? createGitHubClient({ token: inputs.githubToken, secrets, baseUrl: context.apiUrl, fetch: proxyAwareFetch(context.apiUrl, env), paceWrites: env.SLIPWAY_GITHUB_PACE_WRITES !== 'false' })
      : undefined;
  const runner = processRunner(env, secrets);
  const git = Git.forRepository(runner, root, config.tools);
  // A fork's head is rendered without fetching anything it names (remote bases, chart repositories).
  const renderer = createRenderer(config, runner, { allowRemote: !fromFork, git });
  const cluster = fromFork ? offlineCluster('cluster credentials are not used for pull requests from forks') : await createClusterPort({ kubeconfig: inputs.kubeconfig, kubeconfigPaths: env.KUBECONFIG, secrets, log });
  const repository = { serverUrl: context.serverUrl, owner: context.owner, repo: context.repo };

  const promotion = createPromotionPort({
    root,
    git,
    renderer,
    config,
    log,
    token: inputs.githubToken,
    branch: promotionBaseBranchOf(event),
    pullRequests: gh ? githubPullRequestApi(gh, context.owner, context.repo) : undefined,
    repository,
  });

  let outcome;
  try {
    outcome = await runIntent(
      intent,
      config,
      {
        dryRun: inputs.dryRun,
        timeoutMs: inputs.timeoutMs,
        holder: actionLockHolder(
          { runUrl: context.runUrl, runId: context.runId, runAttempt: context.runAttempt, job: context.job, runner: context.runnerName },
          { pid: process.pid, suffix: randomSuffix() },
        ),
        signal,
        from: inputs.from,
        to: inputs.to,
        images: inputs.images,
        promoteAfterDeploy: true,
      },
      {
        renderer,
        validator,
        cluster,
        renderDiff,
        deployments: gh && context.owner ? deploymentsPort(gh, context) : undefined,
        promotion,
        history: gitHistory(git, { token: inputs.githubToken }),
        resolveRef: (ref) => git.revParse(ref),
        mergeBase: (a, b) => git.mergeBase(a, b),
        log,
      },
    );
    // A PR opened with the workflow's token starts no workflow: its preview is posted from here.
    // The promotion is done by now: a preview that cannot be posted is a warning, and the run is still published.
    for (const pullRequest of gh ? promotionPullRequests(outcome) : []) {
      try {
        const preview = await runPreview(
          { config, base: pullRequest.baseCommit, head: pullRequest.commit, environments: [pullRequest.target], clusterAllowed: true },
          { renderer, validator, cluster, renderDiff, log },
        );
        await postPreviewComment(gh!, context, pullRequest.number, preview, pullRequest.commit, inputs.comment);
      } catch (error) {
        log.warning(
          `The preview of promotion pull request #${pullRequest.number} (${pullRequest.target}) could not be posted: ${errorMessage(error)} ` +
            'The promotion itself is done; re-run this job to post the preview, or read the diff on the pull request.',
        );
      }
    }
  } finally {
    await renderer.dispose?.();
  }

  await publishOutcome(outcome, { intent, inputs, context, gh, startedAt, env, secrets, commentWithoutChanges: config.preview?.commentWithoutChanges ?? true });
}

export async function main(signal?: AbortSignal): Promise<void> {
  const secrets = new SecretMask();
  try {
    await runAction(process.env, secrets, signal);
  } catch (error) {
    const message = errorMessage(error);
    writeLog(secrets, 'failure', error instanceof UserError ? message : `${message}\nThis is unexpected; please report it with the workflow run's log.`);
  }
}
