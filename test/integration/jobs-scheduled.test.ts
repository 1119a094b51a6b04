/**
 * The scheduled side of the jobs: the Lambda handler as EventBridge Scheduler
 * and the continuation rule invoke it (bus mocked: there is no EventBridge
 * locally), and the local schedule of `npm start`, which invokes that same handler.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/jobs';
import { LocalScheduleService } from '../../local/automations';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';

const eventBridge = mockClient(EventBridgeClient);
let club: TestClub;
// Ticked by the test only: the start's own first tick would run the jobs in the middle of other tests.
let clock = new Date('2026-07-01T05:00:00Z');
const schedule = new LocalScheduleService({ enabled: true, tickMs: 3_600_000, firstTickMs: 3_600_000, now: () => clock });
const logged: string[] = [];

beforeAll(async () => {
  process.env.LOYALTY_EVENT_BUS = 'loyalty-club-test';
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] });
  club = await startTestClub({
    services: [
      { name: schedule.name, start: (ctx) => schedule.start({ ...ctx, log: (l) => logged.push(l) }), stop: () => schedule.stop() },
    ],
  });
});
afterAll(async () => {
  await club?.stop();
  delete process.env.LOYALTY_EVENT_BUS;
  eventBridge.restore();
});

async function dueMember(occurredAt: string): Promise<string> {
  const memberId = uniqueId('s');
  expect((await club.api('POST', '/v1/members', { memberId })).status).toBe(201);
  expect((await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '5', currency: 'USD', occurredAt })).status).toBe(
    200,
  );
  return memberId;
}

const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

describe('the jobs Lambda', () => {
  it('runs the job the schedule names, as of the scheduled time, and leaves the ledger events to the stream', async () => {
    const m = await dueMember('2024-01-10T00:00:00Z');
    eventBridge.resetHistory();
    const result = await handler({ job: 'expire-points', asOf: '2025-02-01T00:00:00Z' }, context(300_000));
    expect(result).toMatchObject({ job: 'expire-points', complete: true, failed: 0 });
    expect((await rawLedger(club.client, club.tableName, m)).map((e) => e.type)).toEqual(['earn', 'expire']);
    const detailTypes = eventBridge.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.DetailType));
    // points.expired is told by the expire entry's stream record (the stream processor publishes it),
    // so the job itself never publishes it: a rerun can't announce an expiry twice.
    expect(detailTypes).not.toContain('points.expired');
  });

  it('continues itself through the bus when out of time, and the continuation finishes the run', async () => {
    const members = await Promise.all(['2023-01-05T00:00:00Z', '2023-01-06T00:00:00Z'].map(dueMember));
    eventBridge.resetHistory();
    const first = await handler({ job: 'expire-points', asOf: '2024-02-01T00:00:00Z' }, context(1_000));
    expect(first).toMatchObject({ complete: false, processed: 0 });
    const put = eventBridge
      .commandCalls(PutEventsCommand)
      .map((c) => c.args[0].input.Entries![0]!)
      .find((e) => e.DetailType === 'job.continue');
    expect(put).toMatchObject({ EventBusName: 'loyalty-club-test', Source: 'loyalty.club.jobs' });
    const next = JSON.parse(put!.Detail!);
    expect(next).toMatchObject({ job: 'expire-points', asOf: '2024-02-01T00:00:00.000Z', hop: 1, continuation: expect.any(String) });
    // The rule delivers it as an EventBridge event around the payload.
    const second = await handler({ 'detail-type': 'job.continue', source: 'loyalty.club.jobs', detail: next }, context(300_000));
    expect(second).toMatchObject({ complete: true, processed: 2 });
    for (const m of members) expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
  });

  it("runs an hourly schedule's firing only in the program's hour and zone, which an edit of the program moves without a redeploy", async () => {
    const m = await dueMember('2024-03-10T00:00:00Z'); // expires 2025-03-31T23:59:59.999Z
    // The program's default: 03:00 UTC.
    const off = await handler({ job: 'expire-points', asOf: '2025-04-02T02:00:00Z', daily: true }, context(300_000));
    expect(off).toMatchObject({ processed: 0, examined: 0, complete: true, skipped: 'runs at 03:00 UTC; it is 02:00 there' });
    expect((await rawLedger(club.client, club.tableName, m)).map((e) => e.type)).toEqual(['earn']);

    // The store moves its club to Tehran at 04:00 (UTC+3:30): 03:00 UTC is no longer the hour, 00:30 UTC is.
    const current = await club.api('GET', '/v1/admin/program');
    const edited = { ...current.body, timeZone: 'Asia/Tehran', automation: { ...current.body.automation, runAtHour: 4 } };
    for (const k of ['version', 'updatedAt', 'updatedBy']) delete (edited as Record<string, unknown>)[k];
    const put = await club.api('PUT', '/v1/admin/program', edited, { 'if-match': current.headers.etag });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    try {
      expect(await handler({ job: 'expire-points', asOf: '2025-04-02T03:00:00Z', daily: true }, context(300_000))).toMatchObject({
        processed: 0,
        skipped: 'runs at 04:00 Asia/Tehran; it is 06:30 there',
      });
      const on = await handler({ job: 'expire-points', asOf: '2025-04-03T00:32:00Z', daily: true }, context(300_000));
      expect(on.skipped).toBeUndefined();
      expect(on.processed).toBeGreaterThanOrEqual(1);
      expect((await rawLedger(club.client, club.tableName, m)).map((e) => e.type)).toEqual(['earn', 'expire']);
    } finally {
      const now = await club.api('GET', '/v1/admin/program');
      const back = { ...edited, timeZone: current.body.timeZone, automation: current.body.automation };
      expect((await club.api('PUT', '/v1/admin/program', back, { 'if-match': now.headers.etag })).status).toBe(200);
    }
  });

  it('refuses a payload that is not a job invocation', async () => {
    await expect(handler({ job: 'expire-points', asOf: 'soon' }, context(300_000))).rejects.toThrow();
    await expect(handler({ job: 'nope' }, context(300_000))).rejects.toThrow(/JOB_NOT_FOUND|no job/);
  });
});

describe('the local schedule', () => {
  it("invokes the jobs Lambda hourly with Scheduler's payloads, and the handler's hour rule decides, as on AWS", async () => {
    const m = await dueMember('2025-05-20T00:00:00Z'); // expires 2026-05-31, due on 2026-07-01

    // 05:00 UTC is past the program's 03:00 but not in it: AWS runs nothing then, and neither does npm start.
    const late = await schedule.tick();
    const daily = late.filter((i) => i.function === 'jobs' && (i.event as { daily?: boolean }).daily);
    expect(daily.map((i) => i.event)).toEqual(
      [
        'release-pending',
        'expire-points',
        'expiry-reminders',
        'reengage',
        'welcome',
        'refund-expired-codes',
        'birthday',
        'tier-review',
      ].map((job) => ({
        job,
        asOf: '2026-07-01T05:00:00.000Z',
        daily: true,
      })),
    );
    // The skip is the handler's own answer (shared/club/jobs/scheduled.ts), not a check of the schedule's.
    for (const i of daily) expect(i.result).toMatchObject({ processed: 0, skipped: 'runs at 03:00 UTC; it is 05:00 there' });
    expect(late.filter((i) => i.function === 'jobs' && !(i.event as { daily?: boolean }).daily).map((i) => i.event)).toEqual([
      { job: 'republish-events', asOf: '2026-07-01T05:00:00.000Z' },
    ]);
    expect((await rawLedger(club.client, club.tableName, m)).map((e) => e.type)).toEqual(['earn']);

    // The next day's 03:00 is the hour: the jobs run, once however often the schedule checks within it.
    clock = new Date('2026-07-02T03:00:00Z');
    const due = await schedule.tick();
    expect(due.find((i) => (i.event as { job?: string }).job === 'expire-points')?.result).toMatchObject({ complete: true, failed: 0 });
    expect(await schedule.tick()).toEqual([]);
    expect(logged.filter((l) => l.startsWith('[schedules] expire-points'))).toHaveLength(1);
    expect(logged).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[schedules\] reengage: processed \d+/),
        expect.stringMatching(/^\[schedules\] welcome/),
      ]),
    );
    expect((await rawLedger(club.client, club.tableName, m)).map((e) => e.type)).toEqual(['earn', 'expire']);
  });
});
