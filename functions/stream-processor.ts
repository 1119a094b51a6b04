/**
 * The table's stream → the report counters and the club's bus: the one function
 * that counts committed changes in the reports (shared/events/stream-counters.ts)
 * and publishes their domain events (shared/events/stream-events.ts).
 * The batch's counters go first, each record's exactly once (its marker commits
 * with them, so a redelivered batch counts nothing again); if they can't be
 * added, the whole batch is retried. Then the records' events go in order; the
 * first whose events the bus refuses is reported as the batch's failure, so the
 * event source mapping retries from it (bisecting a batch that keeps failing)
 * and the records before it are not sent again. Events are at least once;
 * subscribers dedupe on the event id. `npm start` calls this same handler with
 * records it polls from DynamoDB Local's stream (local/stream-poller.ts).
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { costRoute, withCost } from '../shared/costs/record';
import { countersFromStreamRecord } from '../shared/events/stream-counters';
import { eventsFromStreamRecord } from '../shared/events/stream-events';
import { lambdaHandler, logger } from '../shared/lambda';
import { wiring } from '../shared/wiring';

/** A record's name for the counters' markers: its stream (the label, new with each stream) and its event id. */
const recordId = (record: DynamoDBRecord) => `${record.eventSourceARN?.split('/stream/')[1] ?? ''}#${record.eventID ?? ''}`;

export async function processStreamRecords(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const { bus, club } = wiring();
  const first = event.Records[0]?.dynamodb?.SequenceNumber;
  try {
    await club.reports.count(event.Records.map((r) => ({ recordId: recordId(r), deltas: countersFromStreamRecord(r) })));
  } catch (err) {
    logger.error('report counters not added; the batch is retried', { error: String(err) });
    return { batchItemFailures: first === undefined ? [] : [{ itemIdentifier: first }] };
  }
  for (const record of event.Records) {
    const events = eventsFromStreamRecord(record);
    if (events.length === 0) continue;
    try {
      await bus.publish(events);
    } catch (err) {
      logger.error('stream record not published; retried from it', { eventIds: events.map((e) => e.id), error: String(err) });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
}

// Its own line in the costs: the PutEvents it sends, priced as EventBridge charges them.
export const handler = lambdaHandler(
  withCost<DynamoDBStreamEvent, DynamoDBBatchResponse>(
    { route: costRoute('dynamodb-stream', 'stream-processor'), trigger: 'dynamodb-stream', records: (e) => e.Records.length },
    processStreamRecords,
  ),
);
