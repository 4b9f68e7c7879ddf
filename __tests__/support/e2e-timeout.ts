// End-to-end tests start Git, kubectl, helm and the bundled action, on machines that may be busy:
// their timeout is far above how long they really take (jest reads testTimeout only globally).
import { jest } from '@jest/globals';

jest.setTimeout(300_000);
