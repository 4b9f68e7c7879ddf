/**
 * Multi-document manifest parsing with source positions. Every problem becomes a finding with
 * file, line and column; nothing here throws on bad input or runs unbounded (alias expansion is
 * capped). JSON is YAML, so JSON files take the same path.
 *
 * Two paths give the same objects, positions and findings: the fast one (parse-fast.ts, js-yaml)
 * takes every document it can vouch for, the slow one (parse-slow.ts, the `yaml` package) the
 * rest. Objects from a file carry a key locator, so findings can point at the exact key.
 */
import { parseManifestsFast } from './parse-fast.js';
import { parseManifestsSlow } from './parse-slow.js';
import type { SlowParseResult } from './parse-slow.js';

export interface ParseOptions {
  /**
   * Most alias expansions allowed per document before it is refused as an alias bomb
   * (the `yaml` package weighs each alias by the size of what it repeats). Default 100.
   */
  maxAliasCount?: number;
  /** Set to false to parse everything with the `yaml` package (for comparisons). Default true. */
  fastPath?: boolean;
}

export type ParseResult = SlowParseResult;

const DEFAULT_MAX_ALIAS_COUNT = 100;

export function parseManifests(text: string, file: string | undefined, options: ParseOptions = {}): ParseResult {
  const maxAliasCount = options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
  if (options.fastPath !== false) {
    const fast = parseManifestsFast(text, file, maxAliasCount);
    if (fast !== undefined) return fast;
  }
  return parseManifestsSlow(text, file, maxAliasCount);
}

