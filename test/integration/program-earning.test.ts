/**
 * Earning under a store's own program, through HTTP against DynamoDB Local:
 * campaign windows, tiers, the pilot gate, line items, caps, refunds priced by
 * the original order, the calendar, and a simulator that writes nothing.
 */
import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';
import { programApi } from '../support/program';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());
const { newMember, earn, putProgram } = programApi(() => club);

const nowruz = {
  id: 'nowruz-2026',
  name: 'Nowruz double points week',
  start: '2026-03-20',
  end: '2026-03-26',
  effect: { type: 'multiplier', multiplier: '2' },
};

describe('campaigns', () => {
  it('doubles points inside the window (program time zone) and not outside it', async () => {
    await putProgram({ timeZone: 'Asia/Tehran', campaigns: [nowruz] });
    const m = await newMember();
    // 21:00Z on the 19th is 00:30 on the 20th in Tehran: inside.
    expect((await earn(m, '100', { occurredAt: '2026-03-19T21:00:00Z' })).points).toBe(200);
    expect((await earn(m, '100', { occurredAt: '2026-03-19T20:00:00Z' })).points).toBe(100);
    expect((await earn(m, '100', { occurredAt: '2026-03-27T12:00:00Z' })).points).toBe(100);
    const ledger = await rawLedger(club.client, club.tableName, m);
    expect(ledger[0]!.campaigns).toEqual(['nowruz-2026']);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(400);
  });

  it('targets tagged members only, and the stacking rule decides overlaps', async () => {
    const campaigns = [
      { ...nowruz, id: 'vip', name: 'VIP triple', target: { tags: ['vip'] }, effect: { type: 'multiplier', multiplier: '3' } },
      { ...nowruz, id: 'all', name: 'Everyone double' },
    ];
    await putProgram({ campaigns, stacking: 'stack' });
    const vip = await newMember({ tags: ['vip'] });
    const plain = await newMember();
    const at = { occurredAt: '2026-03-22T12:00:00Z' };
    expect((await earn(vip, '10', at)).points).toBe(60);
    expect((await earn(plain, '10', at)).points).toBe(20);
    await putProgram({ campaigns, stacking: 'best' });
    expect((await earn(vip, '10', at)).points).toBe(30);
  });

  it('lists the year by month', async () => {
    await putProgram({
      campaigns: [
        { ...nowruz, id: 'nowruz-2027', start: '2027-03-20', end: '2027-04-02' },
        { ...nowruz, id: 'yalda', name: 'Yalda night', start: '2027-12-21', end: '2027-12-21', effect: { type: 'fixedBonus', points: 50 } },
      ],
    });
    const res = await club.api('GET', '/v1/admin/campaigns/calendar?year=2027');
    expect(res.status).toBe(200);
    expect(res.body.months).toHaveLength(12);
    const byMonth = Object.fromEntries(
      res.body.months.map((m: { month: string; campaigns: { id: string }[] }) => [m.month, m.campaigns.map((c) => c.id)]),
    );
    expect(byMonth).toMatchObject({ '2027-01': [], '2027-03': ['nowruz-2027'], '2027-04': ['nowruz-2027'], '2027-12': ['yalda'] });
    expect(res.body.months.every((m: { challenges: unknown[] }) => m.challenges.length === 0)).toBe(true);
    const bad = await club.api('GET', '/v1/admin/campaigns/calendar?year=twenty');
    expect(bad.status).toBe(400);
  });

  it('lists the challenges by month beside the campaigns, as the program saves them', async () => {
    const challenge = { name: { fa: 'دو سفارش', en: 'Two orders' }, goal: { kind: 'orders', target: 2 }, reward: { points: 20 } };
    const spring = { ...challenge, id: 'spring-2027', period: { from: '2027-03-21', to: '2027-04-20' } };
    const monthly = { ...challenge, id: 'every-month', period: { repeat: 'monthly' } };
    await putProgram({ campaigns: [], challenges: [spring, monthly] });
    const res = await club.api('GET', '/v1/admin/campaigns/calendar?year=2027');
    expect(res.status).toBe(200);
    const byMonth = Object.fromEntries(
      res.body.months.map((m: { month: string; challenges: { id: string }[] }) => [m.month, m.challenges.map((c) => c.id)]),
    );
    expect(byMonth).toMatchObject({
      '2027-01': ['every-month'],
      '2027-03': ['spring-2027', 'every-month'],
      '2027-04': ['spring-2027', 'every-month'],
      '2027-05': ['every-month'],
    });
    expect(res.body.months[2].challenges[0]).toEqual(spring);
  });
});

