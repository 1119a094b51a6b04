/**
 * The shop-sync queue's consumer: reward.issued and reward.cancelled events (as
 * the bus's rule puts them on the queue) in, the shop's discount created or
 * disabled, the ids of records to try again out (ReportBatchItemFailures). A push
 * the shop still refuses after its retries is recorded failed, for staff
 * (GET /v1/admin/shop-sync?status=failed); the queue tries it again until its
 * last receive, then it stays on that list rather than in the DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { syncShopEvent } from '../shared/club/shop-sync';
import { readShopConfig } from '../shared/config';
import { costRoute, withCost } from '../shared/costs/record';
import type { DomainEvent } from '../shared/events/events';
import { lambdaHandler, logger } from '../shared/lambda';
import { shopPushWiring } from '../shared/wiring/shops';

async function recordHandler(record: SQSRecord): Promise<void> {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
  // The rule delivers EventBridge's envelope; the club's event is its detail.
  const event = (JSON.parse(record.body) as { detail?: DomainEvent }).detail;
  if (!event?.type || typeof event.data?.code !== 'string') {
    logger.warn('shop-sync message is not a reward event', { messageId: record.messageId });
    return;
  }
  const outcome = await syncShopEvent(shopPushWiring(), event);
  if (outcome.status === 'skipped') logger.info('nothing to push', { eventId: event.id, reason: outcome.reason });
  if (outcome.status !== 'failed') return;
  const last = receiveCount >= readShopConfig().maxReceives;
  logger.warn('shop push failed', { eventId: event.id, id: outcome.record.id, error: outcome.record.lastError, receiveCount, last });
  // Worth another receive while the shop may come back; at the last one it stays listed for staff.
  if (outcome.retryable && !last) throw new Error(outcome.record.lastError);
}

export const handler = lambdaHandler(
  withCost<SQSEvent, SQSBatchResponse>(
    { route: costRoute('sqs', 'shop-sync'), trigger: 'sqs', records: (event) => event.Records.length },
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      const processor = new BatchProcessor(EventType.SQS);
      return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
    },
  ),
);
