/**
 * Label and annotation keys and values, as ValidateObjectMeta checks them: qualified-name keys,
 * label values of at most 63 characters, and at most 256 KiB of annotations in all.
 */
import { isPlainObject } from '../../model/objects.js';
import type { PathSegment } from '../json-path.js';
import { labelValue, qualifiedName } from './formats.js';
import type { ServerIssue } from './issue.js';

const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** Checks `metadata` (of an object or an embedded template) found at `path`. */
export function checkLabelsAndAnnotations(metadata: Record<string, unknown>, path: PathSegment[], out: ServerIssue[]): void {
  if (isPlainObject(metadata.labels)) checkLabelMap(metadata.labels, [...path, 'labels'], 'label', out);
  const annotations = metadata.annotations;
  if (!isPlainObject(annotations)) return;
  let bytes = 0;
  for (const key in annotations) {
    const problem = qualifiedName(key.toLowerCase());
    if (problem) out.push({ rule: 'server-label', path: [...path, 'annotations', key], message: `invalid annotation key "${key}": ${problem}` });
    const value = annotations[key];
    bytes += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  }
  if (bytes > ANNOTATIONS_MAX_BYTES)
    out.push({ rule: 'server-label', path: [...path, 'annotations'], message: `annotations total ${bytes} bytes, more than the 262144 (256 KiB) the API server accepts; move large data into a ConfigMap` });
}

/** A map of label keys to values: metadata.labels, a selector's matchLabels, a nodeSelector. */
export function checkLabelMap(labels: Record<string, unknown>, path: PathSegment[], what: string, out: ServerIssue[]): void {
  for (const key in labels) {
    const keyProblem = qualifiedName(key);
    if (keyProblem) out.push({ rule: 'server-label', path: [...path, key], message: `invalid ${what} key "${key}": ${keyProblem}` });
    const value = labels[key];
    if (typeof value !== 'string') continue;
    const valueProblem = labelValue(value);
    if (valueProblem) out.push({ rule: 'server-label', path: [...path, key], message: `invalid ${what} value "${value}" of "${key}": ${valueProblem}` });
  }
}
