/**
 * Test files share a worker and its modules (isolate: false, vitest.config.ts):
 * what a file sets in process.env is taken back when it ends, so no file sees
 * another's environment.
 */
import { afterAll } from 'vitest';

const before = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
  Object.assign(process.env, before);
});
