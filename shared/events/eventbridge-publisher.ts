/** Domain events onto an EventBridge bus: PutEvents in batches of ten, failed entries retried. */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { chargeEvents } from '../costs/charges';
import { EVENT_SOURCE, type DomainEvent, type EventPublisher } from './events';

const BATCH = 10;
const ATTEMPTS = 3;

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
      for (let attempt = 1; entries.length > 0; attempt++) {
        const out = await this.client.send(new PutEventsCommand({ Entries: entries }));
        // Each accepted entry is a published event: $1 per million (docs/costs.md).
        chargeEvents(entries.length - (out.FailedEntryCount ?? 0));
        if (!out.FailedEntryCount) break;
        // Results line up with the entries sent; keep only those that failed.
        const failed = entries.filter((_, j) => out.Entries?.[j]?.ErrorCode);
        if (attempt >= ATTEMPTS) {
          const codes = [...new Set((out.Entries ?? []).map((r) => r.ErrorCode).filter(Boolean))].join(', ');
          throw new Error(`EventBridge refused ${failed.length} event(s) after ${ATTEMPTS} attempts: ${codes}`);
        }
        entries = failed;
      }
    }
  }
}
