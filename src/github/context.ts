/** What the Actions runner tells a step about where it runs, read from the environment. */

export interface RunContext {
  owner: string;
  repo: string;
  /** e.g. https://github.com */
  serverUrl: string;
  /** e.g. https://api.github.com */
  apiUrl: string;
  runId?: string;
  runAttempt?: string;
  /** Link to this workflow run, when the run id is known. */
  runUrl?: string;
  eventName?: string;
  sha?: string;
  /** `GITHUB_JOB`: the job's id in the workflow. */
  job?: string;
  /** `RUNNER_NAME`: which runner runs this job (matrix legs run on different ones). */
  runnerName?: string;
}

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/', 2);
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runId = env.GITHUB_RUN_ID || undefined;
  return {
    owner,
    repo,
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT || undefined,
    runUrl: runId && owner && repo ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : undefined,
    eventName: env.GITHUB_EVENT_NAME || undefined,
    sha: env.GITHUB_SHA || undefined,
    job: env.GITHUB_JOB || undefined,
    runnerName: env.RUNNER_NAME || undefined,
  };
}

/** Link to the run's job summary page (the run page; GitHub shows summaries there). */
export function summaryUrlOf(context: RunContext): string | undefined {
  return context.runUrl ? `${context.runUrl}${context.runAttempt ? `/attempts/${context.runAttempt}` : ''}` : undefined;
}
