/**
 * A js-yaml schema that reads plain scalars exactly as the `yaml` package does with
 * yaml-schema.ts's options. Rather than restating YAML 1.1's rules for ints, octals, booleans,
 * floats and nulls (and risking a difference in some corner such as `0_`, `.` or `089`), every
 * plain scalar is resolved by the very tag objects the `yaml` package would pick, in the same
 * order. Quoted and block scalars stay strings in both libraries.
 *
 * The schema has no explicit types at all: a tagged node (`!!str`, `!foo`) makes js-yaml throw,
 * which sends the document to the slow path.
 */
import jsYaml from 'js-yaml';
import { isScalar, Schema as YamlSchema } from 'yaml';
import type { ScalarTag } from 'yaml';
import { manifestYamlOptions } from './yaml-schema.js';

/** The tags the `yaml` package tries, in order, on a plain scalar in value position. */
const implicitTags: ScalarTag[] = new YamlSchema(manifestYamlOptions).tags.filter(
  (tag): tag is ScalarTag => !('collection' in tag && tag.collection) && tag.default === true && tag.test !== undefined,
);

/**
 * The YAML 1.1 tags whose patterns are known here: a plain scalar can only match one of them if
 * it is empty or starts with one of FIRST_CHARS (`~`/null, y/n/t/f/o for booleans, signs, digits
 * and `.` for numbers). Any other tag (say, timestamps turned back on) switches the shortcut off.
 */
const KNOWN_TAGS = new Set(['tag:yaml.org,2002:null', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float']);
const FIRST_CHARS = '~nNyYtTfFoO+-.0123456789';
const firstCharShortcut = implicitTags.every((tag) => KNOWN_TAGS.has(tag.tag));
const candidateFirst = new Uint8Array(128);
for (const ch of FIRST_CHARS) candidateFirst[ch.charCodeAt(0)] = 1;

const resolveOptions = { intAsBigInt: false, ...manifestYamlOptions };

function resolvePlain(text: string): unknown {
  if (firstCharShortcut && text.length > 0) {
    const code = text.charCodeAt(0);
    if (code >= 128 || candidateFirst[code] === 0) return text;
  }
  for (const tag of implicitTags) {
    if (!tag.test!.test(text)) continue;
    const resolved: unknown = tag.resolve(text, () => undefined, resolveOptions);
    return isScalar(resolved) ? resolved.value : resolved;
  }
  return text;
}

/** Claims every plain scalar (js-yaml passes only those to implicit types) and resolves it as above. */
const plainScalar = new jsYaml.Type('tag:slipway.dev,2026:plain-scalar', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string',
  construct: resolvePlain,
});

const schema = new jsYaml.Schema({ implicit: [plainScalar], explicit: [] });

/** Loads one document, or returns `undefined` when js-yaml rejects it. */
export function loadDocument(text: string): { value: unknown } | undefined {
  try {
    return { value: jsYaml.load(text, { schema }) };
  } catch {
    return undefined;
  }
}
