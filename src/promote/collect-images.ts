/**
 * The container images an environment runs, read from its rendered objects. Every pod
 * template counts: Pods, workload controllers, CronJob job templates, and custom resources
 * that embed a pod template at `spec.template.spec` (Argo Rollouts, Knative and the like).
 */
import { UserError } from '../model/errors.js';
import { formatLocation } from '../model/findings.js';
import { describeObject, type KubeObject, type RenderedObject } from '../model/objects.js';
import { containersOf } from '../model/pod-specs.js';
import { formatImageRef, parseImageRef, sameVersion, type ImageRef } from './image-ref.js';

export interface CollectedImage extends ImageRef {
  /** `Kind/name` (and where it was written) of the first object that uses this image. */
  usedBy: string;
}

/**
 * Images by name. Two different tags or digests for one name are an error, because a
 * promotion could not tell which one to copy (`environment` names the side for the message).
 */
export function collectImages(objects: readonly RenderedObject[], environment: string): Map<string, CollectedImage> {
  const images = new Map<string, CollectedImage>();
  for (const rendered of objects) {
    for (const { text, container } of imagesOf(rendered.object)) {
      const where = rendered.source ? `${describeObject(rendered)} (${formatLocation(rendered.source)})` : describeObject(rendered);
      let ref: ImageRef;
      try {
        ref = parseImageRef(text);
      } catch (error) {
        throw new UserError(`${where} (container '${container}') in environment ${environment}: ${(error as Error).message}`);
      }
      const seen = images.get(ref.name);
      if (!seen) {
        images.set(ref.name, { ...ref, usedBy: where });
      } else if (!sameVersion(seen, ref)) {
        throw new UserError(
          `Environment ${environment} runs two versions of ${ref.name}: ${formatImageRef(seen)} in ${seen.usedBy} and ${formatImageRef(ref)} in ${where}.`,
          'Make both objects use one version, or promote with explicit pins (images: name=tag).',
        );
      }
    }
  }
  return images;
}


function* imagesOf(object: KubeObject): Generator<{ text: string; container: string }> {
  for (const { container } of containersOf(object)) {
    if (typeof container.image === 'string') yield { text: container.image, container: String(container.name ?? '?') };
  }
}
