/**
 * Which club the CLI talks to: --url / LOYALTY_URL, else the local club
 * (`npm start`: http://127.0.0.1:${PORT:-3000}); --token / LOYALTY_TOKEN (or
 * LOYALTY_API_TOKEN, the server's own variable), else the token the local club
 * saved in its data dir (${LOYALTY_DATA_DIR:-.loyalty-data}/api-token).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Target {
  readonly url: string;
  readonly token: string;
  /** Where the token came from, for messages (never the token itself). */
  readonly tokenSource: string;
}

export interface TargetFlags {
  readonly url?: string;
  readonly token?: string;
  readonly dataDir?: string;
}

export function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): Target {
  const url = flags.url || env.LOYALTY_URL || `http://127.0.0.1:${env.PORT || 3000}`;
  if (flags.token) return { url, token: flags.token, tokenSource: '--token' };
  if (env.LOYALTY_TOKEN) return { url, token: env.LOYALTY_TOKEN, tokenSource: 'LOYALTY_TOKEN' };
  if (env.LOYALTY_API_TOKEN) return { url, token: env.LOYALTY_API_TOKEN, tokenSource: 'LOYALTY_API_TOKEN' };
  const file = join(resolve(flags.dataDir || env.LOYALTY_DATA_DIR || '.loyalty-data'), 'api-token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token) return { url, token, tokenSource: file };
  } catch {
    // no local token: say so below
  }
  throw new Error(
    `no API token: pass --token or set LOYALTY_TOKEN (a local club started with \`npm start\` saves one in ${file}, which was not found)`,
  );
}
