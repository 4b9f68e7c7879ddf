/**
 * Typed reads of a YAML node tree that remember where each problem is. Every check records a
 * problem (file:line:column + what is allowed) and carries on, so one run reports all mistakes.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import type { LineCounter, Node as YamlNode, Pair, YAMLMap } from 'yaml';
import { UserError } from '../model/errors.js';
import { closestMatch } from '../model/suggest.js';

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** All problems of one config file; the message lists each with its location. */
export class ConfigError extends UserError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    problems = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
    super(
      problems.length === 1
        ? `${where(problems[0]!)}: ${problems[0]!.message}`
        : `${problems[0]!.file} has ${problems.length} problems:\n${problems.map((p) => `  ${where(p)}: ${p.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function where(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}`;
}

export class NodeReader {
  readonly problems: ConfigProblem[] = [];

  constructor(
    readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  problem(node: YamlNode | null | undefined, message: string): void {
    const { line, col } = this.lineCounter.linePos(node?.range?.[0] ?? 0);
    this.problems.push({ file: this.file, line, column: col, message });
  }

  lineOf(node: YamlNode): number {
    return this.lineCounter.linePos(node.range?.[0] ?? 0).line;
  }

  /** The pairs of a mapping whose keys are all allowed; unknown keys become problems naming the allowed ones. */
  pairs(node: YamlNode | null, what: string, allowed: readonly string[]): Map<string, { key: YamlNode; value: YamlNode | null }> {
    const result = new Map<string, { key: YamlNode; value: YamlNode | null }>();
    if (!isMap(node)) {
      this.problem(node, `${what} must be a mapping of keys to values (allowed keys: ${allowed.join(', ')})`);
      return result;
    }
    for (const pair of (node as YAMLMap).items as Pair<YamlNode, YamlNode | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) {
        this.problem(pair.key, `${what} has a key that is not a plain name; allowed keys: ${allowed.join(', ')}`);
        continue;
      }
      if (!allowed.includes(key)) {
        const suggestion = closestMatch(key, allowed);
        this.problem(
          pair.key,
          `unknown key "${key}" in ${what}${suggestion ? `; did you mean "${suggestion}"?` : '.'} Allowed keys: ${allowed.join(', ')}`,
        );
        continue;
      }
      result.set(key, { key: pair.key, value: pair.value });
    }
    return result;
  }

  string(node: YamlNode | null, what: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value;
    this.problem(node, `${what} must be a non-empty string${describe(node)}`);
    return undefined;
  }

  boolean(node: YamlNode | null, what: string): boolean | undefined {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.problem(node, `${what} must be true or false${describe(node)}`);
    return undefined;
  }

  number(node: YamlNode | null, what: string): number | undefined {
    if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
    this.problem(node, `${what} must be a number${describe(node)}`);
    return undefined;
  }

  oneOf<T extends string>(node: YamlNode | null, what: string, allowed: readonly T[]): T | undefined {
    if (isScalar(node) && typeof node.value === 'string' && (allowed as readonly string[]).includes(node.value)) return node.value as T;
    const given = isScalar(node) ? String(node.value) : undefined;
    const suggestion = given ? closestMatch(given, allowed) : undefined;
    this.problem(node, `${what} must be one of ${allowed.join(', ')}${describe(node)}${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
    return undefined;
  }

  /** A list of non-empty strings. */
  strings(node: YamlNode | null, what: string): string[] | undefined {
    if (!isSeq(node)) {
      this.problem(node, `${what} must be a list of strings${describe(node)}`);
      return undefined;
    }
    const values: string[] = [];
    node.items.forEach((item, index) => {
      const value = this.string(item as YamlNode | null, `${what}[${index}]`);
      if (value !== undefined) values.push(value);
    });
    return values;
  }

  /** The original text of a scalar (e.g. `1.30` stays `1.30`, not the number 1.3). */
  scalarSource(node: YamlNode | null): string | undefined {
    if (!isScalar(node)) return undefined;
    return typeof node.source === 'string' ? node.source : String(node.value);
  }
}

/** ", found <what>" to tell the user what they wrote. */
function describe(node: YamlNode | null): string {
  if (node === null || (isScalar(node) && node.value === null)) return ', found nothing';
  if (isMap(node)) return ', found a mapping';
  if (isSeq(node)) return ', found a list';
  if (isScalar(node)) return `, found ${typeof node.value === 'string' ? `"${node.value}"` : `${typeof node.value} ${String(node.value)}`}`;
  return '';
}
