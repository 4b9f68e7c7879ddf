import { readInputs, type ActionInputs } from '../../src/action/inputs.js';
import { decideIntent, type GitHubEvent } from '../../src/plan/intent.js';

function inputs(values: Record<string, string> = {}): ActionInputs {
  return readInputs((name) => values[name] ?? '');
}

const prPayload = (action: string, extra: Record<string, unknown> = {}, fork = false) => ({
  action,
  number: 7,
  pull_request: {
    number: 7,
    base: { sha: 'b'.repeat(40), repo: { full_name: 'acme/gitops' } },
    head: { sha: 'h'.repeat(40), repo: { full_name: fork ? 'mallory/gitops' : 'acme/gitops', fork } },
    merged: false,
    ...extra,
  },
});

describe('decideIntent', () => {
  const cases: Array<[string, GitHubEvent, Record<string, string>, Partial<ReturnType<typeof decideIntent>>]> = [
    ['PR opened previews base..head', { name: 'pull_request', payload: prPayload('opened') }, {}, { command: 'preview', base: 'b'.repeat(40), head: 'h'.repeat(40) }],
    ['PR synchronize previews', { name: 'pull_request', payload: prPayload('synchronize') }, {}, { command: 'preview' }],
    ['PR closed unmerged skips', { name: 'pull_request', payload: prPayload('closed') }, {}, { command: 'skip' }],
    [
      'merged PR deploys the merge commit against its first parent',
      { name: 'pull_request', payload: prPayload('closed', { merged: true, merge_commit_sha: 'm'.repeat(40) }) },
      {},
      { command: 'deploy', head: 'm'.repeat(40), base: undefined, baseIsFirstParentOfHead: true },
    ],
    ['push to default branch deploys before..after', { name: 'push', payload: { ref: 'refs/heads/main', before: '1'.repeat(40), after: '2'.repeat(40) } }, {}, { command: 'deploy', base: '1'.repeat(40), head: '2'.repeat(40) }],
    ['new branch push has no base', { name: 'push', payload: { ref: 'refs/heads/main', before: '0'.repeat(40), after: '2'.repeat(40) } }, {}, { command: 'deploy', base: undefined }],
    ['force push has no base', { name: 'push', payload: { ref: 'refs/heads/main', before: '1'.repeat(40), after: '2'.repeat(40), forced: true } }, {}, { command: 'deploy', base: undefined }],
    ['push to another branch validates', { name: 'push', payload: { ref: 'refs/heads/topic', before: '1'.repeat(40), after: '2'.repeat(40) } }, {}, { command: 'validate' }],
    ['dispatch with to promotes', { name: 'workflow_dispatch', payload: {} }, { to: 'staging', from: 'dev' }, { command: 'promote', environments: ['staging'] }],
    ['dispatch with environments deploys them', { name: 'workflow_dispatch', payload: {}, sha: 'c'.repeat(40) }, { environments: 'dev, prod' }, { command: 'deploy', environments: ['dev', 'prod'], head: 'c'.repeat(40) }],
    ['schedule runs drift over all', { name: 'schedule', payload: {} }, {}, { command: 'drift', environments: 'all' }],
    ['explicit plan on a PR keeps PR refs', { name: 'pull_request', payload: prPayload('opened') }, { command: 'plan' }, { command: 'plan', base: 'b'.repeat(40) }],
    ['explicit validate', { name: 'push', payload: { ref: 'refs/heads/main' } }, { command: 'validate' }, { command: 'validate' }],
  ];

  it.each(cases)('%s', (_name, event, values, expected) => {
    expect(decideIntent(event, inputs(values), 'main')).toMatchObject(expected);
  });

  it('marks a pull request from a fork', () => {
    const intent = decideIntent({ name: 'pull_request_target', payload: prPayload('opened', {}, true) }, inputs(), 'main');
    expect(intent.pullRequest?.fromFork).toBe(true);
  });

  it('treats a pull request whose head repository is gone as a fork', () => {
    const payload = prPayload('opened');
    (payload.pull_request.head as Record<string, unknown>).repo = null;
    expect(decideIntent({ name: 'pull_request', payload }, inputs(), 'main').pullRequest?.fromFork).toBe(true);
  });

  it('refuses deploy on an open pull request', () => {
    expect(() => decideIntent({ name: 'pull_request', payload: prPayload('opened') }, inputs({ command: 'deploy' }), 'main')).toThrow(
      /deploy.*open pull request/,
    );
  });

  it('asks for environments on a bare dispatch', () => {
    expect(() => decideIntent({ name: 'workflow_dispatch', payload: {} }, inputs(), 'main')).toThrow(/environments/);
  });
});

describe('readInputs', () => {
  it('parses lists, booleans and durations', () => {
    const parsed = inputs({ environments: 'dev\nstaging', images: 'app=1.2.3\n\nweb', 'dry-run': 'true', timeout: '90s' });
    expect(parsed).toMatchObject({ command: 'auto', environments: ['dev', 'staging'], images: [{ name: 'app', text: 'app=1.2.3', pin: { name: 'app', tag: '1.2.3' } }, { name: 'web', text: 'web' }], dryRun: true, timeoutMs: 90_000 });
  });

  it('names the input and the allowed values on a bad value', () => {
    expect(() => inputs({ command: 'ship' })).toThrow(/input 'command' is 'ship'[\s\S]*validate/);
    expect(() => inputs({ 'dry-run': 'maybe' })).toThrow(/input 'dry-run'/);
    expect(() => inputs({ timeout: '5 minutes' })).toThrow(/input 'timeout'[\s\S]*5m/);
  });

  it('accepts all', () => {
    expect(inputs({ environments: 'all' }).environments).toBe('all');
  });
});
