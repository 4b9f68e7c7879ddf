/** JSON text from outside (annotations, payloads) that may not parse: its value, or undefined when it does not. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
