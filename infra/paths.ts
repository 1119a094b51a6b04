import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so synth works from any cwd (CLI, vitest, IDE). */
export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

export const LOCK_FILE = join(REPO_ROOT, 'package-lock.json');

/** Where a route function's handler lives: functions/<name>.ts. */
export function handlerEntry(fn: string, functionsDir = join(REPO_ROOT, 'functions')): string {
  return join(functionsDir, `${fn}.ts`);
}

export function handlerExists(fn: string, functionsDir?: string): boolean {
  return existsSync(handlerEntry(fn, functionsDir));
}
