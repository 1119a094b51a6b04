/**
 * The notifier on AWS: a rule on the club's bus sends it the domain events that
 * need a message; an hourly schedule sends {flushDeferred: true} to send what
 * quiet hours held back. A failed send throws, so EventBridge retries it (and
 * then dead-letters it); messages already sent are never sent again. `npm start`
 * invokes this same handler with the same events (local/automations.ts).
 */
import * as z from 'zod';
import { notifierCostRoute, withCost } from '../shared/costs/record';
import { EVENT_TYPES, type DomainEvent } from '../shared/events/events';
import { lambdaHandler, logger } from '../shared/lambda';
import { flushDeferred, notify, type NotifyOutcome } from '../shared/notify/notifier';
import { wiring } from '../shared/wiring';

const EventDetail = z.object({
  id: z.string().min(1),
  type: z.enum(EVENT_TYPES),
  version: z.literal(1),
  occurredAt: z.string(),
  memberId: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
});

export type NotifierEvent = { flushDeferred?: boolean; detail?: unknown };

// The hourly flush comes from Scheduler; events come from the bus's rule (their publisher paid for them).
export const handler = lambdaHandler(
  withCost(
    {
      route: (event: NotifierEvent) =>
        event.flushDeferred
          ? notifierCostRoute('scheduler', 'flush-deferred')
          : notifierCostRoute('eventbridge', (event.detail as { type?: string } | undefined)?.type),
      trigger: (event: NotifierEvent) => (event.flushDeferred ? 'scheduler' : 'eventbridge'),
    },
    (event: NotifierEvent) => run(event),
  ),
);

async function run(event: NotifierEvent): Promise<{ sent: number; failed: number } | NotifyOutcome[]> {
  const deps = wiring().notifier;
  if (event.flushDeferred) {
    const result = await flushDeferred(deps);
    logger.info('deferred messages', result);
    return result;
  }
  const detail = EventDetail.parse(event.detail) as DomainEvent;
  const outcomes = await notify(deps, [detail]);
  // Statuses and template names only: never the addresses or the text.
  logger.info('notified', { eventId: detail.id, outcomes: outcomes.map((o) => ({ channel: o.channel, status: o.status })) });
  return outcomes;
}