describe('tiers', () => {
  it('upgrades at once when qualifying points cross a threshold; the member read shows tier, progress and keptUntil', async () => {
    await putProgram({
      tiers: {
        windowMonths: 12,
        levels: [
          { id: 'silver', name: 'Silver', threshold: 100, multiplier: '1.5', perks: ['free shipping'] },
          { id: 'gold', name: 'Gold', threshold: 500, multiplier: '2' },
        ],
      },
    });
    const m = await newMember();
    await earn(m, '60');
    let member = (await club.api('GET', `/v1/members/${m}`)).body;
    expect(member.tier).toBe('member');
    expect(member.tierProgress).toEqual({
      basis: 'points',
      qualifyingPoints: 60,
      windowMonths: 12,
      nextTier: { id: 'silver', name: 'Silver', threshold: 100, pointsToGo: 40 },
    });
    await earn(m, '40');
    member = (await club.api('GET', `/v1/members/${m}`)).body;
    expect(member.tier).toBe('silver');
    expect(member.tierProgress.nextTier).toMatchObject({ id: 'gold', pointsToGo: 400 });
    expect(member.tierKeptUntil).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59\.999Z$/);
    expect(member.tierHistory).toEqual([{ from: 'member', to: 'silver', at: expect.any(String), reason: expect.any(String) }]);
    // Silver earns 1.5×.
    expect((await earn(m, '10')).points).toBe(15);
    await expectBalanceMatchesLedger(club, m);
  });
});

describe('the tier window', () => {
  it('is measured back from now: an order older than the window earns points but no tier, and the read agrees', async () => {
    await putProgram({ tiers: { windowMonths: 12, graceDays: 0, levels: [{ id: 'silver', name: 'Silver', threshold: 100 }] } });
    const m = await newMember();
    const longAgo = new Date(Date.now() - 400 * 86_400_000).toISOString();
    expect((await earn(m, '100', { occurredAt: longAgo })).points).toBe(100);
    const read = (await club.api('GET', `/v1/members/${m}`)).body;
    expect(read.tier).toBe('member');
    expect(read.tierProgress).toMatchObject({ qualifyingPoints: 0, nextTier: { id: 'silver', pointsToGo: 100 } });
    // An order inside the window counts, in the read and in the decision alike.
    const lastMonth = new Date(Date.now() - 35 * 86_400_000).toISOString();
    await earn(m, '99', { occurredAt: lastMonth });
    expect((await club.api('GET', `/v1/members/${m}`)).body).toMatchObject({ tier: 'member', tierProgress: { qualifyingPoints: 99 } });
    await earn(m, '1');
    expect((await club.api('GET', `/v1/members/${m}`)).body).toMatchObject({ tier: 'silver', tierProgress: { qualifyingPoints: 100 } });
    await putProgram({});
  });
});

