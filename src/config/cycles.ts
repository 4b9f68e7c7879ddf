/** Promotion chains must be acyclic: `promoteFrom` edges from each environment to its source. */

/** Each cycle once, as the list of names along it, starting from its first name in `order`. */
export function findPromotionCycles(promoteFrom: ReadonlyMap<string, string | undefined>, order: readonly string[]): string[][] {
  const cycles: string[][] = [];
  const settled = new Set<string>();
  for (const start of order) {
    if (settled.has(start)) continue;
    const path: string[] = [];
    const onPath = new Map<string, number>();
    let current: string | undefined = start;
    while (current !== undefined && !settled.has(current) && !onPath.has(current)) {
      onPath.set(current, path.length);
      path.push(current);
      current = promoteFrom.get(current);
    }
    if (current !== undefined && onPath.has(current)) cycles.push(path.slice(onPath.get(current)));
    for (const name of path) settled.add(name);
  }
  return cycles;
}
