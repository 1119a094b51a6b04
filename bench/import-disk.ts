/**
 * The first thing a store does (issue #19): a 2,000-row CSV imported from the
 * staff CLI against a club whose data is on disk, as `npm start` runs it,
 * with the in-memory figure beside it. Each club is started fresh here, so
 * both figures are of the same import into an empty table. Prints rows/s,
 * DynamoDB calls per row and units per row (WRU by AWS's rule for
 * transactions).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClubApi } from '../cli/api';
import { importMembers } from '../cli/import-members';
import { startClub } from '../local/club';
import { writeMemberCsv } from '../test/support/member-csv';

/**
 * `npm start`: data on disk and its background services, the stream poller counting the new
 * members and opening entries beside the import; `disk` and `memory`: the import alone.
 */
export type ImportStore = 'npm start' | 'disk' | 'memory';

export interface DiskImportFigures {
  readonly store: ImportStore;
  readonly rows: number;
  readonly rowsPerSecond: number;
  readonly seconds: number;
  /** DynamoDB calls (requests to the store) per row. */
  readonly callsPerRow: number;
  readonly rcuPerRow: number;
  /** Write request units by AWS's rule (2 per KB per item in a transaction). */
  readonly wruPerRow: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

async function importOnce(store: ImportStore, rows: number): Promise<DiskImportFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-bench-disk-'));
  // Its own DynamoDB Local each: as `npm start` runs it (data in the data dir, every background service), or the import alone.
  const club = await startClub(
    store === 'npm start'
      ? { dataDir: join(dir, 'data'), quiet: true }
      : store === 'disk'
        ? { dataDir: join(dir, 'data'), quiet: true, services: [] }
        : { inMemory: true, quiet: true, services: [] },
  );
  try {
    const file = join(dir, 'customers.csv');
    writeMemberCsv(file, rows, 'disk', '98916');
    let calls = 0;
    let rcu = 0;
    let wru = 0;
    const api = new ClubApi({
      url: club.url,
      token: club.token,
      onResponse: (headers) => {
        const cap = Object.fromEntries((headers.get('x-loyalty-capacity') ?? '').split(';').map((kv) => kv.split('=') as [string, string]));
        calls += Number(cap.calls ?? 0);
        rcu += Number(cap.rcu ?? 0);
        wru += Number(cap.wruAws ?? 0);
      },
    });
    const started = performance.now();
    const summary = await importMembers({ file, api, progress: { write: () => true, isTTY: false }, log: () => {} });
    const seconds = (performance.now() - started) / 1000;
    if (summary.created + summary.existing + summary.failed !== rows)
      throw new Error(`expected ${rows} rows answered, got ${JSON.stringify(summary)}`);
    return {
      store,
      rows,
      rowsPerSecond: Math.round(rows / seconds),
      seconds: Math.round(seconds * 10) / 10,
      callsPerRow: round2(calls / rows),
      rcuPerRow: round2(rcu / rows),
      wruPerRow: round2(wru / rows),
    };
  } finally {
    await club.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same file into a club as `npm start` runs it, then into one with data on disk alone, then an in-memory one. */
export async function measureDiskImport(rows: number): Promise<DiskImportFigures[]> {
  return [await importOnce('npm start', rows), await importOnce('disk', rows), await importOnce('memory', rows)];
}
