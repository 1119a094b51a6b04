import { defineConfig } from 'vitest/config';
import { LongPolesFirst } from './test/support/sequencer';

export default defineConfig({
  test: {
    // Node 20 is supported; the SDK's Node 22 notice is in the README, not in every test log.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Most files wait on DynamoDB Local, the queue or Chromium, not on the CPU: on a
    // 2-core machine Vitest's default (cores − 1 = one worker) runs them one after another.
    maxWorkers: 4,
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
          // at each file's end (test/support/unit-setup.ts).
          isolate: false,
          setupFiles: ['test/support/unit-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/integration/**/*.test.ts'],
          // One DynamoDB Local for the whole run; each test file gets a database (access key) and table of its own.
          globalSetup: ['test/support/global-setup.ts'],
          // Jobs run by hand through the admin route with a controlled asOf, never by the clock.
          env: { LOYALTY_SCHEDULES: 'off' },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          // The member page and the console in Debian's Chromium (playwright-core), against the real club.
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // A page waits on the club (the simulator re-prices 30 days of orders) while the
          // integration files load both cores: give a condition 15 s, not 1 s, to come true.
          expect: { poll: { timeout: 15_000 } },
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          environment: 'node',
          include: ['test/infra/**/*.test.ts'],
          // CDK synthesis bundles every function with esbuild: one worker, no isolation, so
          // the files share test/support/synth.ts's one synthesis per stage.
          fileParallelism: false,
          isolate: false,
          // A project with its own worker count runs as its own group: after the others,
          // whose files wait on I/O, since synthesis wants both cores.
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
