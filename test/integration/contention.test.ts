/**
 * Many writers on one member through the real HTTP path: the contract's
 * Hardening promise that contention never answers 5xx and that an error answer
 * never has a commit behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());

describe('contention on one member', () => {
  it('answers 200, 409 INSUFFICIENT_POINTS or 503 CONCURRENT_UPDATE (with Retry-After) to 150 racing redemptions, and no 503 spent anything', async () => {
    const memberId = uniqueId('busy');
    expect((await club.api('POST', '/v1/members', { memberId })).status).toBe(201);
    // 100 points for 150 one-point redemptions: some must also run out.
    expect((await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '100.00', currency: 'USD' })).status).toBe(200);

    const keys = Array.from({ length: 150 }, () => uniqueId('k'));
    const answers = await Promise.all(
      keys.map((idempotencyKey) => club.api('POST', '/v1/redeem', { memberId, points: 1, idempotencyKey })),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    for (const a of answers) {
      if (a.status === 200) continue;
      if (a.status === 409) expect(a.body.error.code).toBe('INSUFFICIENT_POINTS');
      else {
        expect(a.status).toBe(503);
        expect(a.body.error.code).toBe('CONCURRENT_UPDATE');
        expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    }

    // Exactly one redeem entry per 200 answer: nothing was committed behind a 503 (or a 409).
    const spentKeys = new Set(answers.flatMap((a, i) => (a.status === 200 ? [keys[i]!] : [])));
    const redeems = (await rawLedger(club.client, club.tableName, memberId)).filter((e) => e.type === 'redeem');
    expect(redeems).toHaveLength(spentKeys.size);
    expect(await expectBalanceMatchesLedger(club, memberId)).toBe(100 - spentKeys.size);

    // A 503's key, retried alone, spends once now (not "already spent") while points remain.
    const refused = keys.filter((_, i) => answers[i]!.status === 503);
    for (const idempotencyKey of refused.slice(0, 100 - spentKeys.size)) {
      const retry = await club.api('POST', '/v1/redeem', { memberId, points: 1, idempotencyKey });
      expect(retry.status).toBe(200);
      expect(retry.body.duplicate).toBe(false);
    }
    await expectBalanceMatchesLedger(club, memberId);
  }, 120_000);
});
