/** Policy `image-tag`: every container image names a tag other than `latest`, or a digest. */
import type { EnvironmentConfig } from '../../config/types.js';
import type { Finding } from '../../model/findings.js';
import type { RenderedObject } from '../../model/objects.js';
import { objectFinding } from '../object-finding.js';
import { containersOf } from '../../model/pod-specs.js';
import { policySeverity } from './levels.js';

/** Why `image` is not pinned, or undefined when it is (a digest, or a tag other than latest). */
export function imagePinProblem(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'has no tag (Kubernetes pulls "latest")';
  if (image.slice(colon + 1) === 'latest') return 'uses the tag "latest"';
  return undefined;
}

export function checkImageTags(objects: readonly RenderedObject[], env: Pick<EnvironmentConfig, 'policies'>): Finding[] {
  const severity = policySeverity(env, 'image-tag');
  if (!severity) return [];
  const findings: Finding[] = [];
  for (const rendered of objects) {
    for (const { container, path } of containersOf(rendered.object)) {
      if (typeof container.image !== 'string') continue;
      const problem = imagePinProblem(container.image);
      if (!problem) continue;
      const name = typeof container.name === 'string' ? container.name : String(path[path.length - 1]);
      findings.push(
        objectFinding(
          rendered,
          severity,
          'image-tag',
          `container "${name}" image "${container.image}" ${problem}; pin a version tag (e.g. :1.4.2) or a digest (@sha256:…) so deploys are repeatable`,
          [...path, 'image'],
        ),
      );
    }
  }
  return findings;
}
