/** Running the staff CLI as staff do: its own process, against a test club's URL and token. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { TestClub } from './club';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface StopWhen {
  /** An import's checkpoint file to watch. */
  readonly stateFile: string;
  /** Send the signal once the checkpoint has reached this row. */
  readonly nextRowAtLeast: number;
  readonly signal: NodeJS.Signals;
}

/** `loyalty <args…> --url <club> --token <club's>`; with `until`, interrupted midway. */
export function runCli(club: Pick<TestClub, 'url' | 'token'> | undefined, args: string[], until?: StopWhen): Promise<CliRun> {
  const target = club ? ['--url', club.url, '--token', club.token] : [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args, ...target], {
    cwd: ROOT,
    env: { ...process.env, LOYALTY_URL: '', LOYALTY_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let poll: NodeJS.Timeout | undefined;
  if (until) {
    poll = setInterval(() => {
      try {
        const state = JSON.parse(readFileSync(until.stateFile, 'utf8'));
        if (state.nextRow >= until.nextRowAtLeast) {
          clearInterval(poll);
          child.kill(until.signal);
        }
      } catch {
        // not written yet
      }
    }, 50);
  }
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
