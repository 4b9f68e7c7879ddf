// Action entry (action.yml runs dist/index.js, bundled from here).
import { main } from './action/main.js';

await main();
