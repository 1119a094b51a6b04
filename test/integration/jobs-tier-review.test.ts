/**
 * tier-review through the job route with a controlled asOf: members who stopped
 * buying are reviewed on schedule (down, kept for another window), once, from
 * the sparse tier-review index the write path keeps, with tier.changed on the bus.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClub } from '../support/club';
import { startClubWithBus, type ClubWithBus } from '../support/events';
import { expectBalanceMatchesLedger } from '../support/ledger';
import { programApi } from '../support/program';

let club: TestClub;
let bus: ClubWithBus;
beforeAll(async () => {
  bus = await startClubWithBus();
  club = bus.club;
});
afterAll(() => club?.stop());

const { newMember, earn, putProgram } = programApi(() => club);
const DAY = 86_400_000;

/**
 * One scheduled run to its end: a run that ran out of time on a loaded machine hands back a
 * continuation, which the next invocation follows (as the job runtime does); counts are summed.
 */
async function run(asOf: string) {
  let total: Record<string, unknown> = {};
  let continuation: string | undefined;
  for (let part = 0; part < 20; part++) {
    const res = await club.api('POST', '/v1/admin/jobs/tier-review/run', { asOf, ...(continuation && { continuation }) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body as Record<string, unknown>;
    total = Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, typeof v === 'number' && typeof total[k] === 'number' ? (total[k] as number) + v : v]),
    );
    if (body.complete) break;
    continuation = body.continuation as string;
  }
  expect(total).toMatchObject({ job: 'tier-review', complete: true, failed: 0 });
  return total as any;
}

async function stored(memberId: string) {
  return (
    await club.client.send(
      new GetCommand({ TableName: club.tableName, Key: { pk: `MEMBER#${memberId}`, sk: 'MEMBER' }, ConsistentRead: true }),
    )
  ).Item!;
}

/** Qualifying points as if earned in `month`: the review counts the window ending at its own month. */
async function qualifyingIn(memberId: string, month: string, points: number) {
  await club.client.send(
    new UpdateCommand({
      TableName: club.tableName,
      Key: { pk: `MEMBER#${memberId}`, sk: 'MEMBER' },
      UpdateExpression: 'SET tierPoints = :p',
      ExpressionAttributeValues: { ':p': { [month]: points } },
    }),
  );
}

const tierEvents = (memberId: string) => bus.eventsOf(memberId, 'tier.changed');

