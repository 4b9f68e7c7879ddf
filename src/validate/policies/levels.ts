/** How loud each policy is: the environment's setting, else the documented default. */
import type { EnvironmentConfig, PolicyConfig, PolicyLevel } from '../../config/types.js';
import type { Severity } from '../../model/findings.js';

export const DEFAULT_POLICY_LEVELS: PolicyConfig = {
  'image-tag': 'warning',
  'duplicate-object': 'error',
  'missing-namespace': 'error',
  'plaintext-secret': 'warning',
};

/** The severity to report a policy with, or undefined when it is `off`. */
export function policySeverity(env: Pick<EnvironmentConfig, 'policies'>, policy: keyof PolicyConfig): Severity | undefined {
  const level: PolicyLevel = env.policies?.[policy] ?? DEFAULT_POLICY_LEVELS[policy];
  return level === 'off' ? undefined : level;
}
