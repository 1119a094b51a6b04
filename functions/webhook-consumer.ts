/**
 * The webhook queue's consumer: an SQS batch in, the ids of the records to try
 * again out (ReportBatchItemFailures). A record that can't ever be applied is
 * parked for staff (GET /v1/admin/deliveries) and counts as done.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { readWebhookConfig } from '../shared/config';
import { costRoute, withCost } from '../shared/costs/record';
import { lambdaHandler, logger } from '../shared/lambda';
import { consumeDelivery } from '../shared/webhooks/process';
import { wiring } from '../shared/wiring';

async function recordHandler(record: SQSRecord): Promise<void> {
  const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? '1') || 1;
  const { maxReceives } = readWebhookConfig();
  try {
    const outcome = await consumeDelivery(wiring().webhooks, record.body, { receiveCount, maxReceives });
    if (outcome.status === 'parked') {
      logger.warn('webhook delivery parked', { messageId: record.messageId, reason: outcome.reason.code, detail: outcome.reason.message });
    }
  } catch (err) {
    logger.info('webhook delivery will be retried', { messageId: record.messageId, receiveCount, error: (err as Error).message });
    throw err;
  }
}

/** Cost per batch (one invocation), with its records, so the report divides it per delivery (docs/costs.md). */
export const handler = lambdaHandler(
  withCost<SQSEvent, SQSBatchResponse>(
    { route: costRoute('sqs', 'webhook-consumer'), trigger: 'sqs', records: (event) => event.Records.length },
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
      // A processor per batch: it holds the batch's state, and the local runtime may overlap invocations.
      const processor = new BatchProcessor(EventType.SQS);
      return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false });
    },
  ),
);
