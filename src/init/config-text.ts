/**
 * The proposed environments as a commented `slipway.yaml`, for the user to read and check.
 * Pure: the same proposals always give the same text.
 */
import { stringify } from 'yaml';
import type { ProposedEnvironment } from './propose.js';

const ENGINE_NOTE = {
  kustomize: 'kustomize overlay',
  helm: 'Helm chart',
  plain: 'plain manifests (subdirectories included; one holding a kustomization is built with kustomize)',
} as const;

export function configText(environments: readonly ProposedEnvironment[]): string {
  const lines = [
    '# Written by `slipway init` from this repository\'s layout. Check each environment:',
    '# its name, its path, the kubeconfig context it deploys to, and the promotion chain',
    '# (promoteFrom was guessed from the names). See the README, "Configuration".',
    'environments:',
  ];
  for (const env of environments) {
    lines.push(`  # ${ENGINE_NOTE[env.engine]}`);
    lines.push(`  - name: ${scalar(env.name)}`);
    lines.push(`    path: ${scalar(env.path)}`);
    lines.push(`    # context: ${env.name}-cluster   # the kubeconfig context of its cluster (default: the current context)`);
    if (env.valuesFiles) lines.push(`    helm: { valuesFiles: [${env.valuesFiles.map(scalar).join(', ')}] }`);
    if (env.promoteFrom) {
      const note = env.ambiguousSource ? 'guessed among several: check it' : 'guessed from the names';
      lines.push(`    promoteFrom: ${scalar(env.promoteFrom)}   # ${note}`);
    }
    if (env.promotion) lines.push(`    promotion: ${env.promotion}   # changes reach it through a pull request to review`);
  }
  lines.push(
    '# defaults:                  # any environment key may also be set here for all of them',
    '#   kubernetesVersion: "1.33" # your clusters\' version: decides which API versions exist',
    '#   prune: true',
    '',
  );
  return lines.join('\n');
}

/** A YAML scalar, quoted when plain would change its meaning. */
function scalar(value: string): string {
  return stringify(value).trimEnd();
}
