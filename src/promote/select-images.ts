/**
 * Which images to promote and to which version: every image of the source environment, or
 * those named by the `images` input. A pin (`name=tag`, `name@sha256:…`) gives the version
 * itself, so it needs no source; with a source it must agree with what the source runs, so a
 * promotion never ships a version the source environment has not run.
 */
import { UserError } from '../model/errors.js';
import { ACTION_SETTING_NAMES, type SettingNames } from '../model/setting-names.js';
import type { CollectedImage } from './collect-images.js';
import { formatImageRef, parseImageRef, versionOf, type ImageRef } from './image-ref.js';

export interface DesiredImage extends ImageRef {
  /** Where the version comes from, for messages: `dev (Deployment/web)` or `pinned`. */
  origin: string;
  /** Named explicitly in `images` (an image the target does not use is then an error, not skipped). */
  explicit: boolean;
}

export interface ImageRequest {
  name: string;
  pin?: ImageRef;
  /** The entry as the user wrote it, for messages. */
  text: string;
}

/**
 * Parses the `images` input (or `--image` flags) once, at the edge: one entry per line (or array
 * item); `name`, `name=tag`, `name@digest`, `name=tag@digest`, `name:tag`. `label` prefixes errors.
 */
export function parseImageRequests(entries: readonly string[], label = 'images'): ImageRequest[] {
  const requests: ImageRequest[] = [];
  for (const raw of entries.flatMap((e) => e.split(/\r?\n/))) {
    const text = raw.trim();
    if (!text || text.startsWith('#')) continue;
    const equals = text.indexOf('=');
    const version = text.slice(equals + 1);
    // `name=tag` is the documented form; rewrite it as a reference (`name:tag`, `name@digest`) to parse it.
    const refText = equals < 0 ? text : `${text.slice(0, equals)}${version.startsWith('sha256:') ? '@' : ':'}${version}`;
    let ref: ImageRef;
    try {
      ref = parseImageRef(refText);
    } catch (error) {
      throw new UserError(`${label}: ${(error as Error).message}`, 'Write each entry as NAME, NAME=TAG, NAME@sha256:<digest> or NAME=TAG@sha256:<digest>.');
    }
    const pinned = ref.tag !== undefined || ref.digest !== undefined;
    if (requests.some((r) => r.name === ref.name)) throw new UserError(`${label}: ${ref.name} is listed twice.`);
    requests.push({ name: ref.name, text, ...(pinned ? { pin: ref } : {}) });
  }
  return requests;
}

/**
 * `source` is undefined when no source environment is involved (pins only).
 * `sourceName` names it in messages.
 */
export function selectImages(
  requests: readonly ImageRequest[],
  source: ReadonlyMap<string, CollectedImage> | undefined,
  sourceName: string | undefined,
  names: SettingNames = ACTION_SETTING_NAMES,
): DesiredImage[] {
  if (!source) {
    if (requests.length === 0) {
      throw new UserError('Nothing to promote: no source environment and no images.', `Set ${names.from} (or promoteFrom in slipway.yaml), or pin images with ${names.imageEntry('NAME=TAG')}.`);
    }
    return requests.map((request) => {
      if (!request.pin) {
        throw new UserError(`${names.imagesLabel}: '${request.text}' names an image without a version and there is no source environment to take it from.`, `Pin it as ${names.imageEntry(`${request.name}=<tag>`)}, or set ${names.from}.`);
      }
      return { ...request.pin, origin: 'pinned', explicit: true };
    });
  }

  const chosen: DesiredImage[] = [];
  const selected = requests.length > 0 ? requests : [...source.keys()].map((name) => ({ name, text: name }) as ImageRequest);
  for (const request of selected) {
    const found = source.get(request.name);
    const explicit = requests.length > 0;
    if (!found) {
      throw new UserError(
        `${names.imagesLabel}: ${request.name} is not used by source environment ${sourceName}.`,
        `It runs: ${[...source.values()].map(formatImageRef).join(', ') || 'no images'}. Check the name (registry and path must match exactly) or pin a version without ${names.from}.`,
      );
    }
    if (found.tag === undefined && found.digest === undefined) {
      throw new UserError(`${found.usedBy} in ${sourceName} uses ${found.name} without a tag or digest; there is no version to promote.`, 'Give the image a tag or digest in the source environment.');
    }
    const pinDisagrees = request.pin && ((request.pin.tag !== undefined && request.pin.tag !== found.tag) || (request.pin.digest !== undefined && request.pin.digest !== found.digest));
    if (request.pin && pinDisagrees) {
      throw new UserError(
        `${names.imagesLabel}: ${request.text}: version ${versionOf(request.pin)} does not exist in source environment ${sourceName}, which runs ${formatImageRef(found)} (${found.usedBy}).`,
        `Promote what ${sourceName} runs (${names.imageEntry(request.name)}), or pin the version without ${names.from}.`,
      );
    }
    const { usedBy, ...ref } = found;
    chosen.push({ ...ref, origin: `${sourceName} (${usedBy})`, explicit });
  }
  return chosen;
}
