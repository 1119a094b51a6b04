import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST_CSV_COLUMNS, costCsvRows, costReport } from '../../../../shared/club/costs';
import type { ClubDeps } from '../../../../shared/club/deps';
import { toCsv } from '../../../../shared/club/reports';

const deps = { now: () => new Date('2026-03-03T08:00:00Z'), reports: { daysUpTo: async () => new Map() } } as unknown as ClubDeps;
const earn = { route: 'POST /v1/earn', trigger: 'http-api', rru: 2, wru: 8, wruAws: 8, durationMs: 40, memoryMb: 512 };

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loyalty-costs-csv-'));
  file = join(dir, 'costs.jsonl');
  // Two earns on 2 March; the first also had a transaction cancelled (6 write units billed, none reported).
  const lines = [
    { ...earn, at: '2026-03-02T10:00:00Z', wruCancelled: 6 },
    { ...earn, at: '2026-03-02T11:00:00Z' },
  ];
  await writeFile(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The CSV as the route answers it, each row keyed by its column. */
async function csvRows() {
  const report = await costReport(deps, { from: '2026-03-01', to: '2026-03-02' }, file);
  const [head, ...lines] = toCsv(COST_CSV_COLUMNS, costCsvRows(report))
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  const columns = head!.split(',');
  const rows = lines.map((l) => Object.fromEntries(l.split(',').map((cell, i) => [columns[i], cell])));
  return { report, columns, labels: rows.map((r) => r.route), row: (route: string) => rows.find((r) => r.route === route) };
}

describe('the costs CSV carries what finance reads in the JSON answer', () => {
  it("a route's write units priced and its cancelled transactions' write units, a request", async () => {
    const { columns, row } = await csvRows();
    expect(columns.slice(0, 6)).toEqual([
      'route',
      'requests',
      'rruPerRequest',
      'wruPerRequest',
      'wruPricedPerRequest',
      'wruCancelledPerRequest',
    ]);
    // 6 cancelled write units over 2 requests: 3 a request; 8 priced a request (both reported 8).
    expect(row('POST /v1/earn')).toMatchObject({
      requests: '2',
      wruPerRequest: '8',
      wruPricedPerRequest: '8',
      wruCancelledPerRequest: '3',
    });
  });

  it('the idle floor and the idle floor in an account of its own, after the fixed monthly total', async () => {
    const { report, labels, row } = await csvRows();
    const total = labels.indexOf('(fixed monthly) total');
    expect(labels.slice(total + 1, total + 3)).toEqual(['(fixed monthly) idle', '(fixed monthly) idle in free tier']);
    expect(row('(fixed monthly) idle')?.cost).toBe(String(report.fixedMonthly.idle));
    expect(row('(fixed monthly) idle in free tier')?.cost).toBe(String(report.fixedMonthly.idleInFreeTier));
  });

  it('the cost per 1,000 orders, per member per month and per 1,000 webhook deliveries, with what they divide by; empty without any', async () => {
    const { row } = await csvRows();
    // No orders, members or deliveries in the window: the JSON answers null, the CSV an empty cell beside the count 0.
    expect(row('(per 1000 orders)')).toMatchObject({ count: '0', cost: '' });
    expect(row('(per member per month)')).toMatchObject({ count: '0', cost: '' });
    expect(row('(per 1000 webhook deliveries)')).toMatchObject({ count: '0', cost: '' });
  });
});
