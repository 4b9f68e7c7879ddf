// Action entry (action.yml runs dist/index.js, bundled from here).
import { main } from './action/main.js';
import { cancelOnSignals } from './signals.js';

await main(cancelOnSignals());
