/**
 * Commits written out as directory trees, once each per run: a preview renders every
 * environment at base and head, and all of those renders share the two trees instead of each
 * writing the whole repository out again. `dispose()` removes them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Git } from '../exec/git.js';
import { TreeMemo } from './tree-memo.js';

export class CommitTrees {
  private readonly trees = new Map<string, Promise<string>>();
  private readonly memos = new Map<string, TreeMemo>();
  private disposed = false;

  constructor(private readonly git: Git) {}

  /** Directory holding the files of `ref`'s commit (written on first use). */
  tree(ref: string): Promise<string> {
    // A render still in flight when the run ended (another one failed) must not write a tree nobody removes.
    if (this.disposed) return Promise.reject(new Error(`commit ${ref} was asked for after rendering ended`));
    let tree = this.trees.get(ref);
    if (!tree) {
      tree = mkdtemp(join(tmpdir(), 'slipway-tree-')).then(async (dir) => {
        try {
          await this.git.materialise(ref, dir);
          return dir;
        } catch (error) {
          await rm(dir, { recursive: true, force: true });
          throw error;
        }
      });
      this.trees.set(ref, tree);
    }
    return tree;
  }

  /** What renders of `ref`'s tree share (tree-memo.ts): the tree is written once and never changes during the run. */
  memo(ref: string): TreeMemo {
    let memo = this.memos.get(ref);
    if (!memo) {
      memo = new TreeMemo();
      this.memos.set(ref, memo);
    }
    return memo;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const dirs = await Promise.allSettled(this.trees.values());
    this.trees.clear();
    this.memos.clear();
    await Promise.all(dirs.map((d) => (d.status === 'fulfilled' ? rm(d.value, { recursive: true, force: true }) : undefined)));
  }
}
