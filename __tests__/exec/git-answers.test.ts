/**
 * What Git answers once per run (exec/git.ts): a full SHA names the same commit and tree for the
 * whole run, so it is resolved once, with its tree in the same command; a symbolic ref (HEAD moves when a promotion commits) and a
 * failed lookup are asked again every time. The checkout's tree is HEAD's only when
 * `git status` lists nothing but its branch headers.
 */
import { Git } from '../../src/exec/git.js';
import type { CommandRunner, RunOptions, RunResult } from '../../src/exec/run.js';

const SHA = 'a'.repeat(40);
const TREE = 'b'.repeat(40);

/** Each call as its arguments, then what it was given on stdin (cat-file reads the names it resolves there). */
function fakeGit(answers: (args: readonly string[], input: string) => Partial<RunResult>) {
  const calls: string[] = [];
  const runner: CommandRunner = {
    run(_command, args, options: RunOptions = {}) {
      const input = typeof options.input === 'string' ? options.input : '';
      calls.push([...args, input].join(' ').trim());
      return Promise.resolve({ exitCode: 0, stdout: '', stderr: '', ...answers(args, input) } as RunResult);
    },
  };
  return { git: new Git(runner, '/repo', 'git'), calls };
}

/** `git cat-file --batch-check='%(objectname) %(objecttype)'` over a repository holding one commit, SHA, at HEAD. */
const catFile = (args: readonly string[], input: string): Partial<RunResult> | undefined => {
  if (args[0] !== 'cat-file') return undefined;
  const answer = (name: string) =>
    name === `${SHA}^{commit}` || name === 'HEAD^{commit}' ? `${SHA} commit` : name === `${SHA}^{tree}` || name === 'HEAD^{tree}' ? `${TREE} tree` : `${name} missing`;
  return { stdout: input.split('\n').filter(Boolean).map((name) => `${answer(name)}\n`).join('') };
};

describe('Git answers asked once per run', () => {
  it('resolves a full SHA and its tree once, and HEAD every time', async () => {
    const { git, calls } = fakeGit((args, input) => catFile(args, input) ?? {});
    expect(await git.revParse(SHA)).toBe(SHA);
    expect(await git.revParse(SHA)).toBe(SHA);
    expect(await git.treeOf(SHA)).toBe(TREE);
    expect(await git.treeOf(SHA)).toBe(TREE);
    await git.revParse('HEAD');
    await git.revParse('HEAD');
    // The commit and its tree in one command, asked once; HEAD is asked every time.
    expect(calls.filter((c) => c.includes(`${SHA}^{commit}`))).toEqual([`cat-file --batch-check=%(objectname) %(objecttype) ${SHA}^{commit}\n${SHA}^{tree}`]);
    expect(calls.filter((c) => c.includes('HEAD^{commit}'))).toHaveLength(2);
    expect(calls).toHaveLength(3);
  });

  it('the tree of a ref resolved once costs no second command', async () => {
    const { git, calls } = fakeGit((args, input) => catFile(args, input) ?? {});
    expect(await git.treeOf('HEAD')).toBe(TREE);
    expect(calls).toHaveLength(1);
  });

  it('a name that is not a commit (a tree, a missing object) is an error naming the ref', async () => {
    const { git } = fakeGit((args, input) => (args[0] === 'cat-file' ? { stdout: input.split('\n').filter(Boolean).map(() => `${TREE} tree\n`).join('') } : {}));
    await expect(git.revParse(TREE)).rejects.toThrow(`Git ref "${TREE}" does not name a commit`);
    const missing = fakeGit((args, input) => catFile(args, input) ?? {});
    await expect(missing.git.revParse('no-such-branch')).rejects.toThrow('Git ref "no-such-branch" does not name a commit');
  });

  it('a ref with a line break is refused before git reads it as two names', async () => {
    const { git, calls } = fakeGit((args, input) => catFile(args, input) ?? {});
    await expect(git.revParse(`main\n${SHA}`)).rejects.toThrow('is not a usable Git ref');
    expect(calls).toHaveLength(0);
  });

  it('a SHA that is not there yet is asked again (it may have been fetched since)', async () => {
    let fetched = false;
    const { git, calls } = fakeGit((args, input) => (fetched ? (catFile(args, input) ?? {}) : { stdout: `${SHA}^{commit} missing\n${SHA}^{tree} missing\n` }));
    await expect(git.revParse(SHA)).rejects.toThrow(`Git ref "${SHA}" does not name a commit`);
    fetched = true;
    expect(await git.revParse(SHA)).toBe(SHA);
    expect(calls).toHaveLength(2);
  });

  it('renders asking at the same moment share one git status; an ask after it answered looks again', async () => {
    const headers = `# branch.oid ${SHA}\0# branch.head main\0`;
    let status = headers;
    const { git, calls } = fakeGit((args, input) => (args[0] === 'status' ? { stdout: status } : (catFile(args, input) ?? {})));
    expect(await Promise.all([git.checkoutTree(), git.checkoutTree(), git.checkoutTree()])).toEqual([TREE, TREE, TREE]);
    expect(calls.filter((c) => c.startsWith('status'))).toHaveLength(1);
    // A promotion edited a file since: the next render sees it.
    status = `${headers}1 .M N... 100644 100644 100644 x y envs/dev/kustomization.yaml\0`;
    expect(await git.checkoutTree()).toBeUndefined();
    expect(calls.filter((c) => c.startsWith('status'))).toHaveLength(2);
  });

  it("the checkout is HEAD's tree only when status lists nothing but the branch headers", async () => {
    const headers = `# branch.oid ${SHA}\0# branch.head main\0`;
    let status = headers;
    const { git } = fakeGit((args, input) => (args[0] === 'status' ? { stdout: status } : (catFile(args, input) ?? {})));
    expect(await git.checkoutTree()).toBe(TREE);
    for (const entry of ['1 .M N... 100644 100644 100644 x y envs/dev/kustomization.yaml', '? envs/dev/notes.txt', '! envs/dev/charts/dep.tgz']) {
      status = `${headers}${entry}\0`;
      expect(await git.checkoutTree()).toBeUndefined();
    }
    status = '# branch.oid (initial)\0# branch.head main\0';
    expect(await git.checkoutTree()).toBeUndefined();
  });
});
