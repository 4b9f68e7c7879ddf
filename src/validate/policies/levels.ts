/** How loud each policy is: the environment's setting, else the documented default. */
import { DEFAULT_POLICIES, type EnvironmentConfig, type PolicyConfig, type PolicyLevel } from '../../config/types.js';
import type { Severity } from '../../model/findings.js';

/** The severity to report a policy with, or undefined when it is `off`. */
export function policySeverity(env: Pick<EnvironmentConfig, 'policies'>, policy: keyof PolicyConfig): Severity | undefined {
  const level: PolicyLevel = env.policies?.[policy] ?? DEFAULT_POLICIES[policy];
  return level === 'off' ? undefined : level;
}