describe('the tier review', () => {
  it('lowers a tier whose kept-until date (plus grace) has passed to what the window supports, on read and on the next order', async () => {
    await putProgram({
      tiers: {
        windowMonths: 12,
        graceDays: 0,
        levels: [
          { id: 'silver', name: 'Silver', threshold: 100 },
          { id: 'gold', name: 'Gold', threshold: 500, multiplier: '2' },
        ],
      },
    });
    const m = await newMember();
    await earn(m, '500');
    expect((await club.api('GET', `/v1/members/${m}`)).body.tier).toBe('gold');
    // Arrange a year on: gold was kept until the end of last month, and the window holds only 150 points.
    const monthStart = `${new Date().toISOString().slice(0, 7)}-01T00:00:00.000Z`;
    const lastMonthEnd = new Date(Date.parse(monthStart) - 1).toISOString();
    await club.client.send(
      new UpdateCommand({
        TableName: club.tableName,
        Key: { pk: `MEMBER#${m}`, sk: 'MEMBER' },
        UpdateExpression: 'SET tierKeptUntil = :k, tierPoints = :p',
        ExpressionAttributeValues: { ':k': lastMonthEnd, ':p': { [monthStart.slice(0, 7)]: 150 } },
      }),
    );
    const read = (await club.api('GET', `/v1/members/${m}`)).body;
    expect(read.tier).toBe('silver');
    expect(read.tierHistory.map((c: { to: string }) => c.to)).toEqual(['gold', 'silver']);
    expect((await earn(m, '10')).points).toBe(10);
    const stored = (await club.client.send(new GetCommand({ TableName: club.tableName, Key: { pk: `MEMBER#${m}`, sk: 'MEMBER' } }))).Item!;
    expect(stored.tier).toBe('silver');
    expect(stored.tierHistory.at(-1)).toMatchObject({ from: 'gold', to: 'silver', at: monthStart });
    await putProgram({});
  });

  it('checks a tier-only reward against the tier a due review leaves, and writes the review with the redemption', async () => {
    await putProgram({
      tiers: {
        windowMonths: 12,
        graceDays: 0,
        levels: [
          { id: 'silver', name: 'Silver', threshold: 100 },
          { id: 'gold', name: 'Gold', threshold: 500 },
        ],
      },
      rewards: [{ rewardId: 'gold-lounge', name: 'Gold lounge', kind: 'percent-discount', percent: 15, pointsPrice: 10, tiers: ['gold'] }],
    });
    const m = await newMember();
    await earn(m, '500');
    const monthStart = `${new Date().toISOString().slice(0, 7)}-01T00:00:00.000Z`;
    await club.client.send(
      new UpdateCommand({
        TableName: club.tableName,
        Key: { pk: `MEMBER#${m}`, sk: 'MEMBER' },
        UpdateExpression: 'SET tierKeptUntil = :k, tierPoints = :p',
        ExpressionAttributeValues: { ':k': new Date(Date.parse(monthStart) - 1).toISOString(), ':p': { [monthStart.slice(0, 7)]: 150 } },
      }),
    );
    // Gold ran out: the gold reward is refused and nothing is spent.
    const refused = await club.api('POST', '/v1/redeem', {
      memberId: m,
      points: 10,
      rewardId: 'gold-lounge',
      idempotencyKey: `lounge-${m}`,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('REWARD_NOT_AVAILABLE');
    expect((await club.api('GET', `/v1/members/${m}`)).body.balance).toBe(500);
    // A plain redemption writes the downgrade the review owed.
    expect((await club.api('POST', '/v1/redeem', { memberId: m, points: 10, idempotencyKey: `plain-${m}` })).status).toBe(200);
    const stored = (await club.client.send(new GetCommand({ TableName: club.tableName, Key: { pk: `MEMBER#${m}`, sk: 'MEMBER' } }))).Item!;
    expect(stored).toMatchObject({ tier: 'silver', balance: 490 });
    expect(stored.tierHistory.at(-1)).toMatchObject({ from: 'gold', to: 'silver' });
    await putProgram({});
  });
});

describe('the pilot gate', () => {
  it('records orders of members outside the pilot with no points; pilot members earn', async () => {
    await putProgram({ pilot: { enabled: true, tags: ['pilot'] } });
    const inside = await newMember({ tags: ['pilot'] });
    const outside = await newMember();
    expect((await earn(inside, '25')).points).toBe(25);
    const out = await earn(outside, '25');
    expect(out.points).toBe(0);
    const ledger = await club.api('GET', `/v1/members/${outside}/ledger`);
    expect(ledger.body.items[0]).toMatchObject({ type: 'earn', points: 0, reason: expect.stringMatching(/pilot/) });
    // A PATCH that adds the tag lets the member in from the next order.
    expect((await club.api('PATCH', `/v1/members/${outside}`, { tags: ['pilot'] })).status).toBe(200);
    expect((await earn(outside, '25')).points).toBe(25);
  });
});

describe('the launch', () => {
  const launch = async (body: Record<string, unknown>) => {
    const current = await club.api('GET', '/v1/admin/program');
    return club.api('POST', '/v1/admin/program/launch', body, { 'if-match': current.headers.etag });
  };

  it('opens the program to everyone with no retroactive points unless asked', async () => {
    await putProgram({ pilot: { enabled: true, memberIds: ['nobody'] } });
    const m = await newMember();
    expect((await earn(m, '40')).points).toBe(0);
    const res = await launch({});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ launched: true, retroactive: { orders: 0, points: 0 }, program: { pilot: { enabled: false } } });
    expect((await earn(m, '40')).points).toBe(40);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(40);
    const again = await launch({});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('PILOT_NOT_ENABLED');
  });

  it('credits the held orders since a date, and the sign-up and first-purchase bonuses they would have paid, once, when asked', async () => {
    await putProgram({
      earning: { pointsPerUnit: '2' },
      bonuses: { signUp: 5, firstPurchase: 7 },
      pilot: { enabled: true, tags: ['pilot'] },
    });
    const since = new Date(Date.now() - 60_000).toISOString();
    const m = await newMember();
    await earn(m, '30');
    await earn(m, '20');
    expect((await club.api('GET', `/v1/members/${m}`)).body.balance).toBe(0);
    const res = await launch({ retroactiveFrom: since });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.retroactive.orders).toBeGreaterThanOrEqual(2);
    expect(res.body.retroactive.bonusPoints).toBeGreaterThanOrEqual(12);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(112);
    const ledger = (await club.api('GET', `/v1/members/${m}/ledger`)).body.items;
    expect(
      ledger
        .filter((e: { type: string }) => e.type === 'bonus')
        .map((e: { reason: string }) => e.reason)
        .sort(),
    ).toEqual([
      'first purchase bonus (at the launch)',
      expect.stringMatching(/^retroactive points for order .* at the launch of program version \d+$/),
      expect.stringMatching(/^retroactive points for order/),
      'sign-up bonus (at the launch)',
    ]);
    const rerun = await launch({ retroactiveFrom: since });
    expect(rerun.body).toMatchObject({ launched: false, retroactive: { orders: 0, points: 0, bonusPoints: 0 } });
    expect(await expectBalanceMatchesLedger(club, m)).toBe(112);
    await putProgram({});
  });
});

