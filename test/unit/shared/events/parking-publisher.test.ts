import { describe, expect, it } from 'vitest';
import type { EventParking } from '../../../../shared/store/event-parking';
import type { DomainEvent } from '../../../../shared/events/events';
import { ParkingPublisher } from '../../../../shared/events/parking-publisher';

const event: DomainEvent = {
  id: 'e1',
  type: 'points.earned',
  version: 1,
  occurredAt: '2026-11-23T10:00:00.000Z',
  memberId: 'm1',
  data: {},
};

function parkingThat(fail = false) {
  const parked: DomainEvent[] = [];
  const parking: EventParking = {
    park: async (events) => {
      if (fail) throw new Error('table down too');
      parked.push(...events);
    },
    page: async () => ({ events: [] }),
    drop: async () => {},
  };
  return { parking, parked };
}

describe('ParkingPublisher', () => {
  it('publishes through the bus and parks nothing when the bus takes the events', async () => {
    const sent: DomainEvent[] = [];
    const { parking, parked } = parkingThat();
    await new ParkingPublisher({ publish: async (e) => void sent.push(...e) }, parking).publish([event]);
    expect(sent).toEqual([event]);
    expect(parked).toEqual([]);
  });

  it('parks the events instead of failing when the bus refuses them', async () => {
    const { parking, parked } = parkingThat();
    await new ParkingPublisher({ publish: async () => Promise.reject(new Error('bus down')) }, parking).publish([event]);
    expect(parked).toEqual([event]);
  });

  it('fails only when the table cannot take them either, so the caller retries', async () => {
    const { parking } = parkingThat(true);
    await expect(
      new ParkingPublisher({ publish: async () => Promise.reject(new Error('bus down')) }, parking).publish([event]),
    ).rejects.toThrow('table down too');
  });
});
