import type { Log } from '../flows/log.js';
import { writeLog } from './output.js';

/** Flow progress into the Actions log, through the action's one output function; groups collapsible. */
export const actionLog: Log = {
  info: (message) => writeLog('info', message),
  warning: (message) => writeLog('warning', message),
  error: (message) => writeLog('error', message),
  async group(title, work) {
    writeLog('group', title);
    try {
      return await work();
    } finally {
      writeLog('endgroup');
    }
  },
};
