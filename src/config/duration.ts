/** Durations in slipway.yaml, inputs and options: Go-style `30s`, `5m`, `1h`, `1h30m`, `500ms`. */
import { UserError } from '../model/errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

export const DURATION_FORMS = '`30s`, `5m`, `1h` or a combination such as `1h30m`';

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(PART)) total += Number(amount) * UNIT_MS[unit!]!;
  return Math.round(total);
}

/** Milliseconds; a UserError naming `setting` (e.g. "input 'timeout'") when the text is not a duration. */
export function requireDuration(text: string, setting: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UserError(`${setting} is '${text}', which is not a duration`, `Write it as ${DURATION_FORMS}.`);
  return ms;
}
