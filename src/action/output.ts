/**
 * The action's one way into its log. The runner reads every line a step prints as a possible
 * workflow command: a line starting with `::` after white space, or `##[name]` anywhere in it
 * (the legacy form). Messages carry values from inputs, event payloads (branch names, PR titles,
 * commit messages) and the repository (environment, file and object names), so each one is
 * masked and made inert here, whatever it holds:
 *
 * - plain lines are escaped as the runner escapes command data (`%`, CR, LF), so a value can never
 *   end the line and start another; a leading `::` and every `##[` are percent-encoded, so the
 *   line itself cannot be a command (`::stop-commands::` included, which would silence the
 *   action's own commands for the rest of the step);
 * - annotations and groups go out as the commands they are, through @actions/core, which escapes
 *   their data and properties the same way.
 */
import * as core from '@actions/core';
import type { SecretMask } from '../exec/secrets.js';

export type LogKind = 'info' | 'notice' | 'warning' | 'error' | 'failure' | 'group' | 'endgroup';

export interface LogProperties {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/** Writes one message of `kind`, masked with the run's `secrets`; `failure` is an error that also fails the step. */
export function writeLog(secrets: SecretMask, kind: LogKind, message = '', properties?: LogProperties): void {
  const text = secrets.mask(message);
  switch (kind) {
    case 'info':
      core.info(inertLine(text));
      return;
    case 'group':
      core.startGroup(text);
      return;
    case 'endgroup':
      core.endGroup();
      return;
    case 'failure':
      core.setFailed(text);
      return;
    case 'notice':
      core.notice(text, maskProperties(secrets, properties));
      return;
    case 'warning':
      core.warning(text, maskProperties(secrets, properties));
      return;
    case 'error':
      core.error(text, maskProperties(secrets, properties));
      return;
    default:
      // Each kind is named above, so the bundle keeps only the @actions/core calls Slipway makes.
      kind satisfies never;
  }
}

/** One plain log line that the runner reads as text, never as a command. */
export function inertLine(text: string): string {
  return text
    .replace(/%/g, '%25')
    .replace(/\r/g, '%0D')
    .replace(/\n/g, '%0A')
    .replace(/##\[/g, '##%5B')
    .replace(/^([\s\u0085]*)::/, '$1%3A:');
}

function maskProperties(secrets: SecretMask, properties: LogProperties | undefined): core.AnnotationProperties {
  if (!properties) return {};
  return { ...properties, title: properties.title && secrets.mask(properties.title), file: properties.file && secrets.mask(properties.file) };
}
