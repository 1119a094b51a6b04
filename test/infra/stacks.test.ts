/**
 * The infra suites, run as one test file. Synthesis (esbuild bundling every function) is most
 * of their time and each stage is synthesized once per worker (test/support/synth.ts), so they
 * must share one worker; as one file they get one, and run beside the other projects' files
 * instead of in a group of their own after them, with one core idle (Vitest runs a project
 * that needs its own worker count as a separate group). Each suite keeps its hooks to itself.
 *
 *   npx vitest run test/infra                  every suite
 *   npx vitest run test/infra -t 'lambda access'  one of them
 */
import { describe } from 'vitest';

describe('stack', async () => void (await import('./stack.suite')));
describe('lambda access', async () => void (await import('./lambda-access.suite')));
describe('costs', async () => void (await import('./costs.suite')));
describe('operations', async () => void (await import('./operations.suite')));
describe('pages', async () => void (await import('./pages.suite')));
describe('webhooks', async () => void (await import('./webhooks.suite')));
describe('shop sync', async () => void (await import('./shop-sync.suite')));
describe('automations', async () => void (await import('./automations.suite')));
describe('event stream', async () => void (await import('./event-stream.suite')));