describe('the launch after collecting', () => {
  it('pays a held member the profile bonus their complete profile would have earned, once, with the retroactive credit', async () => {
    const launch = async (body: Record<string, unknown>) => {
      const current = await club.api('GET', '/v1/admin/program');
      return club.api('POST', '/v1/admin/program/launch', body, { 'if-match': current.headers.etag });
    };
    await putProgram({ bonuses: { profileCompletion: 9 }, pilot: { enabled: true, tags: ['pilot'] } });
    const since = new Date(Date.now() - 60_000).toISOString();
    const n = String(Math.floor(Math.random() * 1e7)).padStart(7, '0');
    const complete = await newMember({ email: `${uniqueId('e')}@example.com`, phone: `+98912${n}`, name: 'Sara', birthday: '1990-03-21' });
    const partial = await newMember({ email: `${uniqueId('e')}@example.com` });
    await earn(complete, '10');
    await earn(partial, '10');
    expect((await club.api('GET', `/v1/members/${complete}`)).body.balance).toBe(0);

    const res = await launch({ retroactiveFrom: since });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // 10 points for the held order, 9 for the profile the member gave while the club was collecting.
    expect(await expectBalanceMatchesLedger(club, complete)).toBe(19);
    expect(await expectBalanceMatchesLedger(club, partial)).toBe(10);
    const bonuses = (await club.api('GET', `/v1/members/${complete}/ledger`)).body.items.filter(
      (e: { type: string }) => e.type === 'bonus',
    );
    expect(bonuses.map((e: { reason: string; points: number }) => [e.reason, e.points])).toContainEqual([
      'profile completion bonus (at the launch)',
      9,
    ]);
    const rerun = await launch({ retroactiveFrom: since });
    expect(rerun.body.retroactive.bonusPoints).toBe(0);
    expect(await expectBalanceMatchesLedger(club, complete)).toBe(19);
    await putProgram({});
  });

  it('pays a profile given while collecting, without any held order, with the first order after the launch, once', async () => {
    const launch = async () => {
      const current = await club.api('GET', '/v1/admin/program');
      return club.api('POST', '/v1/admin/program/launch', {}, { 'if-match': current.headers.etag });
    };
    await putProgram({ bonuses: { profileCompletion: 9 }, pilot: { enabled: true, tags: ['pilot'] } });
    const n = () => String(Math.floor(Math.random() * 1e7)).padStart(7, '0');
    // Outside the pilot: completes the profile while collecting, places no order.
    const m = await newMember({ email: `${uniqueId('e')}@example.com` });
    const patched = await club.api('PATCH', `/v1/members/${m}`, { phone: `+98912${n()}`, name: 'Sara', birthday: '1990-03-21' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await club.api('GET', `/v1/members/${m}`)).body.balance).toBe(0);
    // In the pilot: paid at once when the profile is complete.
    const piloted = await newMember({
      tags: ['pilot'],
      email: `${uniqueId('e')}@example.com`,
      phone: `+98912${n()}`,
      name: 'Ali',
      birthday: '1991-04-01',
    });
    expect((await club.api('GET', `/v1/members/${piloted}`)).body.balance).toBe(9);
    // Outside the pilot too, and the next profile save after the launch comes before any order.
    const saver = await newMember({ email: `${uniqueId('e')}@example.com`, phone: `+98912${n()}`, name: 'Reza', birthday: '1992-05-02' });
    const racer = await newMember({ email: `${uniqueId('e')}@example.com`, phone: `+98912${n()}`, name: 'Mina', birthday: '1993-06-03' });

    const res = await launch();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // The launch itself pays nothing (no retroactive credit): the bonus waits for the member's next change.
    expect((await club.api('GET', `/v1/members/${m}`)).body.balance).toBe(0);

    const orderId = uniqueId('o');
    const first = await earn(m, '10', { orderId });
    // 10 points for the order and 9 owed for the profile, in the same write.
    expect(first.points).toBe(10);
    expect(first.balance).toBe(19);
    const again = await earn(m, '10', { orderId });
    expect(again.duplicate).toBe(true);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(19);
    await earn(m, '5');
    expect(await expectBalanceMatchesLedger(club, m)).toBe(24);
    const bonuses = (await club.api('GET', `/v1/members/${m}/ledger`)).body.items.filter((e: { type: string }) => e.type === 'bonus');
    expect(bonuses.map((e: { reason: string; points: number }) => [e.reason, e.points])).toEqual([['profile completion bonus', 9]]);

    // Already paid in the pilot: the first order after the launch pays the order only.
    expect((await earn(piloted, '10')).balance).toBe(19);
    expect(await expectBalanceMatchesLedger(club, piloted)).toBe(19);

    expect((await club.api('PATCH', `/v1/members/${saver}`, { name: 'Reza K' })).status).toBe(200);
    expect(await expectBalanceMatchesLedger(club, saver)).toBe(9);
    expect((await earn(saver, '10')).balance).toBe(19);
    expect(await expectBalanceMatchesLedger(club, saver)).toBe(19);

    // Two orders at once: each earns, the profile bonus rides on one of them only.
    await Promise.all([earn(racer, '10'), earn(racer, '10')]);
    expect(await expectBalanceMatchesLedger(club, racer)).toBe(29);
    await putProgram({});
  });
});

