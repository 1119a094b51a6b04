/** Domain events onto an EventBridge bus: PutEvents in batches of ten, failed entries retried. */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { chargeEvents } from '../costs/charges';
import { AGAIN, withRetries, type RetryPolicy } from '../retry';
import { EVENT_SOURCE, type DomainEvent, type EventPublisher } from './events';

const BATCH = 10;
/** Entries the bus refused (throttled, internal failure) are sent again; past this, the events are parked. */
const REFUSED: RetryPolicy = { attempts: 3, baseMs: 50, capMs: 500 };

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly busName: string,
    private readonly client: EventBridgeClient = new EventBridgeClient({}),
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      let entries: PutEventsRequestEntry[] = events.slice(i, i + BATCH).map((e) => ({
        EventBusName: this.busName,
        Source: EVENT_SOURCE,
        DetailType: e.type,
        Time: new Date(e.occurredAt),
        Resources: [],
        Detail: JSON.stringify(e),
      }));
      let codes = '';
      await withRetries(
        REFUSED,
        async () => {
          const out = await this.client.send(new PutEventsCommand({ Entries: entries }));
          // Each accepted entry is a published event: $1 per million (docs/costs.md).
          chargeEvents(entries.length - (out.FailedEntryCount ?? 0));
          if (!out.FailedEntryCount) return undefined;
          // Results line up with the entries sent; keep only those that failed.
          codes = [...new Set((out.Entries ?? []).map((r) => r.ErrorCode).filter(Boolean))].join(', ');
          entries = entries.filter((_, j) => out.Entries?.[j]?.ErrorCode);
          return AGAIN;
        },
        () => new Error(`EventBridge refused ${entries.length} event(s) after ${REFUSED.attempts} attempts: ${codes}`),
      );
    }
  }
}
