/** Kubernetes resource quantities as numbers, close enough to compare requests with limits. */

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a quantity (`500m` -> 0.5, `1Gi` -> 1073741824, `2` -> 2); undefined when it does not parse. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2];
  if (!suffix) return number;
  if (suffix[0] === 'e' || suffix[0] === 'E') return number * 10 ** Number(suffix.slice(1));
  return number * SUFFIX[suffix];
}

/** True when `a` is larger than `b` beyond floating-point noise. */
export function quantityExceeds(a: number, b: number): boolean {
  return a > b + Math.abs(b) * 1e-12;
}
