/**
 * Amounts and points at the edges of what the club keeps exactly, in a large
 * IRR store: what the schemas accept never overflows later, and a report's
 * money figures are exact however large the day's sum.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub({ currency: 'IRR' });
});
afterAll(() => club?.stop());

async function newMember(): Promise<string> {
  const res = await club.api('POST', '/v1/members', { memberId: uniqueId('big') });
  expect(res.status).toBe(201);
  return res.body.memberId;
}

describe('limits of amounts and points', () => {
  it('refuses an order amount over 100,000,000,000 with 400 VALIDATION_FAILED, and writes nothing', async () => {
    const memberId = await newMember();
    for (const amount of ['900719925474.0992', '100000000000.0001', 1e15]) {
      const res = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount, currency: 'IRR' });
      expect(res.status, String(amount)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details[0].path).toBe('body.amount');
    }
    expect(await rawLedger(club.client, club.tableName, memberId)).toEqual([]);
    const atLimit = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '100000000000', currency: 'IRR' });
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.points).toBe(100_000_000_000);
  });

  it('refuses points over 1,000,000,000 in an adjustment or a redemption with 400, never a 500', async () => {
    const memberId = await newMember();
    for (const points of [9_007_199_254_740_991, 1_000_000_001, -1_000_000_001]) {
      const res = await club.api('POST', `/v1/members/${memberId}/adjustments`, {
        points,
        reason: 'limits',
        idempotencyKey: uniqueId('a'),
      });
      expect(res.status, String(points)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const redeem = await club.api('POST', '/v1/redeem', { memberId, points: 1_000_000_001, idempotencyKey: uniqueId('k') });
    expect(redeem.status).toBe(400);
    expect(redeem.body.error.code).toBe('VALIDATION_FAILED');
    const twice = [1, 2].map(() =>
      club.api('POST', `/v1/members/${memberId}/adjustments`, { points: 1_000_000_000, reason: 'limits', idempotencyKey: uniqueId('a') }),
    );
    expect((await Promise.all(twice)).map((r) => r.status)).toEqual([201, 201]);
    expect(await expectBalanceMatchesLedger(club, memberId)).toBe(2_000_000_000);
  });

  it("reports a day's revenue exactly when its counters pass 2^53 (24 orders of 100,000,000,000 IRR)", async () => {
    const memberId = await newMember();
    for (let i = 0; i < 24; i++) {
      const res = await club.api('POST', '/v1/earn', {
        memberId,
        orderId: uniqueId('o'),
        amount: '100000000000',
        currency: 'IRR',
        occurredAt: `2025-06-01T${String(i).padStart(2, '0')}:00:00Z`,
      });
      expect(res.status).toBe(200);
    }
    // 24 × 10^11 = 2.4 × 10^12 IRR, kept as 2.4 × 10^16 ten-thousandths: past 2^53 (about 9.007 × 10^15).
    const summary = await club.api('GET', '/v1/reports/summary?from=2025-06-01&to=2025-06-01');
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      orders: 24,
      revenue: '2400000000000.00',
      repeatRevenue: '2300000000000.00',
      pointsIssued: 2_400_000_000_000,
    });
  });
});
