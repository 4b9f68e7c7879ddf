/**
 * Deep copies of stored objects. They are JSON values (parsed request bodies, test seeds), so a
 * plain recursive copy does what structuredClone did at a fraction of its cost, which the
 * server pays several times per request. Anything that is not a plain object or an array
 * (a Date in a test seed, say) still goes through structuredClone.
 */
export function clone<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    // JSON.parse makes `__proto__` an own key; plain assignment would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy(source[key]), enumerable: true, writable: true, configurable: true });
    else out[key] = copy(source[key]);
  }
  return out;
}
