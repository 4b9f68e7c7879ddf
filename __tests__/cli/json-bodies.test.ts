// `slipway diff --json` prints the change set without object bodies: a Secret's values sit in
// `live`, `desired` and the compared pair, and none of them may reach stdout.
import { changeSetFromRenders } from '../../src/changeset/from-renders.js';
import { printOutcome } from '../../src/cli/print.js';
import type { CliArgs } from '../../src/cli/args.js';
import type { EnvironmentConfig } from '../../src/config/types.js';
import type { RunOutcome } from '../../src/flows/run.js';
import type { KubeObject, RenderedObject } from '../../src/model/objects.js';

const env = { name: 'dev', prune: { enabled: false, maxShare: 1 } } as unknown as EnvironmentConfig;
const secret = (password: string): RenderedObject =>
  ({ object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, data: { password } } as KubeObject, source: { file: 'envs/dev/db.yaml', line: 1 } }) as RenderedObject;

it('diff --json never prints a Secret value, before or after', () => {
  const changeSet = changeSetFromRenders(env, [secret('b2xkLXBhc3N3b3Jk')], [secret('bmV3LXBhc3N3b3Jk')]);
  expect(changeSet.entries[0].compared).toBeDefined();
  const outcome = { command: 'preview', ok: true, preview: { affected: ['dev'], environments: [{ name: 'dev', affected: true, mode: 'render', changeSet, findings: [] }] } } as unknown as RunOutcome;
  let stdout = '';
  printOutcome(outcome, { command: 'diff', json: true, color: false } as CliArgs, { stdout: (text) => (stdout += text), stderr: () => undefined, isTty: false });
  expect(stdout).toContain('"environment": "dev"');
  expect(stdout).not.toContain('b2xkLXBhc3N3b3Jk');
  expect(stdout).not.toContain('bmV3LXBhc3N3b3Jk');
});
