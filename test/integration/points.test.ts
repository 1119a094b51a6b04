/**
 * Earning, refunds, redemptions and adjustments through HTTP against DynamoDB
 * Local: the contract's cases, duplicates, races, and balance == sum(ledger).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub, untilDecided } from '../support/club';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());

async function newMember(): Promise<string> {
  const res = await club.api('POST', '/v1/members', { memberId: uniqueId('m') });
  expect(res.status).toBe(201);
  return res.body.memberId;
}

async function earn(memberId: string, amount: string, orderId = uniqueId('o'), extra: Record<string, unknown> = {}) {
  return club.api('POST', '/v1/earn', { memberId, orderId, amount, currency: 'USD', ...extra });
}

describe('earning', () => {
  it('earns one point per whole unit and answers the contract shape', async () => {
    const m = await newMember();
    const res = await earn(m, '199.90');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ entryId: expect.any(String), points: 199, balance: 199, duplicate: false });
    const member = await club.api('GET', `/v1/members/${m}`);
    expect(member.body).toMatchObject({ balance: 199, lifetimePoints: 199 });
    expect(res.headers['x-loyalty-capacity']).toMatch(/wcu=\d/);
  });

  it('puts points in a lot expiring at the end of the 12th month after the month earned', async () => {
    const m = await newMember();
    await earn(m, '10', uniqueId('o'), { occurredAt: '2026-03-14T09:30:00Z' });
    await earn(m, '5', uniqueId('o'), { occurredAt: '2026-03-01T00:00:00Z' });
    await earn(m, '7', uniqueId('o'), { occurredAt: '2026-01-31T23:59:59Z' });
    const member = await club.api('GET', `/v1/members/${m}`);
    expect(member.body.expiring).toEqual([
      { points: 7, expiresAt: '2027-01-31T23:59:59.999Z' },
      { points: 15, expiresAt: '2027-03-31T23:59:59.999Z' },
    ]);
  });

  it('earns once for the same order, answering the first result with duplicate: true', async () => {
    const m = await newMember();
    const orderId = uniqueId('o');
    const first = await earn(m, '40.00', orderId);
    const again = await earn(m, '999.00', orderId);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    expect(await expectBalanceMatchesLedger(club, m)).toBe(40);
  });

  it('earns once when 25 deliveries of the same order race', async () => {
    const m = await newMember();
    const orderId = uniqueId('race');
    const results = await Promise.all(Array.from({ length: 25 }, () => earn(m, '12.00', orderId)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => !r.body.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.entryId)).size).toBe(1);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(12);
  });

  it('refuses the same order for another member', async () => {
    const a = await newMember();
    const b = await newMember();
    const orderId = uniqueId('o');
    await earn(a, '10', orderId);
    const res = await earn(b, '10', orderId);
    expect(res.status).toBe(409);
    expect((await club.api('GET', `/v1/members/${b}`)).body.balance).toBe(0);
  });

  it('refuses another currency with 422 CURRENCY_MISMATCH and earns nothing', async () => {
    const m = await newMember();
    const res = await club.api('POST', '/v1/earn', { memberId: m, orderId: uniqueId('o'), amount: '10', currency: 'EUR' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('CURRENCY_MISMATCH');
    expect(await rawLedger(club.client, club.tableName, m)).toHaveLength(0);
  });

  it('earns many points in many concurrent orders with no lost update', async () => {
    const m = await newMember();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const orderId = uniqueId('o');
        return untilDecided(() => earn(m, `${i + 1}.50`, orderId));
      }),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await expectBalanceMatchesLedger(club, m)).toBe((20 * 21) / 2);
  });
});

describe('refunds', () => {
  it('takes back floor(earned × refunded / paid), cumulatively, never more than earned', async () => {
    const m = await newMember();
    const orderId = uniqueId('o');
    await earn(m, '100.00', orderId); // 100 points
    const refund = (refundId: string, amount: string) =>
      club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId, amount, currency: 'USD' });
    const r1 = await refund('r1', '33.33'); // floor(33.33) = 33
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ points: 33, balance: 67, duplicate: false });
    const r2 = await refund('r2', '33.33'); // cumulative 66.66 → 66, this one 33
    expect(r2.body).toMatchObject({ points: 33, balance: 34 });
    const r3 = await refund('r3', '33.34'); // cumulative 100 → 100, this one 34
    expect(r3.body).toMatchObject({ points: 34, balance: 0 });
    const r4 = await refund('r4', '50.00'); // over-refund: nothing more to take
    expect(r4.body).toMatchObject({ points: 0, balance: 0 });
    const dup = await refund('r2', '33.33');
    expect(dup.body).toEqual({ ...r2.body, duplicate: true });
    expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
    const member = await club.api('GET', `/v1/members/${m}`);
    expect(member.body.lifetimePoints).toBe(0);
  });

  it('may take the balance below zero, and the member cannot redeem until it is positive again', async () => {
    const m = await newMember();
    const orderId = uniqueId('o');
    await earn(m, '50', orderId);
    expect((await club.api('POST', '/v1/redeem', { memberId: m, points: 40, idempotencyKey: uniqueId('k') })).status).toBe(200);
    const r = await club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: 'full', amount: '50', currency: 'USD' });
    expect(r.body).toMatchObject({ points: 50, balance: -40 });
    const blocked = await club.api('POST', '/v1/redeem', { memberId: m, points: 1, idempotencyKey: uniqueId('k') });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('INSUFFICIENT_POINTS');
    // The next order pays the debt first; only what is left makes a lot.
    await earn(m, '45', uniqueId('o'));
    const member = await club.api('GET', `/v1/members/${m}`);
    expect(member.body.balance).toBe(5);
    expect(member.body.expiring.map((l: { points: number }) => l.points)).toEqual([5]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(5);
  });

  it('answers 404 ORDER_NOT_FOUND for a refund that arrives before its order, and writes nothing', async () => {
    const m = await newMember();
    const orderId = uniqueId('early');
    const early = await club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: 'r1', amount: '5', currency: 'USD' });
    expect(early.status).toBe(404);
    expect(early.body.error.code).toBe('ORDER_NOT_FOUND');
    await earn(m, '20', orderId);
    const late = await club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: 'r1', amount: '5', currency: 'USD' });
    expect(late.body).toMatchObject({ points: 5, balance: 15, duplicate: false });
  });

  it('applies concurrent refunds of one order exactly by the cumulative rule', async () => {
    const m = await newMember();
    const orderId = uniqueId('o');
    await earn(m, '90', orderId);
    const results = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: `r${i}`, amount: '10.00', currency: 'USD' }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.reduce((s, r) => s + r.body.points, 0)).toBe(90);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
  });

  it('refuses a refund for another member’s order or in another currency', async () => {
    const a = await newMember();
    const b = await newMember();
    const orderId = uniqueId('o');
    await earn(a, '20', orderId);
    expect((await club.api('POST', '/v1/refunds', { memberId: b, orderId, refundId: 'x', amount: '5', currency: 'USD' })).status).toBe(409);
    const cur = await club.api('POST', '/v1/refunds', { memberId: a, orderId, refundId: 'y', amount: '5', currency: 'EUR' });
    expect(cur.status).toBe(422);
    expect(await expectBalanceMatchesLedger(club, a)).toBe(20);
  });
});

describe('redemptions', () => {
  it('spends points oldest first and answers the contract shape', async () => {
    const m = await newMember();
    await earn(m, '30', uniqueId('o'), { occurredAt: '2026-01-10T00:00:00Z' });
    await earn(m, '50', uniqueId('o'), { occurredAt: '2026-05-10T00:00:00Z' });
    const res = await club.api('POST', '/v1/redeem', { memberId: m, points: 40, idempotencyKey: uniqueId('k') });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ redemptionId: expect.any(String), pointsSpent: 40, balance: 40, duplicate: false });
    const member = await club.api('GET', `/v1/members/${m}`);
    expect(member.body.expiring).toEqual([{ points: 40, expiresAt: '2027-05-31T23:59:59.999Z' }]);
  });

  it('refuses more than the balance with 409 INSUFFICIENT_POINTS and changes nothing', async () => {
    const m = await newMember();
    await earn(m, '10', uniqueId('o'));
    const res = await club.api('POST', '/v1/redeem', { memberId: m, points: 11, idempotencyKey: uniqueId('k') });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('INSUFFICIENT_POINTS');
    expect(await expectBalanceMatchesLedger(club, m)).toBe(10);
  });

  it('spends once for the same idempotency key, even after the balance is gone', async () => {
    const m = await newMember();
    await earn(m, '10', uniqueId('o'));
    const key = uniqueId('k');
    const first = await club.api('POST', '/v1/redeem', { memberId: m, points: 10, idempotencyKey: key });
    const again = await club.api('POST', '/v1/redeem', { memberId: m, points: 10, idempotencyKey: key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    const reused = await club.api('POST', '/v1/redeem', { memberId: m, points: 3, idempotencyKey: key });
    expect(reused.status).toBe(409);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
  });

  it('never goes below zero when 40 redemptions of 10 race for 100 points', async () => {
    const m = await newMember();
    await earn(m, '100', uniqueId('o'));
    const results = await Promise.all(
      Array.from({ length: 40 }, () => {
        const body = { memberId: m, points: 10, idempotencyKey: uniqueId('k') };
        return untilDecided(() => club.api('POST', '/v1/redeem', body));
      }),
    );
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(30);
    expect(refused.every((r) => r.body.error.code === 'INSUFFICIENT_POINTS')).toBe(true);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
  }, 60_000);

  it('refuses an unknown member and an unknown reward', async () => {
    expect((await club.api('POST', '/v1/redeem', { memberId: 'ghost', points: 1, idempotencyKey: 'k' })).status).toBe(404);
    const m = await newMember();
    await earn(m, '10', uniqueId('o'));
    const res = await club.api('POST', '/v1/redeem', { memberId: m, points: 1, idempotencyKey: 'k', rewardId: 'nope' });
    expect(res.status).toBe(404);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(10);
  });
});

describe('adjustments and the ledger', () => {
  it('records a staff adjustment with its reason and actor, once per idempotency key', async () => {
    const m = await newMember();
    const res = await club.api(
      'POST',
      `/v1/members/${m}/adjustments`,
      { points: 25, reason: 'goodwill for a late parcel' },
      { 'idempotency-key': 'adj-1', 'x-loyalty-actor': 'maryam' },
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ points: 25, balance: 25, reason: 'goodwill for a late parcel', duplicate: false });
    const again = await club.api(
      'POST',
      `/v1/members/${m}/adjustments`,
      { points: 25, reason: 'goodwill for a late parcel' },
      { 'idempotency-key': 'adj-1' },
    );
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    const noReason = await club.api('POST', `/v1/members/${m}/adjustments`, { points: 5 });
    expect(noReason.status).toBe(400);
    const tooMuch = await club.api('POST', `/v1/members/${m}/adjustments`, { points: -26, reason: 'correction' });
    expect(tooMuch.status).toBe(409);
    const ledger = await club.api('GET', `/v1/members/${m}/ledger`);
    expect(ledger.body.items).toEqual([
      expect.objectContaining({ type: 'adjust', points: 25, balanceAfter: 25, reason: 'goodwill for a late parcel', actor: 'maryam' }),
    ]);
  });

  it('keeps a Persian actor as written, percent-encoded or as raw UTF-8 bytes', async () => {
    const m = await newMember();
    const encoded = await club.api(
      'POST',
      `/v1/members/${m}/adjustments`,
      { points: 5, reason: 'goodwill' },
      { 'x-loyalty-actor': '%D9%85%D8%B3%D8%B1%D9%88%D8%B1' },
    );
    expect(encoded.status).toBe(201);
    // fetch sends each character of a header as one byte: these are «مریم» as UTF-8 bytes.
    const rawBytes = Buffer.from('مریم', 'utf8').toString('latin1');
    const raw = await club.api('POST', `/v1/members/${m}/adjustments`, { points: 6, reason: 'goodwill' }, { 'x-loyalty-actor': rawBytes });
    expect(raw.status).toBe(201);
    const latin1 = await club.api(
      'POST',
      `/v1/members/${m}/adjustments`,
      { points: 7, reason: 'goodwill' },
      { 'x-loyalty-actor': 'Jos\u00e9' },
    );
    expect(latin1.status).toBe(400);
    expect(latin1.body.error.details[0].path).toBe('X-Loyalty-Actor');
    const ledger = await club.api('GET', `/v1/members/${m}/ledger`);
    expect(ledger.body.items.map((e: { actor: string }) => e.actor)).toEqual(['مریم', 'مسرور']);
  });

  it('pages the ledger newest first with an opaque cursor', async () => {
    const m = await newMember();
    for (let i = 1; i <= 7; i++) await earn(m, String(i), `page-${m}-${i}`);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
      const res = await club.api('GET', `/v1/members/${m}/ledger${q}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((e: { points: number }) => e.points));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
    const first = await club.api('GET', `/v1/members/${m}/ledger?limit=2`);
    expect(first.body.items[0]).toMatchObject({ type: 'earn', points: 7, balanceAfter: 28, orderId: `page-${m}-7` });
    const bad = await club.api('GET', `/v1/members/${m}/ledger?cursor=not-a-cursor`);
    expect(bad.status).toBe(400);
    const other = await newMember();
    const foreign = await club.api('GET', `/v1/members/${other}/ledger?cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(foreign.status).toBe(400);
    expect((await club.api('GET', `/v1/members/${m}/ledger?limit=0`)).status).toBe(400);
    expect((await club.api('GET', `/v1/members/${m}/ledger?limit=101`)).status).toBe(400);
  });

  it('refuses a forged ledger cursor with an empty, misshapen or oversized field with 400, never a 500', async () => {
    const m = await newMember();
    await earn(m, '5');
    const forge = (c: Record<string, unknown>) => encodeURIComponent(Buffer.from(JSON.stringify(c)).toString('base64url'));
    const good = { m, s: 'LEDGER#0000000001', k: 'EARN', p: 'ORDER#x' };
    for (const forged of [
      { ...good, s: '' },
      { ...good, k: '' },
      { ...good, p: '' },
      { ...good, s: 'LEDGER#1' },
    ]) {
      const res = await club.api('GET', `/v1/members/${m}/ledger?cursor=${forge(forged)}`);
      expect(res.status, JSON.stringify(forged)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_CURSOR');
    }
    // Longer than DynamoDB takes as a key: refused too (by the cursor's length limit or its check).
    for (const forged of [
      { ...good, k: 'K'.repeat(1025) },
      { ...good, p: 'P'.repeat(2049) },
    ]) {
      expect((await club.api('GET', `/v1/members/${m}/ledger?cursor=${forge(forged)}`)).status).toBe(400);
    }
  });
});
