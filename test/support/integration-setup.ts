/**
 * The integration files share their workers (isolate: false, vitest.config.ts): a club a file
 * left running would go on polling its stream and queues under the files after it, so a file
 * that leaves one fails (the club is stopped first).
 */
import { afterAll, expect } from 'vitest';
import { stopClubsLeftRunning } from './club';

afterAll(async () => {
  expect(await stopClubsLeftRunning(), 'test clubs this file started and did not stop').toBe(0);
});
