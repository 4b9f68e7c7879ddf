/**
 * The README's first screen shows the preview comment `npm run demo` writes: its table and the
 * first environment's section, between two markers. `previewExcerpt` picks that part (the demo's
 * end-to-end test checks the README holds exactly it); run as a script with the comment file the
 * demo named, it rewrites the README's block: `npx tsx scripts/readme-preview.ts FILE`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const README_START = '<!-- demo-preview:start -->';
export const README_END = '<!-- demo-preview:end -->';

/** The environments table and the first environment's `<details>` section, as the comment has them. */
export function previewExcerpt(comment: string): string {
  const lines = comment.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| Environment |'));
  if (start < 0) throw new Error('the comment has no environments table');
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    depth += (lines[i].match(/<details>/g) ?? []).length - (lines[i].match(/<\/details>/g) ?? []).length;
    if (depth === 0 && lines[i].includes('</details>')) return lines.slice(start, i + 1).join('\n');
  }
  throw new Error('the comment has no complete environment section');
}

/** The text between the README's markers, or undefined when they are missing. */
export function readmeBlock(readme: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start + README_START.length, end).trim();
}

function main(file: string | undefined): void {
  if (!file) throw new Error('usage: npx tsx scripts/readme-preview.ts PREVIEW_COMMENT_FILE (the file `npm run demo` names)');
  const readmeFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
  const readme = readFileSync(readmeFile, 'utf8');
  if (readmeBlock(readme) === undefined) throw new Error(`README.md has no ${README_START} ... ${README_END} block`);
  const before = readme.slice(0, readme.indexOf(README_START) + README_START.length);
  const after = readme.slice(readme.indexOf(README_END));
  writeFileSync(readmeFile, `${before}\n${previewExcerpt(readFileSync(resolve(file), 'utf8'))}\n${after}`);
  process.stdout.write(`README.md: preview block rewritten from ${file}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv[2]);
