/**
 * After editing, the target is rendered again: every promoted image must now carry the
 * promoted version, and every other image must be as it was. Anything else means an edit did
 * not take effect (a file that is not part of the render, an overriding layer) or hit too much.
 */
import type { RenderedObject } from '../model/objects.js';
import { collectImages, type CollectedImage } from './collect-images.js';
import { formatImageRef, sameVersion } from './image-ref.js';
import type { DesiredImage } from './select-images.js';

/** Differences between the rendered target and what the promotion intended; empty when it worked. */
export function imageDifferences(
  after: readonly RenderedObject[],
  before: ReadonlyMap<string, CollectedImage>,
  desired: readonly DesiredImage[],
  environment: string,
): string[] {
  const now = collectImages(after, environment);
  const problems: string[] = [];
  const promoted = new Map(desired.map((d) => [d.name, d]));
  for (const [name, old] of before) {
    const want = promoted.get(name) ?? old;
    const got = now.get(name);
    if (!got) problems.push(`${name}: expected ${formatImageRef(want)}, but the target no longer uses it`);
    else if (!sameVersion(got, want)) problems.push(`${name}: expected ${formatImageRef(want)}, rendered ${formatImageRef(got)} (${got.usedBy})`);
  }
  for (const [name, got] of now) {
    if (!before.has(name)) problems.push(`${name}: ${formatImageRef(got)} appeared in ${got.usedBy}`);
  }
  return problems;
}
