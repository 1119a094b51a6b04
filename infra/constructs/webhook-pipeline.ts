import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from './dead-letter-queue';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config';
import type { ClubFunction } from './club-function';

/** Receives before a delivery goes to the DLQ; the consumer parks it for staff at the last one. */
export const WEBHOOK_MAX_RECEIVES = 5;
/** The consumer's timeout; the queue hides a received batch for 6× this (AWS's guidance for SQS sources). */
export const WEBHOOK_CONSUMER_TIMEOUT = Duration.seconds(10);

export interface WebhookPipelineProps {
  readonly config: StageConfig;
  /** Makes the consumer function (the stack's addFunction: its environment and grants come from infra/function-access.ts). */
  readonly addConsumer: () => ClubFunction;
}

/**
 * Store webhooks on AWS: the signing secrets, the queue the receiver puts
 * deliveries on, its dead-letter queue and alarm, and the consumer reading it
 * in batches with partial batch responses.
 */
export class WebhookPipeline extends Construct {
  readonly queue: Queue;
  readonly deadLetters: Queue;
  readonly secrets: Secret;
  readonly consumer: ClubFunction;
  readonly deadLetterAlarm: Alarm;
  readonly ageAlarm: Alarm;

  constructor(scope: Construct, id: string, props: WebhookPipelineProps) {
    super(scope, id);
    const { config } = props;

    // The shops' secrets are pasted in by the operator (docs/webhooks.md); the generic
    // endpoint's is generated. Read by the receiver, re-read every 5 minutes so a rotation
    // (current + previous) needs no deploy.
    this.secrets = new Secret(this, 'Secrets', {
      description: `Webhook signing secrets of the loyalty club (${config.stage}): Shopify, WooCommerce, generic`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({
          shopify: '',
          shopifyPrevious: '',
          woocommerce: '',
          woocommercePrevious: '',
          genericPrevious: '',
        }),
        generateStringKey: 'generic',
        passwordLength: 48,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.secrets).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Shopify and WooCommerce issue these secrets; a rotation must happen in the shop first, so it is done by hand with the *Previous keys keeping both valid meanwhile (docs/webhooks.md).',
    });

    // Its depth raises an alarm (below).
    this.deadLetters = deadLetterQueue(this, 'DeadLetters', { removalPolicy: config.removalPolicy, whose: 'the webhook queue' });

    this.queue = new Queue(this, 'Deliveries', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(WEBHOOK_CONSUMER_TIMEOUT.toSeconds() * 6),
      // A long DynamoDB or code outage must not lose deliveries the shops were told we had.
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: WEBHOOK_MAX_RECEIVES },
      removalPolicy: config.removalPolicy,
    });

    // The receiver's SendMessage and secret read are wired with its other needs (LoyaltyStack.wireFunctions).
    this.consumer = props.addConsumer();
    const source = new SqsEventSource(this.queue, {
      batchSize: 10,
      // Under load, batches of 10 (≤ 100 invocations per 1,000 deliveries); a quiet shop waits at most this.
      maxBatchingWindow: Duration.seconds(2),
      reportBatchItemFailures: true,
      // Leaves Lambda concurrency (and DynamoDB) for the API when a shop replays a backlog.
      maxConcurrency: config.webhookConsumerConcurrency,
    });
    this.consumer.fn.addEventSource(source);
    Validations.of(this.consumer.fn).acknowledge({
      id: 'Serverless-LambdaEventSourceMappingDestination',
      reason:
        "An SQS event source takes no on-failure destination (only stream and Kafka sources do); the queue's redrive policy moves a delivery that failed every receive to its dead-letter queue, which alarms.",
    });

    this.deadLetterAlarm = new Alarm(this, 'DeadLettersAlarm', {
      alarmDescription:
        'Webhook deliveries failed every receive and sit in the dead-letter queue: the consumer is failing (see its logs), not the deliveries.',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.ageAlarm = new Alarm(this, 'BacklogAlarm', {
      alarmDescription: 'The oldest webhook delivery has waited over 15 minutes: the consumer is not keeping up or not running.',
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 15 * 60,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
