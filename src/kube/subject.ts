/** How an object is named in every message: `Kind/namespace/name (file:line)`. */

import type { KubeObject, ObjectRef, SourceLocation } from '../model/objects.js';
import { describeRef } from '../model/objects.js';
import { maskValues, secretValuesOf } from './redact.js';

export function subjectOf(ref: ObjectRef, source?: SourceLocation): string {
  return source ? `${describeRef(ref)} (${source.file}:${source.line})` : describeRef(ref);
}

/** A message safe to print: registered credentials and the values of the given Secrets masked. */
export function safeMessage(text: string, objects: readonly (KubeObject | undefined)[]): string {
  return maskValues(text, secretValuesOf(objects));
}
