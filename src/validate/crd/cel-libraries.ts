/**
 * The parts of the Kubernetes CEL libraries (strings, regex, lists, quantities, and the URL,
 * IP and CIDR predicates) that @marcbachmann/cel-js does not have built in. `url()`, `ip()` and
 * `cidr()` objects are not registered: rules using them are reported as not evaluable offline.
 */
import type { Environment } from '@marcbachmann/cel-js';
import { isIP } from 'node:net';
import { parseQuantity, quantityExceeds } from '../server/quantity.js';

/** A Kubernetes quantity in CEL (`quantity("1Gi")`), compared by value. */
class Quantity {
  constructor(readonly value: number) {}
}

function toQuantity(text: string): Quantity {
  const value = parseQuantity(text);
  if (value === undefined) throw new Error(`quantities must match the regular expression for quantities, got "${text}"`);
  return new Quantity(value);
}

function compare(a: Quantity, b: Quantity): bigint {
  if (quantityExceeds(a.value, b.value)) return 1n;
  if (quantityExceeds(b.value, a.value)) return -1n;
  return 0n;
}

type Comparable = bigint | number | string;

export function registerKubernetesLibraries(env: Environment): Environment {
  return env
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => charAt(s, i))
    .registerFunction('string.replace(string, string): string', (s: string, from: string, to: string) => s.split(from).join(to))
    .registerFunction('string.replace(string, string, int): string', (s: string, from: string, to: string, n: bigint) => replaceN(s, from, to, Number(n)))
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('string.find(string): string', (s: string, re: string) => new RegExp(re, 'u').exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, re: string) => [...s.matchAll(new RegExp(re, 'gu'))].map((m) => m[0]))
    .registerFunction('list.isSorted(): bool', (list: Comparable[]) => list.every((v, i) => i === 0 || list[i - 1] <= v))
    .registerFunction('list.sum(): dyn', (list: (bigint | number)[]) => sum(list))
    .registerFunction('list.min(): dyn', (list: Comparable[]) => extreme(list, (a, b) => a < b))
    .registerFunction('list.max(): dyn', (list: Comparable[]) => extreme(list, (a, b) => a > b))
    .registerFunction('list.indexOf(dyn): int', (list: unknown[], v: unknown) => BigInt(list.findIndex((x) => x === v)))
    .registerFunction('list.lastIndexOf(dyn): int', (list: unknown[], v: unknown) => BigInt(list.findLastIndex((x) => x === v)))
    .registerFunction('isURL(string): bool', (s: string) => isUrl(s))
    .registerFunction('isIP(string): bool', (s: string) => isIP(s) !== 0)
    .registerFunction('isCIDR(string): bool', (s: string) => isCidr(s))
    .registerFunction('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined)
    .registerType('Quantity', Quantity)
    .registerFunction('quantity(string): Quantity', toQuantity)
    .registerFunction('Quantity.compareTo(Quantity): int', compare)
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => compare(a, b) < 0n)
    .registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => compare(a, b) > 0n)
    .registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => new Quantity(a.value + b.value))
    .registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) => new Quantity(a.value + Number(b)))
    .registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => new Quantity(a.value - b.value))
    .registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) => new Quantity(a.value - Number(b)))
    .registerFunction('Quantity.sign(): int', (a: Quantity) => BigInt(Math.sign(a.value)))
    .registerFunction('Quantity.isInteger(): bool', (a: Quantity) => Number.isSafeInteger(a.value))
    .registerFunction('Quantity.asApproximateFloat(): double', (a: Quantity) => a.value)
    .registerFunction('Quantity.asInteger(): int', (a: Quantity) => {
      if (!Number.isSafeInteger(a.value)) throw new Error('cannot convert value to integer');
      return BigInt(a.value);
    });
}

function charAt(s: string, i: bigint): string {
  const chars = [...s];
  const index = Number(i);
  if (index < 0 || index > chars.length) throw new Error('index out of range');
  return chars[index] ?? '';
}

function replaceN(s: string, from: string, to: string, n: number): string {
  if (n < 0) return s.split(from).join(to);
  let out = s;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const at = out.indexOf(from, start);
    if (at < 0) break;
    out = out.slice(0, at) + to + out.slice(at + from.length);
    start = at + to.length;
  }
  return out;
}

function sum(list: (bigint | number)[]): bigint | number {
  if (list.length === 0) return 0n;
  if (typeof list[0] === 'bigint') return (list as bigint[]).reduce((a, b) => a + b, 0n);
  return (list as number[]).reduce((a, b) => a + b, 0);
}

function extreme(list: Comparable[], better: (a: Comparable, b: Comparable) => boolean): Comparable {
  if (list.length === 0) throw new Error('min/max of an empty list');
  return list.reduce((best, v) => (better(v, best) ? v : best));
}

function isUrl(s: string): boolean {
  try {
    return new URL(s).protocol.length > 1;
  } catch {
    return false;
  }
}

function isCidr(s: string): boolean {
  const [address, bits, ...rest] = s.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d+$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}
