/**
 * Values one run must never print: tokens, kubeconfig credentials, exec-plugin tokens. Each entry
 * (the action, the CLI, the demo) makes one mask per run and hands it to what learns a secret
 * (credential inputs, kubeconfig reading, the GitHub client, git pushes) and to every output sink
 * (the log, GitHub writes, the job summary, the JSON report, the CLI's streams). Nothing is kept
 * between runs: two runs in one process share no secrets.
 */
export class SecretMask {
  private readonly values = new Set<string>();

  /** Registers a value (each line of it, and its base64 form); short values are ignored as too noisy to mask. */
  add(value: string | undefined): void {
    if (!value) return;
    for (const line of value.split(/\r?\n/)) {
      const trimmed = line.trim();
      if (trimmed.length >= 6) {
        this.values.add(trimmed);
        this.values.add(Buffer.from(trimmed, 'utf8').toString('base64'));
      }
    }
  }

  mask(text: string): string {
    let masked = text;
    // Longest first, so a secret containing another is masked whole.
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) {
      if (masked.includes(secret)) masked = masked.split(secret).join('***');
    }
    return masked;
  }

  /**
   * A copy of `value` with every string in it masked (arrays, plain objects and errors are
   * copied; undefined properties are left out). For data on its way to an output: masking it
   * before it is escaped, serialised or cut means no secret is split or escaped out of sight.
   */
  maskAll<T>(value: T): T {
    if (this.values.size === 0) return value;
    return this.copyMasked(value);
  }

  private copyMasked<T>(value: T): T {
    if (typeof value === 'string') return this.mask(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.copyMasked(item)) as T;
    if (value instanceof Error) {
      const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
      for (const key of Object.getOwnPropertyNames(value)) copy[key] = this.copyMasked((value as unknown as Record<string, unknown>)[key]);
      return copy as T;
    }
    if (value && typeof value === 'object' && isPlain(value)) {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, this.copyMasked(v)]),
      ) as T;
    }
    return value;
  }
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === Object.prototype || proto === null;
}
