/** Builds findings about one rendered object: file, line and column, and the object's name. */
import type { Finding, Severity } from '../model/findings.js';
import { describeObject, type RenderedObject } from '../model/objects.js';
import type { PathSegment } from './json-path.js';
import { locateKey } from '../model/key-locations.js';

export function objectFinding(
  rendered: RenderedObject,
  severity: Severity,
  rule: string,
  message: string,
  path?: readonly PathSegment[],
): Finding {
  const located = (path && locateKey(rendered, path)) || rendered.source;
  const finding: Finding = { severity, rule, message, object: describeObject(rendered) };
  if (located) {
    finding.file = located.file;
    finding.line = located.line;
    finding.column = located.column;
  }
  return finding;
}
