/**
 * YAML files of a target directory, parsed with source positions so that an edit can replace
 * exactly the bytes of one scalar. The text is kept as read (BOM, CRLF and all): every offset
 * from the parser points into it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { UserError } from '../model/errors.js';

export interface YamlFile {
  /** Path relative to the repository root, with `/` separators. */
  path: string;
  absolutePath: string;
  text: string;
  documents: Document.Parsed[];
  lines: LineCounter;
  /** The line ending the file uses (`\r\n` when its first line ends so). */
  eol: string;
}

export async function readYamlFile(root: string, absolutePath: string): Promise<YamlFile> {
  const text = await readFile(absolutePath, 'utf8');
  return parseYamlText(toRepoPath(root, absolutePath), absolutePath, text);
}

export function parseYamlText(path: string, absolutePath: string, text: string): YamlFile {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { keepSourceTokens: true, lineCounter: lines, uniqueKeys: false });
  if (!Array.isArray(documents)) {
    // An empty stream parses as an EmptyStream object rather than an array.
    return { path, absolutePath, text, documents: [], lines, eol: eolOf(text) };
  }
  for (const document of documents) {
    const error = document.errors[0];
    if (error) {
      const { line, col } = lines.linePos(error.pos[0]);
      throw new UserError(
        `${path}:${line}:${col}: YAML does not parse: ${error.message.split('\n')[0]}`,
        'Fix the file (or move it out of the environment directory) and run the promotion again.',
      );
    }
  }
  return { path, absolutePath, text, documents, lines, eol: eolOf(text) };
}

export function lineOf(file: YamlFile, offset: number): number {
  return file.lines.linePos(offset).line;
}

function eolOf(text: string): string {
  const newline = text.indexOf('\n');
  return newline > 0 && text[newline - 1] === '\r' ? '\r\n' : '\n';
}

export function toRepoPath(root: string, absolutePath: string): string {
  return relative(root, absolutePath).split(sep).join('/');
}

/**
 * Every `.yaml`/`.yml` file under `dir`, sorted. Hidden directories and the `templates/` and
 * `charts/` directories of a Helm chart are skipped: templates are not YAML until rendered,
 * and vendored subcharts are not the environment's to edit.
 */
export async function listYamlFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    const isChart = entries.some((e) => e.isFile() && e.name === 'Chart.yaml');
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = join(current, entry.name);
      if (entry.isDirectory()) {
        if (isChart && (entry.name === 'templates' || entry.name === 'charts')) continue;
        await walk(full);
      } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
        found.push(full);
      }
    }
  };
  await walk(dir);
  return found;
}
