/**
 * Request bodies sent as YAML. Clients (kubectl, the engine) send server-side apply bodies as
 * `application/apply-patch+yaml` but spell them as JSON, which is YAML too; JSON.parse reads
 * those many times faster than a YAML parser. Anything JSON.parse rejects goes to the YAML
 * parser, so real YAML and its errors are unchanged. (One difference: a duplicate key in a
 * JSON-spelled body keeps the last value, as it does for application/json bodies, instead of
 * failing the YAML parse.)
 */
import YAML from 'yaml';

export function parseYamlBody(text: string): unknown {
  const start = firstNonSpace(text);
  if (start === '{' || start === '[') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Not JSON after all (flow-style YAML, say): the YAML parser decides.
    }
  }
  return YAML.parse(text) as unknown;
}

function firstNonSpace(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') return ch;
  }
  return '';
}
