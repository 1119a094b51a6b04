/**
 * republish-events: sends the domain events the bus refused after their
 * change committed (parked in the table by ParkingPublisher) and drops each
 * once the bus took it; oldest first, stopping at the first refusal (the bus
 * is still down: the next hourly run tries again). Subscribers dedupe on the
 * event id, so an event sent twice around a crash is still one event.
 */
import type { JobDeps, JobInput, JobResult } from './job-runner';
import { logger } from '../../lambda';

export const REPUBLISH_EVENTS = 'republish-events';
const PAGE = 100;

export async function republishEvents(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const asOf = input.asOf.toISOString();
  let republished = 0;
  let examined = 0;
  let failed = 0;
  const result = (continuation?: string): JobResult => ({
    job: REPUBLISH_EVENTS,
    asOf,
    processed: republished,
    examined,
    failed,
    republished,
    complete: continuation === undefined,
    ...(continuation && { continuation }),
  });
  const parked = deps.eventParking;
  let cursor = input.continuation;
  do {
    if (input.shouldStop?.()) return result(cursor);
    const page = await parked.parking.page(input.pageSize ?? PAGE, cursor);
    for (const [i, event] of page.events.entries()) {
      // The budget is asked between events too (each is a call to the bus); the first of a page always goes.
      if (i > 0 && input.shouldStop?.()) return result(page.after?.[i - 1] ?? cursor);
      examined += 1;
      try {
        await parked.bus.publish([event]);
      } catch (err) {
        failed += 1;
        logger.error('parked event still refused; the next run tries again', { eventId: event.id, error: String(err) });
        return result();
      }
      await parked.parking.drop(event);
      republished += 1;
    }
    cursor = page.cursor;
  } while (cursor);
  return result();
}