describe('the profile bonus once paid', () => {
  /** The read units an earn consumed (its line in the cost log), and the keys it read. */
  async function measuredEarn(memberId: string) {
    const earns = () =>
      readFileSync(club.costsFile, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l.includes('"POST /v1/earn"'));
    const before = earns().length;
    const keys: string[] = [];
    const original = DynamoDBDocumentClient.prototype.send;
    const spy = vi.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (this: any, command: any, ...rest: any[]) {
      if (command instanceof GetCommand) keys.push(String(command.input.Key?.sk));
      return (original as any).call(this, command, ...rest);
    });
    try {
      expect((await earn(memberId, '10')).points).toBe(10);
    } finally {
      spy.mockRestore();
    }
    await vi.waitFor(() => expect(earns().length).toBe(before + 1));
    return { rru: JSON.parse(earns().at(-1)!).rru as number, keys };
  }

  it('is read from the ledger at most once more for a member paid before the flag: later earns cost what any earn costs', async () => {
    await putProgram({ bonuses: { profileCompletion: 9 } });
    const n = String(Math.floor(Math.random() * 1e7)).padStart(7, '0');
    const paid = await newMember({ email: `${uniqueId('e')}@example.com`, phone: `+98912${n}`, name: 'Sara', birthday: '1990-03-21' });
    expect(await expectBalanceMatchesLedger(club, paid)).toBe(9);
    const memberKey = { pk: `MEMBER#${paid}`, sk: 'MEMBER' };
    const stored = async () => (await club.client.send(new GetCommand({ TableName: club.tableName, Key: memberKey }))).Item!;
    // The profile save's grant marks the bonus paid in its own transaction.
    expect((await stored()).profileBonusSettled).toBe(true);
    // A member paid before the flag existed: the entry says paid, the member item says nothing.
    await club.client.send(
      new UpdateCommand({ TableName: club.tableName, Key: memberKey, UpdateExpression: 'REMOVE profileBonusSettled' }),
    );

    // The next earn reads the bonus entry once, finds it paid, and marks the member in its own write.
    const first = await measuredEarn(paid);
    expect(first.keys).toContain('BONUS#profile-complete');
    expect((await stored()).profileBonusSettled).toBe(true);

    // The baseline: a member with no profile bonus to check.
    const plain = await newMember();
    await measuredEarn(plain);
    const baseline = await measuredEarn(plain);
    expect(baseline.keys).not.toContain('BONUS#profile-complete');

    for (const later of [await measuredEarn(paid), await measuredEarn(paid)]) {
      expect(later.keys).not.toContain('BONUS#profile-complete');
      expect(later.rru).toBe(baseline.rru);
    }
    expect(await expectBalanceMatchesLedger(club, paid)).toBe(39);
    await putProgram({});
  });
});

