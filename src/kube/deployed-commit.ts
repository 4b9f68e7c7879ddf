/**
 * The commit of an environment's last successful (healthy) deploy, kept as an annotation on
 * the environment's ApplySet parent: under the lock a deploy compares its own commit with it
 * (never deploy the past over a newer commit), and a rollback reads it back. This file is the
 * only one that reads or writes the annotation.
 *
 * Written with a merge patch under its own field manager rather than as part of the parent's
 * server-side apply: the parent's apply (manager `slipway`) does not list the annotation, and a
 * field owned by another manager is not removed when an applier stops sending it.
 */

import type { EnvironmentConfig } from '../config/types.js';
import type { ObjectRef } from '../model/objects.js';
import { parentLocation } from './applyset.js';
import type { KubeClient } from './client.js';
import { KubeApiError } from './errors.js';

export const DEPLOYED_COMMIT_ANNOTATION = 'slipway.dev/deployed-commit';
/** Field manager of the annotation (see above for why it is not `slipway`). */
export const DEPLOYED_COMMIT_MANAGER = 'slipway-deployed-commit';

type EnvironmentRef = Pick<EnvironmentConfig, 'name' | 'namespace'>;

function parentRef(env: EnvironmentRef): ObjectRef {
  const { name, namespace } = parentLocation(env);
  return { group: '', version: 'v1', kind: 'Secret', namespace, name };
}

/** The recorded commit, or undefined when the environment was never deployed healthy (or its parent does not exist). */
export async function readDeployedCommit(client: KubeClient, env: EnvironmentRef): Promise<string | undefined> {
  const parent = await client.get(parentRef(env));
  return parent?.metadata.annotations?.[DEPLOYED_COMMIT_ANNOTATION] || undefined;
}

/**
 * Records `commit` as deployed. Returns false (and writes nothing) when the parent does not
 * exist: a deploy that wrote no parent has no inventory to attach the record to.
 */
export async function recordDeployedCommit(client: KubeClient, env: EnvironmentRef, commit: string): Promise<boolean> {
  const ref = parentRef(env);
  const resource = await client.discovery.resolve(ref);
  try {
    await client.request({
      method: 'PATCH',
      path: resource.objectPath(ref.namespace, ref.name),
      query: { fieldManager: DEPLOYED_COMMIT_MANAGER },
      body: { metadata: { annotations: { [DEPLOYED_COMMIT_ANNOTATION]: commit } } },
      contentType: 'application/merge-patch+json',
      subject: `ApplySet parent Secret/${ref.namespace}/${ref.name}`,
    });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}
