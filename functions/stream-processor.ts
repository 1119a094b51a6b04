/**
 * The table's stream → the club's bus: the one function that publishes domain
 * events about committed changes (shared/events/stream-events.ts derives them).
 * Records go in order; the first whose events the bus refuses is reported as
 * the batch's failure, so the event source mapping retries from it (bisecting a
 * batch that keeps failing) and the records before it are not sent again.
 * Delivery is at least once; subscribers dedupe on the event id. `npm start`
 * calls this same handler with records it polls from DynamoDB Local's stream
 * (local/stream-poller.ts).
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { costRoute, withCost } from '../shared/costs/record';
import { eventsFromStreamRecord } from '../shared/events/stream-events';
import { lambdaHandler, logger } from '../shared/lambda';
import { wiring } from '../shared/wiring';

export async function processStreamRecords(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const { bus } = wiring();
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
    { route: costRoute('dynamodb-stream', 'stream-processor'), trigger: 'dynamodb-stream' },
    processStreamRecords,
  ),
);
