/**
 * What renders learn by reading files of a tree that does not change while the run lasts (a
 * commit written out by CommitTrees): a preview renders every environment at base and head, and
 * each of them reads the shared bases again, so each answer is found once per tree. The checks
 * themselves are unchanged: only the reading and parsing of a file's bytes is shared. A render
 * of the working tree, which may change, gets a memo of its own.
 */
export class TreeMemo {
  private readonly answers = new Map<string, Promise<unknown>>();

  /** `find()`'s answer for `path`, found on the first ask; `what` keeps answers of different questions apart. */
  once<T>(what: string, path: string, find: () => Promise<T>): Promise<T> {
    const key = `${what}\u0000${path}`;
    let answer = this.answers.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = find();
      this.answers.set(key, answer);
    }
    return answer;
  }
}
