/**
 * String formats the API server checks in custom resources (kube-openapi's format registry), as
 * ajv formats. Formats outside this list are not checked, as the server ignores unknown ones.
 */
import { isIP } from 'node:net';

type FormatCheck = { type: 'string'; validate: (value: string) => boolean } | { type: 'number'; validate: (value: number) => boolean };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UUID = /^(?:[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12})$/i;
const MAC = /^(?:[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}|[0-9a-f]{2}(?:[:-][0-9a-f]{2}){7}|[0-9a-f]{4}(?:\.[0-9a-f]{4}){2})$/i;

export const CRD_FORMATS: Record<string, FormatCheck> = {
  'date-time': { type: 'string', validate: (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T'))) },
  datetime: { type: 'string', validate: (v) => DATE_TIME.test(v) },
  date: { type: 'string', validate: (v) => DATE.test(v) && !Number.isNaN(Date.parse(v)) },
  byte: { type: 'string', validate: (v) => BASE64.test(v) },
  uuid: { type: 'string', validate: (v) => UUID.test(v) },
  ipv4: { type: 'string', validate: (v) => isIP(v) === 4 },
  ipv6: { type: 'string', validate: (v) => isIP(v) === 6 },
  cidr: { type: 'string', validate: (v) => isCidr(v) },
  mac: { type: 'string', validate: (v) => MAC.test(v) },
  int32: { type: 'number', validate: (v) => !Number.isInteger(v) || (v >= -(2 ** 31) && v <= 2 ** 31 - 1) },
  int64: { type: 'number', validate: (v) => !Number.isInteger(v) || Number.isSafeInteger(v) || Math.abs(v) <= 2 ** 63 },
};

function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || bits === undefined || !/^\d+$/.test(bits)) return false;
  const family = isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}
