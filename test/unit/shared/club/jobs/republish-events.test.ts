import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../../../shared/events/events';
import type { EventParking } from '../../../../../shared/store/event-parking';
import type { JobDeps } from '../../../../../shared/club/jobs/job-runner';
import { republishEvents } from '../../../../../shared/club/jobs/republish-events';

describe('republishEvents', () => {
  it('stops between the events of one page when the budget runs out, and resumes after the last one sent', async () => {
    const parked = ['e1', 'e2', 'e3', 'e4', 'e5'].map(
      (id) => ({ id, type: 'points.earned', version: 1, occurredAt: '2027-01-01T00:00:00.000Z', memberId: 'm1', data: {} }) as DomainEvent,
    );
    const sent: string[] = [];
    // One page holds them all; a cursor is the id to continue after.
    const parking: EventParking = {
      park: async () => {},
      page: async (limit, cursor) => {
        const from = cursor ? parked.findIndex((e) => e.id === cursor) + 1 : 0;
        const events = parked.slice(from, from + limit);
        return { events, after: events.map((e) => e.id) };
      },
      drop: async () => {},
    };
    const bus = { publish: async (events: readonly DomainEvent[]) => void sent.push(...events.map((e) => e.id)) };
    const deps = { eventParking: { parking, bus } } as unknown as JobDeps;

    const first = await republishEvents(deps, { asOf: new Date('2027-01-02T00:00:00Z'), shouldStop: () => sent.length >= 2 });
    expect(first).toMatchObject({ complete: false, republished: 2, continuation: 'e2' });
    const rest = await republishEvents(deps, { asOf: new Date('2027-01-02T00:00:00Z'), continuation: first.continuation });
    expect(rest).toMatchObject({ complete: true, republished: 3 });
    expect(sent).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });
});
