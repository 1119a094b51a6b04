/**
 * A bus outage when a job publishes what no committed item tells (a reminder):
 * the events are parked in the table, not lost, and republish-events sends them
 * (same ids) once the bus takes them again. Events of committed changes come
 * off the table's stream instead (events-stream.test.ts).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../shared/club/jobs';
import { ParkingPublisher } from '../../shared/events/parking-publisher';
import type { TestClub } from '../support/club';
import { startClubWithBus, type ClubWithBus } from '../support/events';
import { jobHelpers } from '../support/jobs';
import { expectBalanceMatchesLedger } from '../support/ledger';
import { wiring } from '../../shared/wiring';

let club: TestClub;
let bus: ClubWithBus;
beforeAll(async () => {
  bus = await startClubWithBus();
  club = bus.club;
});
afterAll(() => club?.stop());

const { newMember, earnAt } = jobHelpers(() => club);

const busEvents = (memberId: string) => bus.eventsOf(memberId);

async function parked() {
  const out = await club.client.send(
    new QueryCommand({
      TableName: club.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'EVENTS#PARKED' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []).map((i) => ({ ...JSON.parse(String(i.event)), reason: i.reason }));
}

describe('events the bus refused', () => {
  it('are parked with the change, then republished once under the same ids when the bus is back', async () => {
    const m = await newMember();
    await earnAt(m, '40', '2026-03-14T10:00:00Z');
    await bus.drained();
    const deps = wiring().jobs;
    expect(deps.eventParking).toBeDefined();
    const down = new ParkingPublisher(
      { publish: async () => Promise.reject(new Error('EventBridge: ServiceUnavailable')) },
      deps.eventParking!.parking,
    );

    const run = await runJob({ ...deps, events: down }, 'expiry-reminders', { asOf: new Date('2027-03-02T00:00:00Z') });
    expect(run).toMatchObject({ failed: 0, reminders: 1 });
    expect(await expectBalanceMatchesLedger(club, m)).toBe(40);
    const waiting = (await parked()).filter((e) => e.memberId === m);
    expect(waiting).toEqual([
      expect.objectContaining({
        type: 'points.expiring',
        data: expect.objectContaining({ points: 40 }),
        reason: expect.stringContaining('ServiceUnavailable'),
      }),
    ]);
    expect((await busEvents(m)).map((e) => e.type)).toEqual(['points.earned']);

    // The hourly job, through the admin route and the club's own (working) bus.
    const res = await club.api('POST', '/v1/admin/jobs/republish-events/run', {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ job: 'republish-events', complete: true, failed: 0 });
    expect(res.body.republished).toBeGreaterThanOrEqual(1);
    const delivered = await busEvents(m);
    expect(delivered.map((e) => e.type)).toEqual(['points.earned', 'points.expiring']);
    expect(delivered[1].id).toBe(waiting[0].id);
    expect((await parked()).filter((e) => e.memberId === m)).toEqual([]);
    expect((await club.api('POST', '/v1/admin/jobs/republish-events/run', {})).body).toMatchObject({ republished: 0 });
  });

  it('stay parked while the bus still refuses them, and the run says so', async () => {
    const m = await newMember();
    const deps = wiring().jobs;
    const refusing = { publish: async () => Promise.reject(new Error('still down')) };
    await deps.eventParking!.parking.park(
      [{ id: `test:${m}`, type: 'member.welcomed', version: 1, occurredAt: '2026-01-01T00:00:00.000Z', memberId: m, data: {} }],
      'test',
    );
    const res = await runJob({ ...deps, eventParking: { parking: deps.eventParking!.parking, bus: refusing } }, 'republish-events', {
      asOf: new Date(),
    });
    expect(res).toMatchObject({ republished: 0, failed: 1, complete: true });
    expect((await parked()).filter((e) => e.memberId === m)).toHaveLength(1);
    await club.api('POST', '/v1/admin/jobs/republish-events/run', {});
    expect((await parked()).filter((e) => e.memberId === m)).toEqual([]);
  });
});
