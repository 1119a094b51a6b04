/**
 * Pending points through HTTP against DynamoDB Local: an order's points wait
 * out the store's return window, a refund inside it cancels them without a
 * negative balance, and the release makes the rest spendable, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../shared/club/jobs';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, uniqueId } from '../support/ledger';
import { wiring } from '../../shared/wiring';

let club: TestClub;
const DAY = 86_400_000;

beforeAll(async () => {
  club = await startTestClub();
  const current = await club.api('GET', '/v1/admin/program');
  const res = await club.api('PUT', '/v1/admin/program', {
    expectedVersion: current.body.version,
    earning: { returnWindowDays: 14 },
    bonuses: { referral: { referrer: 100, referred: 10 } },
  });
  expect(res.status).toBe(200);
});
afterAll(() => club?.stop());

async function newMember(extra: Record<string, unknown> = {}) {
  const res = await club.api('POST', '/v1/members', { memberId: uniqueId('m'), ...extra });
  expect(res.status).toBe(201);
  return res.body.memberId as string;
}

const earn = (memberId: string, amount: string, orderId = uniqueId('o'), extra: Record<string, unknown> = {}) =>
  club.api('POST', '/v1/earn', { memberId, orderId, amount, currency: 'USD', ...extra });
const release = (asOf: Date) => club.api('POST', '/v1/admin/program/release-pending', { asOf: asOf.toISOString() });
const member = async (id: string) => (await club.api('GET', `/v1/members/${id}`)).body;

describe('pending points', () => {
  it('wait out the return window, show with their release date, and are released once', async () => {
    const m = await newMember();
    const orderId = uniqueId('o');
    const res = await earn(m, '120', orderId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ points: 0, balance: 0, pendingPoints: 120 });
    let view = await member(m);
    expect(view).toMatchObject({ balance: 0, pendingPoints: 120, pending: [{ points: 120, orderId, releaseAt: expect.any(String) }] });
    const releaseAt = Date.parse(view.pending[0].releaseAt);
    expect(releaseAt - Date.now()).toBeGreaterThan(13.9 * DAY);
    const redeem = await club.api('POST', '/v1/redeem', { memberId: m, points: 1, idempotencyKey: uniqueId('k') });
    expect(redeem.status).toBe(409);

    const early = await release(new Date(releaseAt - 60_000));
    expect(early.status).toBe(200);
    expect((await member(m)).balance).toBe(0);

    const first = await release(new Date(releaseAt + DAY));
    expect(first.body.released).toBeGreaterThanOrEqual(1);
    view = await member(m);
    expect(view).toMatchObject({ balance: 120, pendingPoints: 0, pending: [] });
    // The daily job is the same release: nothing twice.
    const again = await club.api('POST', '/v1/admin/jobs/release-pending/run', { asOf: new Date(releaseAt + DAY).toISOString() });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ job: 'release-pending', released: 0, complete: true });
    expect((await member(m)).balance).toBe(120);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(120);

    // A refund after the release takes back by what the order earned, from the balance.
    const refund = await club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: uniqueId('r'), amount: '30', currency: 'USD' });
    expect(refund.body.points).toBe(30);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(90);
  });

  it('a refund inside the window cancels pending points, never a negative balance', async () => {
    const m = await newMember();
    const orderId = uniqueId('o');
    await earn(m, '100', orderId);
    const partial = await club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: uniqueId('r'), amount: '25', currency: 'USD' });
    expect(partial.status).toBe(200);
    expect(await member(m)).toMatchObject({ balance: 0, pendingPoints: 75 });
    const rest = await club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: uniqueId('r'), amount: '75', currency: 'USD' });
    expect(rest.status).toBe(200);
    expect(await member(m)).toMatchObject({ balance: 0, pendingPoints: 0, pending: [] });
    const ledger = (await club.api('GET', `/v1/members/${m}/ledger`)).body.items;
    expect(ledger.map((e: { type: string; points: number; pendingPoints?: number }) => [e.type, e.points, e.pendingPoints])).toEqual([
      ['reverse', 0, -75],
      ['reverse', 0, -25],
      ['earn', 0, 100],
    ]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
  });

  it('pays a referral when the first order is released, not before, and not when it was refunded', async () => {
    const referrer = await newMember();
    const kept = await newMember({ referredBy: referrer });
    const returned = await newMember({ referredBy: referrer });
    await earn(kept, '50');
    const orderId = uniqueId('o');
    await earn(returned, '50', orderId);
    await club.api('POST', '/v1/refunds', { memberId: returned, orderId, refundId: uniqueId('r'), amount: '50', currency: 'USD' });
    expect((await member(referrer)).balance).toBe(0);
    await release(new Date(Date.now() + 15 * DAY));
    expect((await member(referrer)).balance).toBe(100);
    expect((await member(kept)).balance).toBe(60);
    expect((await member(returned)).balance).toBe(0);
  });
});

describe('the release-pending job', () => {
  it('stops when told (a Lambda out of time) and finishes from its continuation, releasing each order once', async () => {
    const members = await Promise.all(Array.from({ length: 5 }, () => newMember()));
    for (const m of members) expect((await earn(m, '30')).body.pendingPoints).toBe(30);
    const asOf = new Date(Date.now() + 15 * DAY);
    const deps = wiring().jobs;
    // Counts the orders the job has looked at, to stop it after the first one.
    let ordersRead = 0;
    const store = new Proxy(deps.store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop !== 'getEntry') return typeof v === 'function' ? v.bind(target) : v;
        return (...args: Parameters<typeof target.getEntry>) => {
          ordersRead++;
          return target.getEntry(...args);
        };
      },
    });
    const stopped = await runJob({ ...deps, store }, 'release-pending', { asOf, pageSize: 2, shouldStop: () => ordersRead > 0 });
    // The budget is checked before each order: one order (an earlier test's may be it), then a continuation.
    expect(stopped).toMatchObject({ job: 'release-pending', complete: false, examined: 1, continuation: expect.any(String) });
    const balances = async () => Promise.all(members.map(async (m) => (await member(m)).balance as number));
    expect((await balances()).filter((b) => b === 30).length).toBeLessThan(5);

    const rest = await runJob(deps, 'release-pending', { asOf, continuation: stopped.continuation as string });
    expect(rest).toMatchObject({ complete: true, failed: 0 });
    expect(await balances()).toEqual([30, 30, 30, 30, 30]);
    const again = await runJob(deps, 'release-pending', { asOf });
    expect(again).toMatchObject({ complete: true, released: 0 });
    for (const m of members) expect(await expectBalanceMatchesLedger(club, m)).toBe(30);
  });
});
