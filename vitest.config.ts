import { defineConfig } from 'vitest/config';
// With its extension: Vite loads this file as Node does (configLoader 'native', its coming default).
import { LongPolesFirst } from './test/support/sequencer.ts';

// The SDK's Node 22 notice is in the README; this process (the global setup's DynamoDB Local client) needn't print it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export default defineConfig({
  test: {
    // Node 20 is supported; the SDK's Node 22 notice is in the README, not in every test log.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Most files wait on DynamoDB Local, the queue or Chromium, not on the CPU: on a
    // 2-core machine Vitest's default (cores − 1 = one worker) runs them one after another.
    maxWorkers: 4,
    // What a test printed (the club's logs among it) is shown only if it failed.
    silent: 'passed-only',
    // The minute-long files first, whatever their project (test/support/sequencer.ts).
    sequence: { sequencer: LongPolesFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          // Pure and in-process: the files share their workers' modules instead of loading the SDK
          // and the club 72 times (21 s → 8 s). Mocked clients are restored and process.env put back
          // at each file's end (test/support/shared-worker.ts).
          isolate: false,
          setupFiles: ['test/support/shared-worker.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          // The API, jobs, CLI and local runtime against the real club, and the member page and the
          // console in Debian's Chromium (playwright-core): one project, so one transform of the
          // club and one set of workers for both.
          include: ['test/integration/**/*.test.ts', 'test/browser/**/*.test.ts'],
          // One DynamoDB Local for the whole run; each test file gets a database (access key) and table of its own.
          globalSetup: ['test/support/global-setup.ts'],
          // Jobs run by hand through the admin route with a controlled asOf, never by the clock. The club's
          // log lines go through the test's console (Powertools' dev mode), so `silent` (above) keeps them out
          // of a passing run's output and prints them under the test that failed.
          env: { LOYALTY_SCHEDULES: 'off', POWERTOOLS_DEV: 'true' },
          // Files share their workers' modules too (each loading the SDK and the club afresh was
          // ~1.5 CPU-s a file): every file's club has a table and database of its own
          // (test/support/club.ts), a file fails if it leaves a club running, and its
          // process.env is put back.
          isolate: false,
          setupFiles: ['test/support/shared-worker.ts', 'test/support/integration-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // A page waits on the club (the simulator re-prices 30 days of orders) while other files
          // load both cores: give a condition 15 s, not 1 s, to come true.
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          environment: 'node',
          // One file (test/infra/stacks.test.ts imports the suites), so one worker and one
          // synthesis per stage, run beside the other projects' files.
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
