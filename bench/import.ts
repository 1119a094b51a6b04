/**
 * The staff CLI's member import at size (issue #6's check): a CSV of
 * BENCH_IMPORT_ROWS customers (default 50,000) with 1% bad rows, imported
 * through the HTTP API, interrupted at 40% and resumed. Prints rows per second
 * and DynamoDB units and requests per row, and checks that the good rows are in
 * the club once (the member export) and the bad ones in the report once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ClubApi } from '../cli/api';
import { exportMembers } from '../cli/export';
import { importMembers } from '../cli/import-members';
import type { RunningClub } from '../local/club';
import { writeMemberCsv } from '../test/support/member-csv';

export interface ImportFigures {
  readonly rows: number;
  readonly badRows: number;
  readonly concurrency: number;
  readonly rowsPerSecond: number;
  readonly seconds: number;
  readonly requestsPerRow: number;
  readonly rcuPerRow: number;
  readonly wcuPerRow: number;
  readonly resumedAtRow: number;
  readonly membersAfter: number;
  readonly reportedRows: number;
  readonly exportSeconds: number;
}

export async function measureImport(club: RunningClub, rows: number, concurrency = 16): Promise<ImportFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-bench-import-'));
  try {
    const file = join(dir, 'customers.csv');
    const csv = writeMemberCsv(file, rows, 'bench', '98915');
    let requests = 0;
    let rcu = 0;
    let wcu = 0;
    const api = new ClubApi({
      url: club.url,
      token: club.token,
      onResponse: (headers) => {
        requests++;
        const cap = Object.fromEntries((headers.get('x-loyalty-capacity') ?? '').split(';').map((kv) => kv.split('=') as [string, string]));
        rcu += Number(cap.rcu ?? 0);
        wcu += Number(cap.wcu ?? 0);
      },
    });
    const quiet = { write: () => true, isTTY: false };
    const started = performance.now();
    // Interrupted at 40%, as Ctrl-C would: rows in flight finish, the checkpoint is saved.
    const stop = new AbortController();
    const first = importMembers({
      file,
      api,
      concurrency,
      signal: stop.signal,
      progress: { write: (line: string) => (process.stderr.write(line), true), isTTY: false },
      log: () => {},
    });
    const watch = setInterval(() => {
      try {
        if (JSON.parse(readFileSync(`${file}.import-state.json`, 'utf8')).nextRow >= rows * 0.4) stop.abort();
      } catch {
        // not written yet
      }
    }, 200);
    const part = await first.finally(() => clearInterval(watch));
    const resumed = await importMembers({
      file,
      api,
      concurrency,
      progress: { write: (line: string) => (process.stderr.write(line), true), isTTY: false },
      log: () => {},
    });
    const seconds = (performance.now() - started) / 1000;
    if (!part.interrupted || resumed.interrupted) throw new Error('the import was meant to be interrupted once, then finish');

    const out = join(dir, 'members.csv');
    const exportStarted = performance.now();
    await exportMembers({ api: new ClubApi({ url: club.url, token: club.token }), out, progress: quiet });
    const exportSeconds = (performance.now() - exportStarted) / 1000;
    const members = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const mine = members.filter((m) => /^bench\d+@/.test(m.email ?? ''));
    const emails = new Set(mine.map((m) => m.email));
    const balance = mine.reduce((sum, m) => sum + Number(m.balance), 0);
    const reported = new Set(
      (parse(readFileSync(`${file}.errors.csv`, 'utf8'), { columns: true, bom: true }) as { row: string }[]).map((e) => Number(e.row)),
    );
    const good = rows - csv.bad.size;
    if (mine.length !== good || emails.size !== good)
      throw new Error(`expected ${good} members once each, found ${mine.length} (${emails.size} distinct)`);
    if (balance !== csv.points) throw new Error(`opening balances: expected ${csv.points} points, found ${balance}`);
    const unreported = [...csv.bad.keys()].filter((r) => !reported.has(r));
    const extra = [...reported].filter((r) => !csv.bad.has(r));
    if (unreported.length > 0 || extra.length > 0)
      throw new Error(
        `the error report does not list exactly the bad rows: ${unreported.length} bad rows missing (${unreported.slice(0, 5).join(', ')}), ` +
          `${extra.length} good rows listed (${extra.slice(0, 5).join(', ')})`,
      );
    return {
      rows,
      badRows: csv.bad.size,
      concurrency,
      rowsPerSecond: Math.round(rows / seconds),
      seconds: Math.round(seconds),
      requestsPerRow: Math.round((requests / rows) * 100) / 100,
      rcuPerRow: Math.round((rcu / rows) * 100) / 100,
      wcuPerRow: Math.round((wcu / rows) * 100) / 100,
      resumedAtRow: resumed.resumedAt ?? 0,
      membersAfter: mine.length,
      reportedRows: reported.size,
      exportSeconds: Math.round(exportSeconds * 10) / 10,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
