/**
 * Guesses where an environment sits in a promotion chain from its name: dev before qa before
 * staging before prod. Pure; `slipway init` prints the guess for the user to check.
 */

/** Name tokens by rank; an environment promotes from the nearest lower rank in its group. */
const STAGE_TOKENS: ReadonlyArray<readonly string[]> = [
  ['dev', 'develop', 'development', 'sandbox', 'local'],
  ['test', 'testing', 'qa', 'int', 'integration', 'ci'],
  ['uat', 'stage', 'staging', 'stg', 'preprod', 'pre-prod', 'preproduction', 'demo'],
  ['prod', 'production', 'prd', 'live'],
];

export interface StagedName {
  name: string;
  /** 0 (dev) .. 3 (prod); undefined when the name holds no stage word. */
  rank?: number;
  /** The name without its stage word: environments of one group promote into each other. */
  group: string;
}

export function stageOf(name: string): StagedName {
  const compound = STAGE_TOKENS.findIndex((tokens) => tokens.some((token) => token.includes('-') && name.includes(token)));
  if (compound >= 0) {
    const token = STAGE_TOKENS[compound].find((candidate) => candidate.includes('-') && name.includes(candidate))!;
    return { name, rank: compound, group: name.replace(token, '').replace(/^-+|-+$/g, '').replace(/--+/g, '-') };
  }
  const parts = name.split(/[-_.]/);
  for (let index = parts.length - 1; index >= 0; index--) {
    const rank = STAGE_TOKENS.findIndex((tokens) => tokens.includes(parts[index]));
    if (rank >= 0) return { name, rank, group: parts.filter((_, at) => at !== index).join('-') };
  }
  return { name, group: name };
}

export interface ChainLink {
  promoteFrom?: string;
  /** True for the last rank of a chain that has an earlier stage: changes reach it through a pull request. */
  production: boolean;
  /** Several environments of the rank below: the first was taken, the user should check. */
  ambiguous: boolean;
}

/** For each name, the environment it promotes from (nearest lower rank of the same group). */
export function guessChain(names: readonly string[]): Map<string, ChainLink> {
  const staged = names.map(stageOf);
  const links = new Map<string, ChainLink>();
  for (const env of staged) {
    const peers = staged.filter((other) => other.group === env.group && other.rank !== undefined && other.name !== env.name);
    if (env.rank === undefined || peers.length === 0) {
      links.set(env.name, { production: false, ambiguous: false });
      continue;
    }
    const lower = peers.filter((other) => other.rank! < env.rank!);
    const nearest = lower.length ? Math.max(...lower.map((other) => other.rank!)) : undefined;
    const sources = lower.filter((other) => other.rank === nearest).map((other) => other.name).sort();
    links.set(env.name, {
      promoteFrom: sources[0],
      production: env.rank === STAGE_TOKENS.length - 1 && sources.length > 0,
      ambiguous: sources.length > 1,
    });
  }
  return links;
}
