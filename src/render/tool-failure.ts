/** A kustomize or helm run that failed: one finding with the tool's own words and the directory. */
import type { Finding } from '../model/findings.js';

export function toolFailure(tool: 'kustomize' | 'helm', input: { envPath: string; environment: string }, stderr: string): Finding {
  const detail = stderr.trim().split('\n').slice(-20).join('\n') || '(it printed no error message)';
  return {
    severity: 'error',
    rule: 'render-failed',
    message: `${tool} could not render environment "${input.environment}" from ${input.envPath}:\n${detail}`,
    file: input.envPath,
    environment: input.environment,
  };
}
