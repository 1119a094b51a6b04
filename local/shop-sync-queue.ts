/**
 * The shop-sync queue on one machine: fauxqs (an SQS-protocol server) with the
 * queue and its DLQ, fed by a local rule on the events sink as the bus's rule
 * feeds it on AWS (reward.issued, reward.cancelled), and drained in batches into
 * functions/shop-sync.ts as Lambda's event source mapping would. With no shop
 * connected nothing is queued.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readShopConfig } from '../shared/config';
import { EVENT_SOURCE } from '../shared/events/events';
import type { ClubContext, ClubService } from './club';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb-local';
import { addLocalEventRule } from './events';
import { setHandlerEnvironment } from './handler-env';
import { lambdaContext } from './lambda-context';

/** The event types the bus's shop-sync rule matches (infra/constructs/shop-sync-pipeline.ts). */
export const SHOP_SYNC_EVENT_TYPES = ['reward.issued', 'reward.cancelled'];

export interface ShopSyncQueueOptions {
  /** Seconds a received message stays hidden; a failed one comes back after it. @default 10 */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives before the DLQ (and the consumer's last try). @default 5 */
  readonly maxReceives?: number;
}

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function shopSyncQueueService(options: ShopSyncQueueOptions = {}): ClubService {
  const visibility = options.visibilityTimeoutSeconds ?? 10;
  const maxReceives = options.maxReceives ?? 5;
  let app: { close(): Promise<unknown> } | undefined;
  let sqs: SQSClient | undefined;
  let queueUrl = '';
  let queueArn = '';
  let stopping = false;
  let loop: Promise<void> | undefined;
  let removeRule = () => {};
  let restoreEnv = () => {};

  async function drain(handler: Handler, log: (line: string) => void): Promise<void> {
    while (!stopping) {
      try {
        const out = await sqs!.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'ApproximateFirstReceiveTimestamp'],
          }),
        );
        const batch = out.Messages ?? [];
        if (batch.length === 0) continue;
        const event: SQSEvent = {
          Records: batch.map((m) => ({
            messageId: m.MessageId!,
            receiptHandle: m.ReceiptHandle!,
            body: m.Body ?? '',
            attributes: {
              ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
              SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
              SenderId: 'local',
              ApproximateFirstReceiveTimestamp: m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
            },
            messageAttributes: {},
            md5OfBody: m.MD5OfBody ?? '',
            eventSource: 'aws:sqs',
            eventSourceARN: queueArn,
            awsRegion: LOCAL_REGION,
          })),
        };
        let failed: Set<string>;
        try {
          const result = await handler(event, lambdaContext('shop-sync', visibility * 1000));
          failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (err) {
          log(`[shop-sync] the consumer failed a whole batch: ${(err as Error).message}`);
          failed = new Set(batch.map((m) => m.MessageId!));
        }
        const done = batch.filter((m) => !failed.has(m.MessageId!));
        if (done.length) {
          await sqs!.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } catch (err) {
        if (stopping) return;
        log(`[shop-sync] polling failed: ${(err as Error).message}`);
        await sleep(200);
      }
    }
  }

  return {
    name: 'shop-sync queue',
    async start(ctx: ClubContext) {
      stopping = false;
      const { buildApp } = await import('fauxqs');
      const server = buildApp({ logger: false });
      const address = await server.listen({ port: 0, host: '127.0.0.1' });
      app = server;
      sqs = new SQSClient({ endpoint: new URL(address).origin, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
      const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'loyalty-shop-sync-dlq' }))).QueueUrl!;
      const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!
        .QueueArn!;
      queueUrl = (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: 'loyalty-shop-sync',
            Attributes: {
              VisibilityTimeout: String(visibility),
              RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: maxReceives }),
            },
          }),
        )
      ).QueueUrl!;
      queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))).Attributes!
        .QueueArn!;
      restoreEnv = setHandlerEnvironment({ SHOP_SYNC_MAX_RECEIVES: String(maxReceives) });
      removeRule = addLocalEventRule(async (events) => {
        // As the bus's rule: only the reward events, and only while a shop is connected to take them.
        const shop = readShopConfig();
        if (!shop.shopify && !shop.woocommerce) return;
        for (const e of events.filter((x) => SHOP_SYNC_EVENT_TYPES.includes(x.type))) {
          const envelope = {
            version: '0',
            id: e.id,
            'detail-type': e.type,
            source: EVENT_SOURCE,
            time: e.occurredAt,
            region: LOCAL_REGION,
            detail: e,
          };
          await sqs!.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(envelope) }));
        }
      });
      const { handler } = (await import('../functions/shop-sync')) as { handler: Handler };
      loop = drain(handler, ctx.log);
    },
    async stop() {
      stopping = true;
      removeRule();
      await loop;
      loop = undefined;
      restoreEnv();
      sqs?.destroy();
      sqs = undefined;
      await app?.close();
      app = undefined;
    },
  };
}
