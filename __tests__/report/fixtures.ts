// Change sets and findings for report tests.
import type { ChangeAction, ChangeEntry, ChangeSet } from '../../src/model/changeset.js';

export function entry(kind: string, name: string, action: ChangeAction, diff = '', namespace = 'shop'): ChangeEntry {
  return {
    ref: { group: kind === 'Deployment' ? 'apps' : '', version: 'v1', kind, namespace, name },
    action,
    diff,
  };
}

/** A unified diff of `lines` changed lines, each `width` characters wide. */
export function diffOf(lines: number, width = 60, tag = 'x'): string {
  const out = ['--- live', '+++ desired', `@@ -1,${lines} +1,${lines} @@`];
  for (let i = 0; i < lines; i++) {
    out.push(`-  ${tag}${i}: ${'a'.repeat(width)}`);
    out.push(`+  ${tag}${i}: ${'b'.repeat(width)}`);
  }
  return `${out.join('\n')}\n`;
}

export function changeSet(environment: string, entries: ChangeEntry[], mode: 'cluster' | 'render' = 'cluster'): ChangeSet {
  return { environment, mode, entries };
}
