/** The bundled action with a `kubeconfig` input that does not parse: every command fails, naming the input. */
import { createTestRepo, type TestRepo } from '../support/git-repo.js';
import { BUNDLE_TIMEOUT_MS, prepareBundle } from '../support/bundle.js';
import { runBundledAction } from '../support/action-run.js';
import { gitopsFiles } from './fixture.js';

let repo: TestRepo;
beforeAll(() => prepareBundle(), BUNDLE_TIMEOUT_MS);
beforeEach(() => {
  repo = createTestRepo({ files: gitopsFiles() });
});
afterEach(() => repo.cleanup());

it.each(['validate', 'preview'])('command %s fails on an unparsable kubeconfig input instead of going on without the cluster', async (command) => {
  const base = repo.head();
  const result = await runBundledAction({
    workspace: repo.dir,
    eventName: 'pull_request',
    payload: {
      action: 'opened',
      number: 3,
      repository: { full_name: 'acme/gitops', default_branch: 'main' },
      pull_request: { number: 3, base: { sha: base, ref: 'main', repo: { full_name: 'acme/gitops' } }, head: { sha: base, ref: 'feature', repo: { full_name: 'acme/gitops' } } },
    },
    sha: base,
    inputs: { command, kubeconfig: 'apiVersion: v1\nclusters: [ { name: one\n' },
  });
  expect(result.exitCode).toBe(1);
  expect(result.stdout).toMatch(/^::error::Cannot read the kubeconfig from the kubeconfig input: .*\d+:\d+/m);
});
