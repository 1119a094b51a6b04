/** Running the staff CLI as staff do: its own process, against a test club's URL and token. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { TestClub } from './club';

const ROOT = new URL('../..', import.meta.url).pathname;

let bundled: Promise<string> | undefined;

/**
 * The CLI as one JavaScript file, built from the same sources by the same call the bin
 * makes (cli/loyalty.mjs: runCli(argv)), once per test file. `node --import tsx` spends
 * ~1.3 s of CPU loading tsx and compiling the sources at every start, the bundle ~0.4 s:
 * the CLI files start it twenty-odd times, on a machine whose cores the suite keeps busy.
 * Under node_modules/.cache so the packages it leaves external resolve as from the repo.
 */
function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    const out = await build({
      stdin: { contents: "import { runCli } from './cli/main.ts';\nrunCli(process.argv.slice(2));\n", resolveDir: ROOT, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`, // as tsx compiles: for the running Node
      packages: 'external',
      write: false,
      logLevel: 'warning',
    });
    // Named by its content: the files of a run share one, and a change of the sources makes another.
    const code = out.outputFiles[0]!.contents;
    const dir = join(ROOT, 'node_modules', '.cache', 'loyalty-test-cli');
    const file = join(dir, `cli-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const partial = `${file}.${process.pid}.tmp`;
      writeFileSync(partial, code);
      renameSync(partial, file);
    }
    return file;
  })();
  return bundled;
}

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

export interface CliOptions {
  /**
   * Start it as `npm run loyalty` does: the TypeScript sources through tsx (slower to start).
   * @default false: the bundle of the same sources (cliBundle)
   */
  readonly viaTsx?: boolean;
}

/** `loyalty <args…> --url <club> --token <club's>`; with `until`, interrupted midway. */
export async function runCli(
  club: Pick<TestClub, 'url' | 'token'> | undefined,
  args: string[],
  until?: StopWhen,
  options: CliOptions = {},
): Promise<CliRun> {
  const target = club ? ['--url', club.url, '--token', club.token] : [];
  const entry = options.viaTsx ? ['--import', 'tsx', 'cli/main.ts'] : [await cliBundle()];
  const child = spawn(process.execPath, [...entry, ...args, ...target], {
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
