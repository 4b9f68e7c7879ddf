/**
 * Where a manifest stops being UTF-8. Decoding such bytes leniently turns them into U+FFFD,
 * which would then be validated, diffed and applied as if the file had said so.
 */
import type { Finding } from '../model/findings.js';

const strict = new TextDecoder('utf-8', { fatal: true });

export interface BytePosition {
  line: number;
  column: number;
}

/** undefined when `bytes` is valid UTF-8, else the 1-based line and column (in bytes) of the first bad byte. */
export function findInvalidUtf8(bytes: Uint8Array): BytePosition | undefined {
  try {
    strict.decode(bytes);
    return undefined;
  } catch {
    const offset = firstInvalidOffset(bytes);
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset; i++) {
      if (bytes[i] === 0x0a) {
        line += 1;
        lineStart = i + 1;
      }
    }
    return { line, column: offset - lineStart + 1 };
  }
}

/** Offset of the first byte that does not start or continue a well-formed sequence (RFC 3629). */
function firstInvalidOffset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    if (length > 1 && !isWellFormed(bytes.subarray(i, i + length))) return i;
    i += length;
  }
  return bytes.length;
}

function isWellFormed(sequence: Uint8Array): boolean {
  try {
    strict.decode(sequence);
    return true;
  } catch {
    return false;
  }
}

export function invalidUtf8Finding(file: string, line: number, column: number): Finding {
  return {
    severity: 'error',
    rule: 'invalid-utf8',
    message: `${file}:${line}:${column} is not valid UTF-8; the file was not rendered. Save it as UTF-8 (a YAML file must be UTF-8, UTF-16 or UTF-32 with a byte order mark)`,
    file,
    line,
    column,
  };
}
