/**
 * Catalog rewards through HTTP: redeem with a rewardId spends and issues a code
 * in one transaction; codes are checked, used once and expire; stock and
 * per-member limits hold under concurrent redemptions. The catalog is saved in
 * the program through the admin API, as a store would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RewardDefinition } from '../../shared/domain/rewards';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';
import { setWiring, wiring, withClubDeps } from '../../shared/wiring';

const CATALOG: RewardDefinition[] = [
  { rewardId: 'ten-off', name: '10 off', kind: 'fixed-discount', amount: '10.00', pointsPrice: 100, validDays: 30 },
  { rewardId: 'mug', name: 'Club mug', kind: 'free-product', productId: 'SKU-MUG', pointsPrice: 50, stock: 3 },
  { rewardId: 'ship', name: 'Free shipping', kind: 'free-shipping', pointsPrice: 20, perMemberLimit: 2, validDays: 1 },
  { rewardId: 'voucher', name: 'Voucher', kind: 'fixed-discount', amount: '5.00', pointsPrice: 30, validDays: 1, refundOnExpiry: true },
  { rewardId: 'gold-only', name: 'Gold lounge', kind: 'percent-discount', percent: 15, pointsPrice: 10, tiers: ['gold'] },
  { rewardId: 'go-gold', name: 'Move up to Gold', kind: 'tier-up', tier: 'gold', pointsPrice: 40 },
  {
    rewardId: 'last-gift',
    name: 'The last gift box',
    kind: 'free-product',
    productId: 'SKU-BOX',
    pointsPrice: 25,
    stock: 1,
    perMemberLimit: 1,
    validDays: 1,
    refundOnExpiry: true,
  },
];

let club: TestClub;
let clock: Date | undefined;
beforeAll(async () => {
  club = await startTestClub({ services: [] });
  const saved = await club.api('PUT', '/v1/admin/program', {
    expectedVersion: 1,
    rewards: CATALOG,
    tiers: { levels: [{ id: 'gold', name: 'Gold', threshold: 1_000_000 }] },
  });
  expect(saved.body).toMatchObject({ version: 2 });
  setWiring(withClubDeps(wiring(), { now: () => clock ?? new Date() }));
});
afterAll(async () => {
  setWiring(undefined);
  await club?.stop();
});

async function memberWith(points: number): Promise<string> {
  const memberId = uniqueId('r');
  expect((await club.api('POST', '/v1/members', { memberId })).status).toBe(201);
  if (points > 0)
    expect((await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: String(points), currency: 'USD' })).status).toBe(
      200,
    );
  return memberId;
}

const redeem = (memberId: string, rewardId: string, points: number, idempotencyKey = uniqueId('k')) =>
  club.api('POST', '/v1/redeem', { memberId, points, idempotencyKey, rewardId });

describe('redeeming a catalog reward', () => {
  it('spends the price and issues a code the store can check and use once', async () => {
    const m = await memberWith(150);
    const res = await redeem(m, 'ten-off', 100);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      pointsSpent: 100,
      balance: 50,
      duplicate: false,
      reward: { rewardId: 'ten-off', status: 'issued', memberId: m, reward: { kind: 'fixed-discount', amount: '10.00' } },
    });
    const code: string = res.body.reward.code;
    expect(code).toMatch(/^RW-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const entry = (await rawLedger(club.client, club.tableName, m)).find((e) => e.type === 'redeem');
    expect(entry).toMatchObject({ rewardId: 'ten-off', rewardCode: code, points: -100 });

    const check = await club.api('GET', `/v1/rewards/codes/${code.toLowerCase()}`);
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ code, status: 'issued', usedAt: null });

    const use = await club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: 'order-77' });
    expect(use.status).toBe(200);
    expect(use.body).toMatchObject({ status: 'used', duplicate: false, usedAt: expect.any(String) });
    const again = await club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: 'order-77' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'used', duplicate: true, usedAt: use.body.usedAt });
    const other = await club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: 'order-78' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('CODE_ALREADY_USED');
    expect(await expectBalanceMatchesLedger(club, m)).toBe(50);
  });

  it('answers a repeated idempotencyKey with the same code, spending once', async () => {
    const m = await memberWith(250);
    const key = uniqueId('k');
    const first = await redeem(m, 'ten-off', 100, key);
    const second = await redeem(m, 'ten-off', 100, key);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ duplicate: true, redemptionId: first.body.redemptionId, reward: { code: first.body.reward.code } });
    const reused = await redeem(m, 'mug', 50, key);
    expect(reused.status).toBe(409);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(150);
  });

  it('moves the member up a tier in the same transaction, with history; a second move up is refused and spends nothing', async () => {
    const m = await memberWith(100);
    const res = await redeem(m, 'go-gold', 40);
    expect(res.status).toBe(200);
    const member = (await club.api('GET', `/v1/members/${m}`)).body;
    expect(member).toMatchObject({
      balance: 60,
      tier: 'gold',
      tierHistory: [expect.objectContaining({ from: 'member', to: 'gold', reason: 'reward go-gold' })],
    });
    expect(new Date(member.tierKeptUntil).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    const again = await redeem(m, 'go-gold', 40);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_IN_TIER');
    expect((await redeem(m, 'gold-only', 10)).status).toBe(200);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(50);
  });

  it('refuses unknown rewards, wrong prices, other tiers and too few points, writing nothing', async () => {
    const m = await memberWith(60);
    const cases: [string, number, number, string][] = [
      ['no-such-reward', 10, 404, 'REWARD_NOT_FOUND'],
      ['ten-off', 99, 422, 'REWARD_PRICE_MISMATCH'],
      ['gold-only', 10, 422, 'REWARD_NOT_AVAILABLE'],
      ['ten-off', 100, 409, 'INSUFFICIENT_POINTS'],
    ];
    for (const [rewardId, points, status, code] of cases) {
      const res = await redeem(m, rewardId, points);
      expect(res.status, rewardId).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    expect((await rawLedger(club.client, club.tableName, m)).map((e) => e.type)).toEqual(['earn']);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(60);
  });

  it('never issues more than the stock when members race for the last codes', async () => {
    const members = await Promise.all(Array.from({ length: 8 }, () => memberWith(50)));
    const results = await Promise.all(members.map((m) => redeem(m, 'mug', 50)));
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(3);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'OUT_OF_STOCK')).toBe(true);
    expect(new Set(won.map((r) => r.body.reward.code)).size).toBe(3);
    const balances = await Promise.all(members.map((m) => expectBalanceMatchesLedger(club, m)));
    expect(balances.sort()).toEqual([0, 0, 0, 50, 50, 50, 50, 50]);
  });

  it("holds a member's limit under concurrent redemptions", async () => {
    const m = await memberWith(200);
    const results = await Promise.all(Array.from({ length: 6 }, () => redeem(m, 'ship', 20)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(4).fill('REWARD_LIMIT_REACHED'));
    expect(await expectBalanceMatchesLedger(club, m)).toBe(160);
  });

  it('lets a code expire: it reads expired and can no longer be used', async () => {
    const m = await memberWith(20);
    const res = await redeem(m, 'ship', 20);
    const code = res.body.reward.code;
    clock = new Date(Date.now() + 2 * 86_400_000);
    try {
      expect((await club.api('GET', `/v1/rewards/codes/${code}`)).body.status).toBe('expired');
      const use = await club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: 'late' });
      expect(use.status).toBe(409);
      expect(use.body.error.code).toBe('CODE_EXPIRED');
    } finally {
      clock = undefined;
    }
  });

  it('answers 404 for an unknown code and 400 for a use without an order or key', async () => {
    expect((await club.api('GET', '/v1/rewards/codes/RW-00000-00000-00000-00000')).status).toBe(404);
    const m = await memberWith(100);
    const code = (await redeem(m, 'ten-off', 100)).body.reward.code;
    const res = await club.api('POST', `/v1/rewards/codes/${code}/use`, {});
    expect(res.status).toBe(400);
    expect((await club.api('GET', `/v1/rewards/codes/${code}`)).body.status).toBe('issued');
  });

  it('gives the points of an unused expired code back when the reward says so, once; never for a used one', async () => {
    const m = await memberWith(60);
    const unused = (await redeem(m, 'voucher', 30)).body.reward.code;
    const used = (await redeem(m, 'voucher', 30)).body.reward.code;
    expect((await club.api('POST', `/v1/rewards/codes/${used}/use`, { orderId: uniqueId('o') })).status).toBe(200);
    const asOf = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const run = await club.api('POST', '/v1/admin/jobs/refund-expired-codes/run', { asOf });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ codesRefunded: 1, pointsReturned: 30, failed: 0 });
    const rerun = await club.api('POST', '/v1/admin/jobs/refund-expired-codes/run', { asOf });
    expect(rerun.body).toMatchObject({ processed: 0, codesRefunded: 0 });
    const refunds = (await rawLedger(club.client, club.tableName, m)).filter((e) => e.type === 'reverse');
    expect(refunds).toEqual([expect.objectContaining({ points: 30, rewardCode: unused })]);
    clock = new Date(asOf);
    try {
      expect((await club.api('GET', `/v1/rewards/codes/${unused}`)).body).toMatchObject({
        status: 'expired',
        refundedAt: expect.any(String),
      });
      expect((await club.api('GET', `/v1/rewards/codes/${used}`)).body).toMatchObject({ status: 'used', refundedAt: null });
    } finally {
      clock = undefined;
    }
    expect(await expectBalanceMatchesLedger(club, m)).toBe(30);
  });
});

describe('an unused code refunded on expiry', () => {
  it('is refunded even when the jobs were down for weeks after it expired', async () => {
    const m = await memberWith(30);
    expect((await redeem(m, 'voucher', 30)).status).toBe(200);
    const weeksLater = new Date(Date.now() + 40 * 86_400_000).toISOString();
    expect((await club.api('POST', '/v1/admin/jobs/refund-expired-codes/run', { asOf: weeksLater })).body).toMatchObject({
      codesRefunded: 1,
      pointsReturned: 30,
      failed: 0,
    });
    expect(await expectBalanceMatchesLedger(club, m)).toBe(30);
  });

  it("frees the stock and the member's limit it took, in the refund's transaction, once", async () => {
    const first = await memberWith(25);
    const second = await memberWith(25);
    expect((await redeem(first, 'last-gift', 25)).status).toBe(200);
    const refused = await redeem(second, 'last-gift', 25);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('OUT_OF_STOCK');

    const asOf = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect((await club.api('POST', '/v1/admin/jobs/refund-expired-codes/run', { asOf })).body).toMatchObject({
      codesRefunded: 1,
      failed: 0,
    });
    expect((await club.api('POST', '/v1/admin/jobs/refund-expired-codes/run', { asOf })).body).toMatchObject({ codesRefunded: 0 });
    // The box is back in stock and the first member's one-per-member is free again: they get it, and then it is gone.
    expect((await redeem(first, 'last-gift', 25)).status).toBe(200);
    expect((await redeem(second, 'last-gift', 25)).body.error?.code).toBe('OUT_OF_STOCK');
    expect(await expectBalanceMatchesLedger(club, first)).toBe(0);
    expect(await expectBalanceMatchesLedger(club, second)).toBe(25);
  });
});

describe('points as payment', () => {
  it("answers the checkout value of spent points at the program's point value, and the same value on a repeat", async () => {
    const current = (await club.api('GET', '/v1/admin/program')).body;
    const { version, updatedAt: _u, updatedBy: _b, ...rules } = current;
    expect((await club.api('PUT', '/v1/admin/program', { ...rules, expectedVersion: version, pointValue: '0.05' })).status).toBe(200);
    const m = await memberWith(300);
    const key = uniqueId('k');
    const res = await club.api('POST', '/v1/redeem', { memberId: m, points: 250, idempotencyKey: key });
    expect(res.body).toMatchObject({ pointsSpent: 250, balance: 50, value: { amount: '12.50', currency: 'USD' }, duplicate: false });
    const again = await club.api('POST', '/v1/redeem', { memberId: m, points: 250, idempotencyKey: key });
    expect(again.body).toMatchObject({ balance: 50, value: { amount: '12.50', currency: 'USD' }, duplicate: true });
    expect((await redeem(m, 'ship', 20)).body.value).toBeUndefined();
    expect(await expectBalanceMatchesLedger(club, m)).toBe(30);
  });
});
