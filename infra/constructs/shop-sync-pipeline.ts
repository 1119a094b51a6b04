import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../shared/events/events';
import type { StageConfig } from '../stage-config';
import type { ClubFunction } from './club-function';
import { deadLetterQueue } from './dead-letter-queue';

/** Receives of one push before it stays failed for staff (the consumer's last try) and, if the consumer itself fails, the DLQ. */
export const SHOP_SYNC_MAX_RECEIVES = 5;
/** A push may wait out a throttled shop a few times (shared/shops/shop-client.ts SHOP_CALL). */
export const SHOP_SYNC_TIMEOUT = Duration.seconds(30);
/** The reward events a shop acts on (local/shop-sync-queue.ts plays the same rule). */
export const SHOP_SYNC_EVENTS = ['reward.issued', 'reward.cancelled'];

export interface ShopSyncPipelineProps {
  readonly config: StageConfig;
  readonly bus: IEventBus;
  /** Makes the consumer (the stack's addFunction: its environment and grants come from infra/function-access.ts). */
  readonly addConsumer: () => ClubFunction;
}

/**
 * Rewards become shop discounts on AWS: the bus's rule puts reward.issued and
 * reward.cancelled on a queue, the shop-sync consumer reads it in batches with
 * partial batch responses; its DLQ alarms. The shops' credentials live in one
 * secret the operator fills in (docs/shops.md).
 */
export class ShopSyncPipeline extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly secrets: Secret;
  readonly consumer: ClubFunction;

  constructor(scope: Construct, id: string, props: ShopSyncPipelineProps) {
    super(scope, id);
    const { config } = props;

    this.secrets = new Secret(this, 'Secrets', {
      // Generated as a placeholder (no value in the template); the operator replaces it with the shops' JSON.
      description: `Shop credentials of the loyalty club (${config.stage}): Shopify Admin API token and app secret, WooCommerce REST keys`,
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.secrets).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Shopify and WooCommerce issue these credentials; they are rotated in the shop and pasted here (docs/shops.md).',
    });

    this.deadLetters = deadLetterQueue(this, 'DeadLetters', { removalPolicy: config.removalPolicy, whose: 'the shop-sync queue' });
    this.queue = new Queue(this, 'Pushes', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SHOP_SYNC_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: SHOP_SYNC_MAX_RECEIVES },
      removalPolicy: config.removalPolicy,
    });

    new Rule(this, 'RewardEvents', {
      eventBus: props.bus,
      description: 'reward codes issued or cancelled: pushed to the shop as discounts',
      eventPattern: { source: [EVENT_SOURCE], detailType: SHOP_SYNC_EVENTS },
      targets: [new SqsQueue(this.queue, { deadLetterQueue: this.deadLetters, retryAttempts: 10 })],
    });

    this.consumer = props.addConsumer();
    this.consumer.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(2),
        reportBatchItemFailures: true,
        maxConcurrency: 2,
      }),
    );
    Validations.of(this.consumer.fn).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "An SQS event source takes no on-failure destination; the queue's redrive policy moves what failed every receive to its DLQ, which alarms.",
    });
  }
}
