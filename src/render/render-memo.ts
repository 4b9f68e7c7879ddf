/**
 * Renders shared within one run. A render is a function of the repository's files, and a run
 * often renders the same files more than once: the head commit to find affected environments,
 * the checkout (the same files) to deploy it, the same again as a promotion's source or the
 * target before its edit. Each of those runs kubectl or helm, so each distinct tree is rendered
 * once per environment.
 *
 * The key is the Git tree, never the ref: a ref moves when a promotion commits. The checkout
 * counts as its HEAD's tree only while `git status` shows nothing at all (untracked and ignored
 * files included, since a chart's downloaded dependencies are usually ignored files); otherwise
 * it is rendered afresh every time. Every caller gets its own copy of the objects.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { RenderedObject } from '../model/objects.js';
import type { RenderResult } from './render.js';

/** What the memo asks Git: the tree a ref names, and whether the checkout is exactly its HEAD. */
export interface TreeIdentity {
  treeOf(ref: string): Promise<string>;
  /** HEAD's tree when the checkout holds exactly its files, else undefined. */
  checkoutTree(): Promise<string | undefined>;
}

export class RenderMemo {
  private readonly renders = new Map<string, Promise<RenderResult>>();

  constructor(private readonly trees: TreeIdentity) {}

  /** `render()`'s result for `env` at `ref` (undefined: the checkout), run once per tree. */
  async render(env: EnvironmentConfig, ref: string | undefined, render: () => Promise<RenderResult>): Promise<RenderResult> {
    const tree = ref === undefined ? await this.trees.checkoutTree() : await this.trees.treeOf(ref);
    if (tree === undefined) return render();
    const key = `${tree}\u0000${JSON.stringify(env)}`;
    let shared = this.renders.get(key);
    if (!shared) {
      shared = render();
      this.renders.set(key, shared);
      // A failed render is not remembered: the next ask tries again and reports its own error.
      shared.catch(() => this.renders.delete(key));
    }
    return copyOf(await shared);
  }

  clear(): void {
    this.renders.clear();
  }
}

/** Later stages may add to what they are given; no caller sees another's changes. */
function copyOf(result: RenderResult): RenderResult {
  return {
    ...result,
    objects: result.objects.map((rendered): RenderedObject => ({
      ...rendered,
      object: structuredClone(rendered.object),
      ...(rendered.source ? { source: { ...rendered.source } } : {}),
    })),
    findings: result.findings.map((finding) => ({ ...finding })),
  };
}
