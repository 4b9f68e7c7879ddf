import * as core from '@actions/core';
import { maskSecrets } from '../exec/secrets.js';
import type { Log } from '../flows/log.js';

/** Flow progress into the Actions log, secrets masked, groups collapsible. */
export const actionLog: Log = {
  info: (message) => core.info(maskSecrets(message)),
  warning: (message) => core.warning(maskSecrets(message)),
  error: (message) => core.error(maskSecrets(message)),
  group: (title, work) => core.group(maskSecrets(title), work),
};
