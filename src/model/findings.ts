/** Validation findings: what every check produces and every report consumes. */

export type Severity = 'error' | 'warning' | 'notice';

export interface Finding {
  severity: Severity;
  /** Stable rule id, e.g. `yaml-syntax`, `schema`, `deprecated-api`, `image-tag`. */
  rule: string;
  message: string;
  /** Repository-relative file, when known. */
  file?: string;
  line?: number;
  column?: number;
  /** `Kind/namespace/name` of the object concerned, when there is one. */
  object?: string;
  environment?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** `file:line:column` or whatever part of it is known. */
export function formatLocation(f: Pick<Finding, 'file' | 'line' | 'column'>): string {
  if (!f.file) return '';
  if (!f.line) return f.file;
  return f.column ? `${f.file}:${f.line}:${f.column}` : `${f.file}:${f.line}`;
}
