/** The local cost log (<data dir>/costs.jsonl), read back for GET /v1/reports/costs. */
import { readFile } from 'node:fs/promises';
import type { RequestUsage } from './request-cost';

export interface LoggedUsage extends RequestUsage {
  readonly at: string;
}

/** Records whose day (UTC) is within from..to; a missing file is an empty log, a torn last line is skipped. */
export async function readCostLog(file: string, from: string, to: string): Promise<LoggedUsage[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: LoggedUsage[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const r = JSON.parse(line) as LoggedUsage;
      const day = r.at.slice(0, 10);
      if (day >= from && day <= to) out.push(r);
    } catch {
      // a line cut short by a crash: not a request we can count
    }
  }
  return out;
}
