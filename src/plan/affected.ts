/**
 * plan, second half: which environments a change affects. An environment is affected when its
 * rendered output differs between base and head, so a change to a shared base counts for every
 * environment that includes it, and a comment-only edit counts for none.
 */
import type { EnvironmentConfig } from '../config/types.js';
import type { Finding } from '../model/findings.js';
import { refKey, refOf, type RenderedObject } from '../model/objects.js';
import { mapLimit } from '../model/concurrency.js';

export interface RenderOutcome {
  objects: RenderedObject[];
  findings: Finding[];
  /**
   * Why the environment was not rendered (a tool it needs is missing, remote content in a fork's
   * pull request): nothing shows it is unaffected, so it counts as affected and its findings are shown.
   */
  skipped?: string;
}

export type RenderAt = (env: EnvironmentConfig, ref: string | undefined) => Promise<RenderOutcome>;

export interface EnvironmentRenders {
  environment: EnvironmentConfig;
  /** Undefined when there is no base to compare with. */
  base?: RenderOutcome;
  head: RenderOutcome;
  affected: boolean;
}

/**
 * Renders every environment at base and head (in parallel, bounded) and marks the affected ones.
 * With no base, every environment is affected. An environment whose directory does not exist at
 * base (new in this change) renders as empty there.
 */
export async function renderAndCompare(
  environments: readonly EnvironmentConfig[],
  refs: { base?: string; head?: string },
  renderAt: RenderAt,
  options: { concurrency?: number } = {},
): Promise<EnvironmentRenders[]> {
  return mapLimit(environments, options.concurrency ?? 4, async (environment) => {
    const [head, base] = await Promise.all([
      renderAt(environment, refs.head),
      refs.base === undefined ? Promise.resolve(undefined) : renderAt(environment, refs.base),
    ]);
    const affected = base === undefined || head.skipped !== undefined || fingerprint(base.objects) !== fingerprint(head.objects);
    return { environment, base, head, affected };
  });
}

/** A canonical text of rendered objects: order- and key-order-independent. */
export function fingerprint(objects: readonly RenderedObject[]): string {
  return objects
    .map(({ object }) => `${refKey(refOf(object))}\u0000${canonicalJson(object)}`)
    .sort()
    .join('\n');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
