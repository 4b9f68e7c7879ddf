/**
 * A digest of everything a kustomize build of an environment can read, so that builds of the
 * same content share one `kubectl kustomize` however many commits and checkouts hold it (a
 * preview renders every environment at base and head, and a pull request changes few of them).
 *
 * kustomize's default load restrictor (root-only, which Slipway never changes) keeps every
 * file a kustomization reads inside its own directory; the other kustomizations it reaches are
 * the directories kustomize-inputs.ts walks, and tree-check.ts has checked each of their files.
 * The digest covers those files' paths and bytes. There is none when the build may read what
 * the files do not show: remote bases, or more bytes than are worth hashing.
 */
import { createHash } from 'node:crypto';
import { fileFacts, type TreeCheck } from './tree-check.js';
import type { TreeMemo } from './tree-memo.js';

/** Past this many bytes of inputs, hashing them costs more than the build it could spare. */
const MAX_FINGERPRINT_BYTES = 64 * 1024 * 1024;

export async function buildFingerprint(check: TreeCheck, memo: TreeMemo, remote: readonly string[]): Promise<string | undefined> {
  if (remote.length > 0) return undefined;
  const files = [...check.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const digest = createHash('sha256');
  let bytes = 0;
  for (const file of files) {
    // The tree check has read the manifests already: each file's bytes are read once per tree.
    const content = await fileFacts(memo, file.target);
    bytes += content.size;
    if (bytes > MAX_FINGERPRINT_BYTES) return undefined;
    // A link's path and its target's both count: kustomize names the one, reads the other.
    digest.update(`${file.path}\u0000${check.repoPath(file.target)}\u0000${content.sha256}\n`);
  }
  for (const dir of [...check.kustomizationDirs].map((d) => check.repoPath(d)).sort()) digest.update(`dir\u0000${dir}\n`);
  return digest.digest('hex');
}
