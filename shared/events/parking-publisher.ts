/**
 * Publishes through the bus; when the bus refuses, parks the events in the
 * table instead of failing (the change they describe is already committed),
 * for the republish-events job to send again. Only if both fail does publish
 * throw, and then the caller's own retry publishes again under the same ids.
 */
import type { EventParking } from '../store/event-parking';
import type { DomainEvent, EventPublisher } from './events';
import { logger } from '../lambda';

export class ParkingPublisher implements EventPublisher {
  constructor(
    /** The bus itself: what the republish job sends through. */
    readonly bus: EventPublisher,
    readonly parking: EventParking,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.bus.publish(events);
    } catch (err) {
      await this.parking.park(events, String(err));
      logger.warn('domain events parked until the bus takes them', { eventIds: events.map((e) => e.id), error: String(err) });
    }
  }
}
