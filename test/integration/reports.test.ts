/**
 * Reports agree with the ledger: a club seeded through HTTP over several days
 * (the handlers run in this process, so a faked Date moves their clock), then
 * every figure of the summary and the series compared with the same figure
 * computed from the raw ledger (test/support/report-reference.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { rawLedger, uniqueId } from '../support/ledger';
import { referenceFigures, type RawEntry } from '../support/report-reference';

let club: TestClub;
const members: string[] = [];

const DAYS = ['2026-01-05', '2026-01-06', '2026-01-20', '2026-02-25', '2026-03-02'] as const;

function on(day: string, hour = 10) {
  vi.setSystemTime(new Date(`${day}T${String(hour).padStart(2, '0')}:00:00.000Z`));
}

async function ok(method: string, path: string, body?: unknown, status = 200) {
  const res = await club.api(method, path, body);
  expect(res.status, `${method} ${path} ${res.text}`).toBe(status);
  return res.body;
}

async function enrol(): Promise<string> {
  const m = (await ok('POST', '/v1/members', { memberId: uniqueId('r') }, 201)).memberId as string;
  members.push(m);
  return m;
}
const earn = (memberId: string, orderId: string, amount: string) => ok('POST', '/v1/earn', { memberId, orderId, amount, currency: 'USD' });
const refund = (memberId: string, orderId: string, amount: string) =>
  ok('POST', '/v1/refunds', { memberId, orderId, refundId: uniqueId('rf'), amount, currency: 'USD' });
const redeem = (memberId: string, points: number) => ok('POST', '/v1/redeem', { memberId, points, idempotencyKey: uniqueId('k') });
const adjust = (memberId: string, points: number) =>
  ok('POST', `/v1/members/${memberId}/adjustments`, { points, reason: 'test', idempotencyKey: uniqueId('a') }, 201);

async function reference(window: { from: string; to: string }) {
  const entries: RawEntry[] = [];
  const joined: { joinedAt: string }[] = [];
  for (const m of members) {
    entries.push(...((await rawLedger(club.client, club.tableName, m)) as RawEntry[]));
    joined.push({ joinedAt: (await ok('GET', `/v1/members/${m}`)).joinedAt });
  }
  return referenceFigures(joined, entries, window);
}

async function expectSummaryMatchesLedger(from: string, to: string) {
  const got = await ok('GET', `/v1/reports/summary?from=${from}&to=${to}`);
  const { revenueCents, ...want } = await reference({ from, to });
  if (got.exact) {
    expect(got, `${from}..${to}`).toMatchObject({ from, to, currency: 'USD', ...want });
  } else {
    // Distinct buyers are an upper bound here (docs/reports.md); everything else is exact.
    const { activeMembers, repeatBuyers: _r, repeatPurchaseRate: _p, ...rest } = want;
    expect(got, `${from}..${to}`).toMatchObject({ from, to, currency: 'USD', ...rest });
    expect(got.activeMembers).toBeGreaterThanOrEqual(activeMembers);
  }
  expect(Math.round(Number(got.revenue) * 100)).toBe(revenueCents);
  return got;
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  club = await startTestClub();
  const [a, b, c] = [await (on(DAYS[0], 9), enrol()), await enrol(), await enrol()];
  await earn(a!, 'ra-1', '100.00');
  await earn(b!, 'rb-1', '50.50');
  on(DAYS[1]);
  await earn(a!, 'ra-2', '30');
  await earn(a!, 'ra-2', '30'); // a retried order: counted once
  await redeem(a!, 40);
  await adjust(b!, 10);
  await adjust(c!, 5);
  on(DAYS[2]);
  await refund(a!, 'ra-1', '50');
  await earn(b!, 'rb-2', '20');
  await redeem(b!, 10);
  await earn(c!, 'rc-1', '99.99');
  on(DAYS[3]);
  await earn(c!, 'rc-2', '10');
  await earn(a!, 'ra-3', '5');
  const d = await enrol();
  await earn(d, 'rd-1', '1');
  await ok('POST', '/v1/refunds', { memberId: b!, orderId: 'rb-2', refundId: 'rb-2-all', amount: '20', currency: 'USD' });
  await ok('POST', '/v1/refunds', { memberId: b!, orderId: 'rb-2', refundId: 'rb-2-all', amount: '20', currency: 'USD' });
  // Orders with their own time count on their own day: e's orders on 01-10 and 02-01, reported later.
  const e = await enrol();
  await ok('POST', '/v1/earn', { memberId: e, orderId: 're-1', amount: '12.00', currency: 'USD', occurredAt: '2026-01-10T08:00:00Z' });
  await ok('POST', '/v1/earn', { memberId: e, orderId: 're-2', amount: '8.00', currency: 'USD', occurredAt: '2026-02-01T08:00:00Z' });
  on(DAYS[4]);
  await adjust(a!, -5);
  await redeem(d, 1);
  // A burst on one day: many members at once, so shards of the day's counter meet concurrent transactions.
  const burst = await Promise.all(Array.from({ length: 12 }, () => enrol()));
  await Promise.all(burst.flatMap((m, i) => [earn(m, `burst-${i}`, '7.25'), earn(m, `burst-${i}`, '7.25')]));
  vi.useRealTimers();
});
afterAll(() => club?.stop());

describe('reports agree with the raw ledger', () => {
  it('for every single day, the whole range, and windows across months', async () => {
    for (const day of [...DAYS, '2026-01-10', '2026-02-01']) expect((await expectSummaryMatchesLedger(day, day)).exact).toBe(true);
    const all = await expectSummaryMatchesLedger('2026-01-01', DAYS[4]);
    expect(all).toMatchObject({ members: 17, activeMembers: 17, orders: 22, exact: true });
    // Over 32 days, not from the 1st: a's and c's earlier orders are known by month only.
    expect((await expectSummaryMatchesLedger(DAYS[0], DAYS[4])).exact).toBe(false);
    await expectSummaryMatchesLedger('2026-01-06', '2026-01-31');
    await expectSummaryMatchesLedger('2026-01-20', '2026-02-20');
    await expectSummaryMatchesLedger('2026-01-26', '2026-02-25');
    await expectSummaryMatchesLedger('2026-02-01', '2026-03-31');
    await expectSummaryMatchesLedger('2026-01-01', '2026-12-31');
    // Before anything happened: nothing.
    const empty = await ok('GET', '/v1/reports/summary?from=2025-12-01&to=2025-12-31');
    expect(empty).toMatchObject({ members: 0, pointsOutstanding: 0, redemptionRate: 0, repeatPurchaseRate: 0 });
  });

  it('the liability is the sum of the balances and has a value in money', async () => {
    let balances = 0;
    for (const m of members) balances += (await ok('GET', `/v1/members/${m}`)).balance;
    const s = await ok('GET', `/v1/reports/summary?from=${DAYS[0]}&to=2026-12-31`);
    expect(s.pointsOutstanding).toBe(balances);
    expect(s.outstandingValue).toBe((balances / 100).toFixed(2));
  });

  it('the daily series adds up to the summary, and the last bucket holds the outstanding points', async () => {
    const series = await ok(
      'GET',
      `/v1/reports/series?from=${DAYS[0]}&to=${DAYS[4]}&interval=day&metric=pointsIssued,pointsRedeemed,orders,pointsOutstanding`,
    );
    const summary = await ok('GET', `/v1/reports/summary?from=${DAYS[0]}&to=${DAYS[4]}`);
    expect(series.metrics).toEqual(['pointsIssued', 'pointsRedeemed', 'orders', 'pointsOutstanding']);
    expect(series.items).toHaveLength(57);
    const total = (k: string) => series.items.reduce((s: number, i: Record<string, number>) => s + i[k]!, 0);
    expect(total('pointsIssued')).toBe(summary.pointsIssued);
    expect(total('pointsRedeemed')).toBe(summary.pointsRedeemed);
    expect(total('orders')).toBe(summary.orders);
    expect(series.items.at(-1).pointsOutstanding).toBe(summary.pointsOutstanding);
    const months = await ok('GET', `/v1/reports/series?from=2026-01-01&to=2026-03-31&interval=month`);
    expect(months.items.map((i: { from: string }) => i.from)).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    for (const item of months.items) {
      const { revenueCents: _, ...want } = await reference({ from: item.from, to: item.to });
      expect(item).toMatchObject(want);
    }
  });

  it('counts bonuses, pending points and their release, and expiry by the scheduled job like any other entry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      on('2027-01-15');
      const current = await club.api('GET', '/v1/admin/program');
      const put = await club.api(
        'PUT',
        '/v1/admin/program',
        { bonuses: { signUp: 25 }, earning: { returnWindowDays: 14 } },
        { 'if-match': current.headers.etag },
      );
      expect(put.status, put.text).toBe(200);
      const f = await enrol(); // +25 sign-up bonus
      await earn(f, 'rf-1', '40.00'); // 40 pending until 01-29
      on('2027-01-30');
      await ok('POST', '/v1/admin/jobs/release-pending/run', { asOf: '2027-01-30T00:05:00Z' });
      // a's, b's and c's January 2026 lots end at 2027-01-31T23:59:59.999Z.
      on('2027-02-01', 1);
      const expired = await ok('POST', '/v1/admin/jobs/expire-points/run', { asOf: '2027-02-01T00:30:00Z' });
      expect(expired.processed).toBeGreaterThan(0);
      const afterPut = await club.api('GET', '/v1/admin/program');
      await club.api('PUT', '/v1/admin/program', {}, { 'if-match': afterPut.headers.etag });

      for (const day of ['2027-01-15', '2027-01-30', '2027-02-01']) await expectSummaryMatchesLedger(day, day);
      const year = await expectSummaryMatchesLedger('2027-01-01', '2027-02-28');
      expect(year).toMatchObject({ pointsPending: 0 });
      expect(year.pointsIssued).toBe(25 + 40);
      expect(year.pointsExpired).toBeGreaterThan(0);
      const pendingMidway = await expectSummaryMatchesLedger('2027-01-15', '2027-01-20');
      expect(pendingMidway.pointsPending).toBe(40);
      await expectSummaryMatchesLedger('2026-01-01', '2027-12-31');
      let balances = 0;
      for (const m of members) balances += (await ok('GET', `/v1/members/${m}`)).balance;
      expect(year.pointsOutstanding).toBe(balances);
    } finally {
      vi.useRealTimers();
    }
  });

  it('exports CSV, by query or by Accept', async () => {
    const res = await club.api('GET', `/v1/reports/summary?from=${DAYS[0]}&to=${DAYS[4]}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row] = res.text.trim().split('\r\n');
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect(Number(cells.members)).toBe(17);
    const byAccept = await club.api('GET', `/v1/reports/series?from=${DAYS[0]}&to=${DAYS[4]}&interval=week`, undefined, {
      accept: 'text/csv',
    });
    expect(byAccept.headers['content-type']).toMatch(/^text\/csv/);
    expect(byAccept.text.split('\r\n')[0]).toMatch(/^from,to,members,/);
  });

  it('refuses bad windows with the contract error, and needs the token', async () => {
    const bad = await club.api('GET', '/v1/reports/summary?from=2026-03-02&to=2026-01-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await club.api('GET', '/v1/reports/summary?from=yesterday')).status).toBe(400);
    expect((await club.api('GET', '/v1/reports/series?metric=nope')).status).toBe(400);
    expect((await club.api('GET', '/v1/reports/series?from=2000-01-01&to=2026-01-01&interval=day')).status).toBe(400);
    expect((await club.api('GET', '/v1/reports/summary', undefined, { authorization: undefined })).status).toBe(401);
    // Dates outside 2000-01-01..2100-12-31 and too many buckets are refused before any work is done.
    for (const query of [
      'series?interval=month&from=9999-12-01&to=9999-12-31',
      'series?interval=day&from=0001-01-01&to=2026-01-01',
      'series?interval=week&from=2000-01-01&to=2100-12-31',
      'summary?from=0001-01-01&to=9999-12-31',
      'summary?to=2100-12-31T23:00:00-05:00',
      'costs?from=9999-12-01&to=9999-12-31',
    ]) {
      const res = await club.api('GET', `/v1/reports/${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('VALIDATION_FAILED');
    }
    const widest = await ok('GET', '/v1/reports/series?interval=month&from=2000-01-01&to=2083-04-30');
    expect(widest.items).toHaveLength(1000); // 83 years and 4 months: the most buckets a series has
    expect((await club.api('GET', '/v1/reports/series?interval=month&from=2000-01-01&to=2083-05-01')).status).toBe(400);
    for (const year of ['1999', '2101', '99999', '2026.5', '']) {
      expect((await club.api('GET', `/v1/admin/campaigns/calendar?year=${year}`)).status, year).toBe(400);
    }
    // Defaults: the last 30 days to today.
    const def = await ok('GET', '/v1/reports/summary');
    expect(def.to).toBe(new Date().toISOString().slice(0, 10));
  });
});
