/** Builds findings about one rendered object: file, line and column, and the object's name. */
import type { Finding, Severity } from '../model/findings.js';
import { describeRef, refOf, type RenderedObject } from '../model/objects.js';
import type { PathSegment } from './json-path.js';
import { locateKey } from './key-locations.js';

export function objectFinding(
  rendered: RenderedObject,
  severity: Severity,
  rule: string,
  message: string,
  path?: readonly PathSegment[],
): Finding {
  const located = (path && locateKey(rendered.object, path)) || rendered.source;
  const finding: Finding = { severity, rule, message, object: describeObject(rendered) };
  if (located) {
    finding.file = located.file;
    finding.line = located.line;
    finding.column = located.column;
  }
  return finding;
}

/** `Kind/namespace/name`; `Kind/(no name)` for objects that have none yet. */
export function describeObject(rendered: RenderedObject): string {
  const ref = refOf(rendered.object);
  return describeRef({ ...ref, kind: ref.kind || '(no kind)', name: ref.name || String(rendered.object.metadata?.generateName ?? '') || '(no name)' });
}
