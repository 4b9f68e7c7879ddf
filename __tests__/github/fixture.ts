// A fake GitHub per test file and clients pointed at it, with backoff shrunk to milliseconds.
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../../src/github/client.js';
import { SecretMask } from '../../src/exec/secrets.js';
import { GitHubApiFake } from '../support/github-api-server.js';

export function useGitHubFake(): { fake: () => GitHubApiFake; client: (options?: Partial<GitHubClientOptions>) => GitHubClient } {
  let fake: GitHubApiFake | undefined;
  beforeEach(async () => {
    fake = await new GitHubApiFake().start();
  });
  afterEach(async () => {
    await fake?.stop();
  });
  return {
    fake: () => fake!,
    client: (options = {}) =>
      createGitHubClient({ token: 'ghs_faketoken123456', secrets: new SecretMask(), baseUrl: fake!.url, backoffUnitMs: 5, paceWrites: false, ...options }),
  };
}
