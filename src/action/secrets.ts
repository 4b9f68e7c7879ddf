/**
 * Credentials arrive as inputs, so the runner puts them in this process's environment, from
 * where every child (kustomize, helm and their plugins) would inherit them. They are masked,
 * kept in memory only, and removed from the environment before anything runs. The password of
 * the runner's proxy is masked too, but stays: git, kubectl and helm need the proxy.
 */
import * as core from '@actions/core';
import { kubeconfigSecrets } from '../exec/kubeconfig-secrets.js';
import type { SecretMask } from '../exec/secrets.js';
import { proxyPasswords } from '../github/proxy.js';
import type { ActionInputs } from './inputs.js';

const CREDENTIAL_VARIABLES = ['INPUT_KUBECONFIG', 'INPUT_GITHUB-TOKEN', 'INPUT_GITHUB_TOKEN', 'GITHUB_TOKEN'];

export function protectCredentials(inputs: ActionInputs, env: NodeJS.ProcessEnv, secrets: SecretMask): void {
  const values = [...(inputs.kubeconfig ? kubeconfigSecrets(inputs.kubeconfig) : []), ...(inputs.githubToken ? [inputs.githubToken] : []), ...proxyPasswords(env)];
  for (const value of values) {
    secrets.add(value);
    core.setSecret(value);
  }
  for (const name of CREDENTIAL_VARIABLES) delete env[name];
}

/** For pull requests from forks: not even a kubeconfig file path stays reachable. */
export function dropClusterCredentials(env: NodeJS.ProcessEnv): void {
  delete env.KUBECONFIG;
}
