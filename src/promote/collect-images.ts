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

/**
 * An environment whose render holds no container at all has nothing to promote: say so rather
 * than "already up to date". Flux HelmReleases and Argo CD Applications carry their images in
 * values that only their controllers render, so name them when the render has them.
 */
export function noImagesError(objects: readonly RenderedObject[], environment: { name: string; path: string }, role: 'source' | 'target'): UserError {
  const delegated = objects.filter((o) => DELEGATING_KINDS.some((k) => o.object.kind === k.kind && String(o.object.apiVersion ?? '').startsWith(k.group)));
  const kinds = [...new Set(delegated.map((o) => describeObject(o)))];
  return new UserError(
    `No container images found in the render of ${role} environment ${environment.name} (${environment.path})${kinds.length ? `: it holds ${kinds.slice(0, 3).join(', ')}${kinds.length > 3 ? ', ...' : ''}, whose images are rendered by their controller in the cluster, not by Slipway` : ''}.`,
    kinds.length
      ? 'Slipway promotes images of pod templates it renders: render the chart in the environment itself (a Chart.yaml directory with values files, or kustomize helmCharts:), or update the HelmRelease values / Application parameters by hand.'
      : `Check the environment's path; Slipway promotes the images of the pod templates it renders (Deployments, StatefulSets, CronJobs, ...).`,
  );
}

const DELEGATING_KINDS = [
  { group: 'helm.toolkit.fluxcd.io/', kind: 'HelmRelease' },
  { group: 'argoproj.io/', kind: 'Application' },
  { group: 'argoproj.io/', kind: 'ApplicationSet' },
];

function* imagesOf(object: KubeObject): Generator<{ text: string; container: string }> {
  for (const { container } of containersOf(object)) {
    if (typeof container.image === 'string') yield { text: container.image, container: String(container.name ?? '?') };
  }
}
