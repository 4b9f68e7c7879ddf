/**
 * A unified diff of a plan's files, as `git diff -U0` would show them (paths relative to the
 * repository). No context lines: a promotion changes only image references, and a neighbouring
 * line (a `password:` beside an `image.tag` in a values file) must not travel into a summary.
 */
import { structuredPatch } from 'diff';
import type { PlannedFile } from './types.js';

export function unifiedDiff(files: readonly PlannedFile[]): string {
  let out = '';
  for (const file of files) {
    const patch = structuredPatch(`a/${file.path}`, `b/${file.path}`, file.before, file.after, '', '', { context: 0 });
    out += `diff --git a/${file.path} b/${file.path}\n--- a/${file.path}\n+++ b/${file.path}\n`;
    for (const hunk of patch.hunks) {
      out += `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@\n`;
      for (const line of hunk.lines) out += `${line.replace(/\r$/, '')}\n`;
    }
  }
  return out;
}

function range(start: number, lines: number): string {
  return lines === 1 ? `${start}` : `${start},${lines}`;
}

/** Lines added and removed by a diff (headers excluded). */
export function countChangedLines(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ') || line.startsWith('--- ')) continue;
    if (line.startsWith('+')) added += 1;
    else if (line.startsWith('-')) removed += 1;
  }
  return { added, removed };
}
