/**
 * A promotion that moves a version backwards (2.0 -> 1.0 by semver) is allowed, and says so
 * plainly: in the commit message, the pull request and the job summary (the CLI output:
 * backwards.e2e.test.ts).
 */
import { isBackwards } from '../../src/promote/image-ref.js';
import { commitMessage, pullRequestBody, pullRequestTitle } from '../../src/promote/message.js';
import { renderJobSummary } from '../../src/report/summary.js';
import { SecretMask } from '../../src/exec/secrets.js';

/** The run's mask, as an entry would make it; a fresh one per test. */
let secrets = new SecretMask();
beforeEach(() => {
  secrets = new SecretMask();
});

describe('isBackwards', () => {
  it.each([
    ['2.0', '1.0', true],
    ['1.0', '2.0', false],
    ['v1.10.0', 'v1.9.3', true],
    ['1.9.3', '1.10.0', false],
    ['1.0.0', '1.0.0-rc.1', true],
    ['1.0.0-rc.2', '1.0.0-rc.10', false],
    ['1.0.0-rc.10', '1.0.0-rc.2', true],
    ['latest', '1.0', false],
    ['main-3f2a', 'main-1b2c', false],
  ])('%s -> %s: %s', (from, to, expected) => {
    expect(isBackwards({ tag: from }, { tag: to })).toBe(expected);
  });

  it('digests carry no order', () => {
    expect(isBackwards({ tag: undefined }, { tag: undefined })).toBe(false);
  });
});

const BACK = { image: 'ghcr.io/acme/web', from: '2.0.0', to: '1.0.0', file: 'envs/prod/kustomization.yaml', line: 7, backwards: true as const };

describe('backwards promotions in texts', () => {
  it('the commit message says it in the subject and the body', () => {
    expect(commitMessage({ from: 'staging', to: 'prod', changes: [BACK] })).toBe(
      'promote staging -> prod: web 2.0.0 -> 1.0.0 (backwards)\n\nBackwards: ghcr.io/acme/web goes from 2.0.0 back to the older 1.0.0.\n\nSlipway-From: staging\nSlipway-To: prod\n',
    );
  });

  it('the pull request says it in its title and first lines', () => {
    expect(pullRequestTitle({ from: 'staging', to: 'prod', changes: [BACK] })).toBe('Promote staging -> prod: web 1.0.0 (backwards)');
    expect(pullRequestBody({ from: 'staging', to: 'prod', changes: [BACK] })).toContain(
      '**⚠️ Backwards:** `ghcr.io/acme/web` goes from `2.0.0` back to the older `1.0.0`.\n\n| image | from | to |',
    );
  });

  it('the job summary marks the image', () => {
    const text = renderJobSummary({ command: 'promote', environments: [], promotions: [{ source: 'staging', target: 'prod', mode: 'commit', commit: 'abc', changes: [BACK] }] }, secrets);
    expect(text).toContain('`ghcr.io/acme/web`: `2.0.0` → `1.0.0` ⚠️ **backwards**: an older version than the target ran');
  });

  it('forward promotions say nothing of the kind', () => {
    const forward = { ...BACK, from: '1.0.0', to: '2.0.0', backwards: undefined };
    expect(commitMessage({ from: 'staging', to: 'prod', changes: [forward] })).not.toMatch(/backwards/i);
    expect(pullRequestBody({ from: 'staging', to: 'prod', changes: [forward] })).not.toMatch(/backwards/i);
  });
});
