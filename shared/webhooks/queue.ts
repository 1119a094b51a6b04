/** Puts accepted deliveries on the webhook queue (SQS on AWS, fauxqs locally). */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { readWebhookConfig } from '../config';
import { chargeSqsSend } from '../costs/charges';
import type { WebhookEnvelope } from './envelope';

let client: { endpoint: string | undefined; sqs: SQSClient } | undefined;

function sqsClient(endpoint: string | undefined): SQSClient {
  if (!client || client.endpoint !== endpoint) {
    client?.sqs.destroy();
    client = { endpoint, sqs: new SQSClient(endpoint ? { endpoint, maxAttempts: 3 } : { maxAttempts: 3 }) };
  }
  return client.sqs;
}

export async function enqueueDelivery(envelope: WebhookEnvelope): Promise<void> {
  const config = readWebhookConfig();
  if (!config.queueUrl) throw new Error('WEBHOOK_QUEUE_URL is not set');
  await sqsClient(config.sqsEndpoint).send(
    new SendMessageCommand({
      QueueUrl: config.queueUrl,
      MessageBody: JSON.stringify(envelope),
      MessageAttributes: {
        source: { DataType: 'String', StringValue: envelope.source },
        topic: { DataType: 'String', StringValue: envelope.topic || '-' },
      },
    }),
  );
  chargeSqsSend(1);
}
