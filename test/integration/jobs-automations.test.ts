/**
 * expiry-reminders, reengage and welcome through the job route with a
 * controlled asOf: each once per lot / per stage and lapse / per member, their
 * events on the local bus (events.jsonl), and bonus points through the ledger.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../shared/club/jobs';
import { automationSettings } from '../../shared/domain/automation-settings';
import type { TestClub } from '../support/club';
import { startClubWithBus, type ClubWithBus } from '../support/events';
import { jobHelpers } from '../support/jobs';
import { programApi } from '../support/program';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';
import { wiring } from '../../shared/wiring';
import { ACTIVITY_SHARDS, memberKey } from '../../shared/store/keys';
import { stableShard } from '../../shared/domain/shard';

let club: TestClub;
let bus: ClubWithBus;
beforeAll(async () => {
  bus = await startClubWithBus();
  club = bus.club;
});
afterAll(() => club?.stop());

const { newMember, earnAt } = jobHelpers(() => club);

async function run(job: string, asOf: string) {
  const res = await club.api('POST', `/v1/admin/jobs/${job}/run`, { asOf });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ job, complete: true, failed: 0 });
  return res.body;
}

const eventsOf = (memberId: string, type?: string) => bus.eventsOf(memberId, type);

describe('events from balance changes', () => {
  it('publishes points.earned and points.redeemed after the commit, with the entry id', async () => {
    const m = await newMember();
    await earnAt(m, '25', '2026-06-01T00:00:00Z');
    await club.api('POST', '/v1/redeem', { memberId: m, points: 5, idempotencyKey: uniqueId('k') });
    const events = await eventsOf(m);
    expect(events.map((e) => e.type)).toEqual(['points.earned', 'points.redeemed']);
    expect(events[0]).toMatchObject({
      id: expect.stringMatching(/^ledger:/),
      version: 1,
      data: { points: 25, balance: 25, entryType: 'earn' },
    });
    expect(events[1]).toMatchObject({ data: { points: -5, balance: 20 } });
  });

  it('publishes a retried request once: the event comes from the committed entry, not from the request', async () => {
    const m = await newMember();
    const orderId = uniqueId('o');
    for (let i = 0; i < 2; i++) {
      const res = await club.api('POST', '/v1/earn', { memberId: m, orderId, amount: '12', currency: 'USD' });
      expect(res.body.duplicate).toBe(i === 1);
    }
    const earned = await eventsOf(m, 'points.earned');
    expect(earned).toHaveLength(1);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(12);
  });
});

describe('expiry-reminders', () => {
  it('tells a member 30 days ahead, once per lot, with the points and the instant', async () => {
    const m = await newMember();
    await earnAt(m, '70', '2026-03-14T10:00:00Z'); // expires 2027-03-31T23:59:59.999Z
    await earnAt(m, '30', '2026-04-14T10:00:00Z'); // expires 2027-04-30T23:59:59.999Z

    await run('expiry-reminders', '2027-02-28T00:00:00Z');
    expect(await eventsOf(m, 'points.expiring')).toEqual([]);

    const first = await run('expiry-reminders', '2027-03-02T00:00:00Z');
    expect(first.reminders).toBeGreaterThanOrEqual(1);
    await run('expiry-reminders', '2027-03-02T00:00:00Z');
    await run('expiry-reminders', '2027-03-05T00:00:00Z');
    let reminders = await eventsOf(m, 'points.expiring');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatchObject({ data: { points: 70, expiresAt: '2027-03-31T23:59:59.999Z', daysLeft: 30 } });

    // The next lot has its own reminder; the one already sent isn't repeated.
    await run('expiry-reminders', '2027-04-01T00:00:00Z');
    await run('expiry-reminders', '2027-04-02T00:00:00Z');
    reminders = await eventsOf(m, 'points.expiring');
    expect(reminders.map((e) => e.data.expiresAt)).toEqual(['2027-03-31T23:59:59.999Z', '2027-04-30T23:59:59.999Z']);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(100);
  });

  it('publishes points.expired when expire-points removes a lot', async () => {
    const m = await newMember();
    await earnAt(m, '12', '2025-02-03T10:00:00Z');
    await run('expire-points', '2026-03-01T00:00:00Z');
    const expired = await eventsOf(m, 'points.expired');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ data: { points: -12, balance: 0, expiresAt: '2026-02-28T23:59:59.999Z' } });
  });
});

describe('reengage', () => {
  it("sends each stage's offer once per lapse, and again after the next purchase lapses", async () => {
    const m = await newMember();
    await earnAt(m, '10', '2026-01-01T10:00:00Z');

    await run('reengage', '2026-02-14T08:00:00Z'); // 44 days: not yet
    expect(await eventsOf(m, 'member.lapsed')).toEqual([]);
    const hit = await run('reengage', '2026-02-15T08:00:00Z'); // 45 days
    expect(hit.processed).toBeGreaterThanOrEqual(1);
    await run('reengage', '2026-02-15T08:00:00Z');
    await run('reengage', '2026-02-18T08:00:00Z'); // still in the catch-up window: no repeat
    await run('reengage', '2026-04-01T08:00:00Z'); // 90 days
    await run('reengage', '2026-04-03T08:00:00Z');
    let lapsed = await eventsOf(m, 'member.lapsed');
    expect(lapsed.map((e) => [e.data.stage, e.data.daysSinceLastPurchase])).toEqual([
      ['lapsed-45', 45],
      ['lapsed-90', 90],
    ]);

    // Buying again ends the lapse; the next one gets its offers anew.
    await earnAt(m, '10', '2026-04-05T10:00:00Z');
    await run('reengage', '2026-05-20T08:00:00Z');
    await run('reengage', '2026-05-21T08:00:00Z');
    lapsed = await eventsOf(m, 'member.lapsed');
    expect(lapsed.map((e) => [e.data.stage, e.data.lastPurchaseAt])).toEqual([
      ['lapsed-45', '2026-01-01T10:00:00Z'],
      ['lapsed-90', '2026-01-01T10:00:00Z'],
      ['lapsed-45', '2026-04-05T10:00:00Z'],
    ]);
  });

  it("finds a day's lapsed buyers in every shard of the activity index, and under the key written before the shards", async () => {
    // Two members per shard, same day: ids picked by their hash, so every shard is met (random ids missed one a third of the time).
    const ids: string[][] = Array.from({ length: ACTIVITY_SHARDS }, () => []);
    while (ids.some((shard) => shard.length < 2)) {
      const id = uniqueId('m');
      const shard = ids[stableShard(id, ACTIVITY_SHARDS)]!;
      if (shard.length < 2) shard.push(id);
    }
    const members = await Promise.all(ids.flat().map((memberId) => newMember({ memberId })));
    for (const m of members) await earnAt(m, '10', '2025-05-01T10:00:00Z');
    const keys = await Promise.all(
      members.map(async (m) => {
        const out = await club.client.send(new GetCommand({ TableName: club.tableName, Key: memberKey(m) }));
        return String(out.Item?.gsi3pk);
      }),
    );
    expect(new Set(keys).size).toBe(8);
    expect(keys.every((k) => /^LASTBUY#2025-05-01#[0-7]$/.test(k))).toBe(true);
    // A member item from before the shards: the unsharded key.
    const old = members[0]!;
    await club.client.send(
      new UpdateCommand({
        TableName: club.tableName,
        Key: memberKey(old),
        UpdateExpression: 'SET gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': 'LASTBUY#2025-05-01' },
      }),
    );

    await run('reengage', '2025-06-15T08:00:00Z'); // 45 days
    for (const m of members) expect((await eventsOf(m, 'member.lapsed')).map((e) => e.data.stage)).toEqual(['lapsed-45']);
  });

  it('attaches bonus points through the ledger, once, when the stage has them', async () => {
    const m = await newMember();
    await earnAt(m, '10', '2025-07-01T10:00:00Z');
    const deps = wiring().jobs;
    const settings = automationSettings({ reengageStages: [{ stage: 'we-miss-you', afterDays: 60, bonusPoints: 25 }] });
    const withBonus = { ...deps, settings: async () => settings };
    const asOf = new Date('2025-08-30T12:00:00Z');
    const first = await runJob(withBonus, 'reengage', { asOf });
    expect(first).toMatchObject({ offers: 1, bonusPoints: 25, failed: 0 });
    const again = await runJob(withBonus, 'reengage', { asOf });
    expect(again).toMatchObject({ processed: 0, offers: 0, bonusPoints: 0 });
    const bonus = (await rawLedger(club.client, club.tableName, m)).filter((e) => e.type === 'bonus');
    expect(bonus).toHaveLength(1);
    expect(bonus[0]).toMatchObject({ points: 25 });
    expect(await expectBalanceMatchesLedger(club, m)).toBe(35);
    expect((await eventsOf(m, 'member.lapsed'))[0]).toMatchObject({ data: { stage: 'we-miss-you', bonusPoints: 25 } });
  });
});

describe('reengage under a pilot', () => {
  it('sends the offer to everyone but gives its bonus only inside the pilot, and the event says what was given', async () => {
    const { putProgram } = programApi(() => club);
    await putProgram({
      pilot: { enabled: true, tags: ['pilot'] },
      automation: { reengageStages: [{ stage: 'come-back', afterDays: 30, bonusPoints: 15 }] },
    });
    try {
      const inside = await newMember({ tags: ['pilot'] });
      const outside = await newMember();
      await earnAt(inside, '10', '2026-02-01T10:00:00Z');
      await earnAt(outside, '10', '2026-02-01T10:00:00Z');
      await run('reengage', '2026-03-04T08:00:00Z');
      await run('reengage', '2026-03-04T08:00:00Z');
      expect((await eventsOf(inside, 'member.lapsed')).map((e) => e.data.bonusPoints)).toEqual([15]);
      expect((await eventsOf(outside, 'member.lapsed')).map((e) => e.data.bonusPoints)).toEqual([0]);
      expect(await expectBalanceMatchesLedger(club, inside)).toBe(25);
      // The pilot held the outside member's order too: nothing at all.
      expect(await expectBalanceMatchesLedger(club, outside)).toBe(0);
    } finally {
      await putProgram({});
    }
  });
});

describe('welcome', () => {
  it('welcomes a member once, after the first purchase', async () => {
    const m = await newMember();
    await run('welcome', '2026-06-11T08:00:00Z');
    expect(await eventsOf(m, 'member.welcomed')).toEqual([]);
    await earnAt(m, '10', '2026-06-10T10:00:00Z');
    await run('welcome', '2026-06-11T08:00:00Z');
    await run('welcome', '2026-06-11T08:00:00Z');
    await earnAt(m, '10', '2026-06-12T10:00:00Z');
    await run('welcome', '2026-06-13T08:00:00Z');
    const welcomed = await eventsOf(m, 'member.welcomed');
    expect(welcomed).toHaveLength(1);
    expect(welcomed[0]).toMatchObject({ id: `welcomed:${m}`, data: { purchaseAt: '2026-06-10T10:00:00Z' } });
  });

  it('does not welcome an existing customer whose first order is older than the catch-up window', async () => {
    const m = await newMember();
    await earnAt(m, '10', '2026-03-01T10:00:00Z');
    await earnAt(m, '10', '2026-06-20T10:00:00Z');
    await run('welcome', '2026-06-21T08:00:00Z');
    expect(await eventsOf(m, 'member.welcomed')).toEqual([]);
  });
});

describe('birthday', () => {
  it('greets once a year on the birthday (or within the catch-up days), 29 February on the 28th in common years', async () => {
    const m = await newMember({ birthday: '1990-07-04' });
    const leap = await newMember({ birthday: '--02-29' });
    await run('birthday', '2026-07-03T08:00:00Z');
    expect(await eventsOf(m, 'member.birthday')).toEqual([]);
    await run('birthday', '2026-07-04T08:00:00Z');
    await run('birthday', '2026-07-04T08:00:00Z');
    await run('birthday', '2026-07-06T08:00:00Z');
    await run('birthday', '2027-07-05T08:00:00Z');
    expect((await eventsOf(m, 'member.birthday')).map((e) => e.data.year)).toEqual(['2026', '2027']);
    await run('birthday', '2027-02-28T08:00:00Z');
    expect((await eventsOf(leap, 'member.birthday')).map((e) => e.data.year)).toEqual(['2027']);
  });

  it("gives the program's birthday bonus under the earn-time bonus key, so it is granted once a year", async () => {
    const m = await newMember({ birthday: '--09-15' });
    const deps = wiring().jobs;
    const program = await deps.program();
    const withBonus = { ...deps, program: async () => ({ ...program, bonuses: { ...program.bonuses, birthday: 50 } }) };
    const asOf = new Date('2026-09-15T09:00:00Z');
    expect(await runJob(withBonus, 'birthday', { asOf })).toMatchObject({ bonusPoints: 50, failed: 0 });
    expect(await runJob(withBonus, 'birthday', { asOf })).toMatchObject({ processed: 0, bonusPoints: 0 });
    const bonus = (await rawLedger(club.client, club.tableName, m)).filter((e) => e.type === 'bonus');
    expect(bonus).toEqual([expect.objectContaining({ points: 50, sk: 'BONUS#birthday-2026' })]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(50);
  });

  it('greets members outside a pilot but gives the birthday bonus only inside it (program saved through the API)', async () => {
    const { putProgram } = programApi(() => club);
    await putProgram({ pilot: { enabled: true, tags: ['pilot'] }, bonuses: { birthday: 40 } });
    try {
      const inside = await newMember({ birthday: '--10-21', tags: ['pilot'] });
      const outside = await newMember({ birthday: '--10-21' });
      await run('birthday', '2026-10-21T09:00:00Z');
      expect((await eventsOf(inside, 'member.birthday')).map((e) => e.data.bonusPoints)).toEqual([40]);
      expect((await eventsOf(outside, 'member.birthday')).map((e) => e.data.bonusPoints)).toEqual([0]);
      expect(await expectBalanceMatchesLedger(club, inside)).toBe(40);
      expect(await expectBalanceMatchesLedger(club, outside)).toBe(0);
    } finally {
      await putProgram({});
    }
  });
});