describe('earning rules end to end', () => {
  it('prices line items, caps per order and per day, and accepts a configured extra currency exactly', async () => {
    await putProgram({
      earning: {
        categoryMultipliers: { coffee: '2' },
        maxPointsPerOrder: 500,
        maxPointsPerDay: 700,
        currencies: { IRR: '0.00002' },
      },
    });
    const m = await newMember();
    const lines = {
      lineItems: [
        { sku: 'latte', category: 'coffee', amount: '10' },
        { sku: 'mug', amount: '10' },
      ],
    };
    expect((await earn(m, '20', lines)).points).toBe(30);
    expect((await earn(m, '1000')).points).toBe(500);
    expect((await earn(m, '1000')).points).toBe(170);
    const other = await newMember();
    const irr = await club.api('POST', '/v1/earn', { memberId: other, orderId: uniqueId('o'), amount: '5000000', currency: 'IRR' });
    expect(irr.body.points).toBe(100);
    const eur = await club.api('POST', '/v1/earn', { memberId: other, orderId: uniqueId('o'), amount: '5', currency: 'EUR' });
    expect(eur.status).toBe(422);
    expect(eur.body.error.code).toBe('CURRENCY_MISMATCH');
    await expectBalanceMatchesLedger(club, m);
  });

  it("a refund gives its points' room under the per-day cap back to the order's day", async () => {
    await putProgram({ earning: { maxPointsPerDay: 100 } });
    const m = await newMember();
    const orderId = uniqueId('o');
    expect((await earn(m, '80', { orderId })).points).toBe(80);
    expect((await earn(m, '50')).points).toBe(20);
    expect((await earn(m, '10')).points).toBe(0);
    const refund = await club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: uniqueId('r'), amount: '40', currency: 'USD' });
    expect(refund.body.points).toBe(40);
    // 60 of today's 100 are still counted: 40 are free again, and no more.
    expect((await earn(m, '70')).points).toBe(40);
    expect((await earn(m, '10')).points).toBe(0);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(100);
  });

  it('a refund after a program change takes back by the points the order earned, not today’s rules', async () => {
    await putProgram({ earning: { pointsPerUnit: '3' } });
    const m = await newMember();
    const orderId = uniqueId('o');
    expect((await earn(m, '100', { orderId })).points).toBe(300);
    await putProgram({ earning: { pointsPerUnit: '1' } });
    const refund = await club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: uniqueId('r'), amount: '50', currency: 'USD' });
    expect(refund.status).toBe(200);
    expect(refund.body.points).toBe(150);
    const ledger = await rawLedger(club.client, club.tableName, m);
    expect(ledger.map((e) => e.programVersion)).toEqual([ledger[0]!.programVersion, ledger[0]!.programVersion]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(150);
  });
});

