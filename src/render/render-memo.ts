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
 *
 * Below that, kustomize builds are shared by content (build-fingerprint.ts): an environment
 * whose files are the same at two commits, or in the checkout after an edit elsewhere, is built
 * once, whatever the trees around it hold.
 */
import type { EnvironmentConfig } from '../config/types.js';
import { askOnce } from '../model/ask-once.js';
import type { Finding } from '../model/findings.js';
import type { RenderedObject } from '../model/objects.js';
import type { RenderResult } from './render.js';

/** What one engine's render yields (plain files, kustomize, helm); kustomize builds are shared in this form. */
export interface BuildOutput {
  objects: RenderedObject[];
  findings: Finding[];
}

/** What the memo asks Git: the tree a ref names, and whether the checkout is exactly its HEAD. */
export interface TreeIdentity {
  treeOf(ref: string): Promise<string>;
  /** HEAD's tree when the checkout holds exactly its files, else undefined. */
  checkoutTree(): Promise<string | undefined>;
}

export class RenderMemo {
  private readonly renders = new Map<string, Promise<RenderResult>>();
  private readonly builds = new Map<string, Promise<BuildOutput>>();

  constructor(private readonly trees: TreeIdentity) {}

  /** `render()`'s result for `env` at `ref` (undefined: the checkout), run once per tree. */
  async render(env: EnvironmentConfig, ref: string | undefined, render: () => Promise<RenderResult>): Promise<RenderResult> {
    const tree = ref === undefined ? await this.trees.checkoutTree() : await this.trees.treeOf(ref);
    if (tree === undefined) return render();
    const result = await askOnce(this.renders, `${tree}\u0000${JSON.stringify(env)}`, render);
    return { ...result, ...copyOf(result) };
  }

  /**
   * `build()`'s output for inputs named by `key` (their digest, the directory and the tools),
   * run once. A failed build is built again: its message names the paths of its own run.
   */
  async build(key: string, build: () => Promise<BuildOutput>): Promise<BuildOutput> {
    return copyOf(await askOnce(this.builds, key, build, (output) => !output.findings.some((f) => f.severity === 'error')));
  }

  clear(): void {
    this.renders.clear();
    this.builds.clear();
  }
}

/** Later stages may add to what they are given; no caller sees another's changes. */
function copyOf(result: BuildOutput): BuildOutput {
  return {
    objects: result.objects.map((rendered): RenderedObject => ({
      ...rendered,
      object: structuredClone(rendered.object),
      ...(rendered.source ? { source: { ...rendered.source } } : {}),
    })),
    findings: result.findings.map((finding) => ({ ...finding })),
  };
}
