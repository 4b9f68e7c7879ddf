import type { SecretMask } from '../exec/secrets.js';
import type { Log } from '../flows/log.js';
import { writeLog } from './output.js';

/** Flow progress into the Actions log, through the action's one output function; groups collapsible. */
export function actionLog(secrets: SecretMask): Log {
  return {
    info: (message) => writeLog(secrets, 'info', message),
    warning: (message) => writeLog(secrets, 'warning', message),
    error: (message) => writeLog(secrets, 'error', message),
    async group(title, work) {
      writeLog(secrets, 'group', title);
      try {
        return await work();
      } finally {
        writeLog(secrets, 'endgroup');
      }
    },
  };
}