describe('tier-review', () => {
  it('lowers lapsed members on schedule after the grace days, keeps those the window supports, once, from the index only', async () => {
    await putProgram({
      tiers: {
        windowMonths: 12,
        graceDays: 7,
        levels: [
          { id: 'silver', name: 'Silver', threshold: 100 },
          { id: 'gold', name: 'Gold', threshold: 500 },
        ],
      },
    });
    const goldToSilver = await newMember();
    const silverKept = await newMember();
    const silverToBase = await newMember();
    const base = await newMember();
    await earn(goldToSilver, '600');
    await earn(silverKept, '150');
    await earn(silverToBase, '120');
    await earn(base, '10');

    const keptUntil = (await club.api('GET', `/v1/members/${goldToSilver}`)).body.tierKeptUntil as string;
    expect(keptUntil).toMatch(/T23:59:59\.999Z$/);
    // The write path put the upgraded members on the index, under their kept-until day; the base tier is not on it.
    for (const m of [goldToSilver, silverKept, silverToBase]) expect((await stored(m)).gsi5pk).toBe(`TIERREVIEW#${keptUntil.slice(0, 10)}`);
    expect((await stored(base)).gsi5pk).toBeUndefined();

    const reviewAt = Date.parse(keptUntil) + 1 + 7 * DAY;
    const reviewMonth = new Date(reviewAt).toISOString().slice(0, 7);
    await qualifyingIn(goldToSilver, reviewMonth, 150);
    await qualifyingIn(silverKept, reviewMonth, 200);
    const eventsBefore = (await tierEvents(goldToSilver)).length;

    // Inside the grace days nothing is due.
    const early = await run(new Date(reviewAt - 6 * 3_600_000).toISOString());
    expect(early.processed).toBe(0);
    expect((await stored(goldToSilver)).tier).toBe('gold');

    const asOf = new Date(reviewAt + 2 * 3_600_000).toISOString();
    const first = await run(asOf);
    expect(first.processed).toBeGreaterThanOrEqual(3);
    expect(first.downgraded).toBeGreaterThanOrEqual(2);
    expect(first.kept).toBeGreaterThanOrEqual(1);

    const nextKeptUntil = new Date(
      Date.UTC(new Date(reviewAt).getUTCFullYear(), new Date(reviewAt).getUTCMonth() + 13, 1) - 1,
    ).toISOString();
    const a = await stored(goldToSilver);
    expect(a).toMatchObject({
      tier: 'silver',
      tierKeptUntil: nextKeptUntil,
      gsi5pk: `TIERREVIEW#${nextKeptUntil.slice(0, 10)}`,
      balance: 600,
    });
    expect(a.tierHistory.map((c: { from: string; to: string }) => `${c.from}>${c.to}`)).toEqual(['member>gold', 'gold>silver']);
    expect(a.tierHistory.at(-1)).toMatchObject({
      at: new Date(reviewAt).toISOString(),
      reason: expect.stringContaining('150 qualifying points'),
    });
    const b = await stored(silverKept);
    expect(b).toMatchObject({ tier: 'silver', tierKeptUntil: nextKeptUntil, gsi5pk: `TIERREVIEW#${nextKeptUntil.slice(0, 10)}` });
    expect(b.tierHistory).toHaveLength(1);
    const c = await stored(silverToBase);
    expect(c).toMatchObject({ tier: 'member', tierKeptUntil: null });
    // Back at the base tier, off the index until a threshold is crossed again.
    expect(c.gsi5pk).toBeUndefined();

    const events = await tierEvents(goldToSilver);
    expect(events.slice(eventsBefore)).toEqual([
      expect.objectContaining({
        id: `tier:review:${goldToSilver}:${new Date(reviewAt).toISOString()}`,
        occurredAt: new Date(reviewAt).toISOString(),
        data: expect.objectContaining({ tier: 'silver', previousTier: 'gold', balance: 600 }),
      }),
    ]);
    expect(await tierEvents(silverKept)).toHaveLength(1); // the upgrade only: a confirmed tier is no change
    expect((await tierEvents(silverToBase)).at(-1)).toMatchObject({ data: { tier: 'member', previousTier: 'silver' } });

    // Once: the same run again, and a later one, find nothing due and publish nothing.
    expect((await run(asOf)).processed).toBe(0);
    expect((await run(new Date(reviewAt + 3 * DAY).toISOString())).processed).toBe(0);
    expect(await tierEvents(goldToSilver)).toHaveLength(eventsBefore + 1);
    // The lazy review on read finds it done too; points never moved.
    const read = (await club.api('GET', `/v1/members/${goldToSilver}`)).body;
    expect(read.tierHistory).toHaveLength(2);
    expect(await expectBalanceMatchesLedger(club, goldToSilver)).toBe(600);
    await putProgram({});
  });

  it('still makes a review the jobs missed for weeks', async () => {
    await putProgram({ tiers: { windowMonths: 12, graceDays: 0, levels: [{ id: 'silver', name: 'Silver', threshold: 100 }] } });
    const m = await newMember();
    await earn(m, '100');
    const keptUntil = (await stored(m)).tierKeptUntil as string;
    const res = await run(new Date(Date.parse(keptUntil) + 30 * DAY).toISOString());
    expect(res.downgraded).toBeGreaterThanOrEqual(1);
    expect(await stored(m)).toMatchObject({ tier: 'member', tierKeptUntil: null });
    await putProgram({});
  });

  it('leaves a member whose order moved the date meanwhile to that order (the index lags, the member decides)', async () => {
    await putProgram({
      tiers: { windowMonths: 12, graceDays: 0, levels: [{ id: 'silver', name: 'Silver', threshold: 100 }] },
    });
    const m = await newMember();
    await earn(m, '100');
    const keptUntil = (await stored(m)).tierKeptUntil as string;
    // The index still says the old day, the member item already a later one.
    await club.client.send(
      new UpdateCommand({
        TableName: club.tableName,
        Key: { pk: `MEMBER#${m}`, sk: 'MEMBER' },
        UpdateExpression: 'SET tierKeptUntil = :k',
        ExpressionAttributeValues: { ':k': new Date(Date.parse(keptUntil) + 40 * DAY).toISOString() },
      }),
    );
    const res = await run(new Date(Date.parse(keptUntil) + DAY).toISOString());
    expect(res.examined).toBeGreaterThanOrEqual(1);
    expect((await stored(m)).tier).toBe('silver');
    await putProgram({});
  });
});
