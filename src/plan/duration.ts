import { UserError } from '../model/errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses `30s`, `5m`, `1h30m`, `1500ms` into milliseconds; `where` names the setting in the error. */
export function parseDuration(value: string, where: string): number {
  const text = value.trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (text === '' || parts.map((p) => p[0]).join('') !== text) {
    throw new UserError(`${where} is '${value}', which is not a duration`, 'Write it like 30s, 5m, 1h or 1h30m.');
  }
  return Math.round(parts.reduce((total, [, amount, unit]) => total + Number(amount) * UNIT_MS[unit], 0));
}