describe('the simulator', () => {
  it('prices orders under a candidate program and writes nothing', async () => {
    await putProgram({});
    const m = await newMember({ tags: ['vip'] });
    // Once the stream processor has counted what came before (its counters and markers are items too).
    const count = async () => {
      await club.drained();
      return (await club.client.send(new ScanCommand({ TableName: club.tableName, Select: 'COUNT', ConsistentRead: true }))).Count;
    };
    const before = await count();
    const programBefore = (await club.api('GET', '/v1/admin/program')).body;
    const res = await club.api('POST', '/v1/admin/program/simulate', {
      program: { earning: { pointsPerUnit: '2', maxPointsPerOrder: 300 }, campaigns: [{ ...nowruz, target: { tags: ['vip'] } }] },
      orders: [
        { orderId: 'a', memberId: m, amount: '100', currency: 'USD', occurredAt: '2026-03-21T10:00:00Z' },
        { orderId: 'b', amount: '100', currency: 'USD', occurredAt: '2026-03-21T10:00:00Z' },
        { orderId: 'c', amount: '1000', currency: 'USD' },
        { orderId: 'd', amount: '10', currency: 'EUR' },
        { orderId: 'e', memberId: 'nobody-here', amount: '10', currency: 'USD' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.orders.map((o: { points: number }) => o.points)).toEqual([300, 200, 300, 0, 0]);
    expect(res.body.orders[3].error.code).toBe('CURRENCY_MISMATCH');
    expect(res.body.orders[4].error.code).toBe('MEMBER_NOT_FOUND');
    expect(res.body).toMatchObject({ totalPoints: 800, ordersPriced: 3, ordersRefused: 2, candidate: true });
    expect(await count()).toBe(before);
    expect((await club.api('GET', '/v1/admin/program')).body).toEqual(programBefore);
    expect((await club.api('GET', `/v1/members/${m}`)).body.balance).toBe(0);
  });

  it("re-prices the club's real orders of the last days and compares with what they earned", async () => {
    await putProgram({});
    const a = await newMember();
    const b = await newMember();
    await earn(a, '10');
    await earn(a, '25.50');
    await earn(b, '100');
    const res = await club.api('POST', '/v1/admin/program/simulate', { program: { earning: { pointsPerUnit: '3' } }, lastDays: 1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const mine = res.body.orders.filter((o: { memberId: string }) => o.memberId === a || o.memberId === b);
    expect(
      mine
        .map((o: { points: number; actualPoints: number }) => [o.points, o.actualPoints])
        .sort((x: number[], y: number[]) => x[0]! - y[0]!),
    ).toEqual([
      [30, 10],
      [76, 25],
      [300, 100],
    ]);
    expect(res.body).toMatchObject({ lastDays: 1, truncated: false, candidate: true });
    expect(res.body.totalPoints).toBeGreaterThanOrEqual(406);
    // A candidate edited from the program as GET answers it (version, updatedAt, displayRate…) is taken as is.
    const running = (await club.api('GET', '/v1/admin/program')).body;
    const asRead = await club.api('POST', '/v1/admin/program/simulate', {
      program: { ...running, earning: { ...running.earning, pointsPerUnit: '3' } },
      lastDays: 1,
    });
    expect(asRead.status, JSON.stringify(asRead.body)).toBe(200);
    expect(asRead.body.totalPoints).toBe(res.body.totalPoints);
    expect(res.body.actualTotalPoints).toBeGreaterThanOrEqual(135);
    const both = await club.api('POST', '/v1/admin/program/simulate', { lastDays: 1, orders: [{ amount: '1', currency: 'USD' }] });
    expect(both.status).toBe(400);
  });

  it('adds the first-purchase and referral bonuses the orders would pay to the liability, and its value at the point value', async () => {
    await putProgram({});
    const referrer = await newMember();
    const newcomer = await newMember({ referredBy: referrer });
    const regular = await newMember();
    await earn(regular, '5');
    const res = await club.api('POST', '/v1/admin/program/simulate', {
      program: { pointValue: '0.5', bonuses: { firstPurchase: 20, referral: { referrer: 30, referred: 10 } } },
      orders: [
        { orderId: 'n1', memberId: newcomer, amount: '40', currency: 'USD' },
        { orderId: 'n2', memberId: newcomer, amount: '10', currency: 'USD' },
        { orderId: 'r1', memberId: regular, amount: '10', currency: 'USD' },
        { orderId: 'x1', member: { firstOrder: true }, amount: '7', currency: 'USD' },
        { orderId: 'x2', amount: '3', currency: 'USD' },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // The newcomer's first order pays first purchase and both sides of the referral; the second pays nothing more.
    expect(res.body.orders.map((o: { bonusPoints: number }) => o.bonusPoints)).toEqual([60, 0, 0, 20, 0]);
    expect(res.body).toMatchObject({ totalPoints: 70, totalBonusPoints: 80, liability: 150, liabilityValue: '75.0' });
    expect((await club.api('GET', `/v1/members/${newcomer}`)).body.balance).toBe(0);
  });

  it('refuses a bad candidate with every problem', async () => {
    const res = await club.api('POST', '/v1/admin/program/simulate', { program: { earning: { rounding: 'up' } }, orders: [] });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.program.earning.rounding', 'body.orders']));
    expect((await club.api('POST', '/v1/admin/program/simulate', { lastDays: 365 })).status).toBe(400);
  });
});
