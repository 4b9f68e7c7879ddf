/**
 * What Git answers once per run (exec/git.ts): a full SHA names the same commit and tree for the
 * whole run, so it is resolved once; a symbolic ref (HEAD moves when a promotion commits) and a
 * failed lookup are asked again every time. The checkout's tree is HEAD's only when
 * `git status` lists nothing but its branch headers.
 */
import { Git } from '../../src/exec/git.js';
import type { CommandRunner, RunResult } from '../../src/exec/run.js';

const SHA = 'a'.repeat(40);
const TREE = 'b'.repeat(40);

function fakeGit(answers: (args: readonly string[]) => Partial<RunResult>) {
  const calls: string[] = [];
  const runner: CommandRunner = {
    run(_command, args) {
      calls.push(args.join(' '));
      return Promise.resolve({ exitCode: 0, stdout: '', stderr: '', ...answers(args) } as RunResult);
    },
  };
  return { git: new Git(runner, '/repo', 'git'), calls };
}

const revParse = (args: readonly string[]): Partial<RunResult> | undefined => {
  if (args[0] !== 'rev-parse') return undefined;
  const ref = args.at(-1)!;
  if (ref === `${SHA}^{commit}` || ref === 'HEAD^{commit}') return { stdout: `${SHA}\n` };
  if (ref === `${SHA}^{tree}`) return { stdout: `${TREE}\n` };
  return { exitCode: 1 };
};

describe('Git answers asked once per run', () => {
  it('resolves a full SHA and its tree once, and HEAD every time', async () => {
    const { git, calls } = fakeGit((args) => revParse(args) ?? {});
    expect(await git.revParse(SHA)).toBe(SHA);
    expect(await git.revParse(SHA)).toBe(SHA);
    expect(await git.treeOf(SHA)).toBe(TREE);
    expect(await git.treeOf(SHA)).toBe(TREE);
    await git.revParse('HEAD');
    await git.revParse('HEAD');
    expect(calls.filter((c) => c.includes(`${SHA}^{commit}`))).toHaveLength(1);
    expect(calls.filter((c) => c.includes(`${SHA}^{tree}`))).toHaveLength(1);
    expect(calls.filter((c) => c.includes('HEAD^{commit}'))).toHaveLength(2);
  });

  it('a SHA that is not there yet is asked again (it may have been fetched since)', async () => {
    let fetched = false;
    const { git, calls } = fakeGit((args) => (args[0] === 'rev-parse' && fetched ? { stdout: `${SHA}\n` } : { exitCode: 1 }));
    await expect(git.revParse(SHA)).rejects.toThrow(`Git ref "${SHA}" does not name a commit`);
    fetched = true;
    expect(await git.revParse(SHA)).toBe(SHA);
    expect(calls).toHaveLength(2);
  });

  it("the checkout is HEAD's tree only when status lists nothing but the branch headers", async () => {
    const headers = `# branch.oid ${SHA}\0# branch.head main\0`;
    let status = headers;
    const { git } = fakeGit((args) => (args[0] === 'status' ? { stdout: status } : (revParse(args) ?? {})));
    expect(await git.checkoutTree()).toBe(TREE);
    for (const entry of ['1 .M N... 100644 100644 100644 x y envs/dev/kustomization.yaml', '? envs/dev/notes.txt', '! envs/dev/charts/dep.tgz']) {
      status = `${headers}${entry}\0`;
      expect(await git.checkoutTree()).toBeUndefined();
    }
    status = '# branch.oid (initial)\0# branch.head main\0';
    expect(await git.checkoutTree()).toBeUndefined();
  });
});
