import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STREAM_ITEM_TYPES } from '../../shared/events/stream-events';
import type { LoyaltyStack } from '../loyalty-stack';
import { handlerEntry } from '../paths';
import type { ClubFunction } from './club-function';
import { deadLetterQueue } from './dead-letter-queue';

/** A batch the bus keeps refusing is tried this often (halved each time by bisecting) before its records go to the queue. */
export const STREAM_RETRY_ATTEMPTS = 10;
/** The oldest record waiting in the stream before the alarm: events are normally seconds behind their commit. */
export const STREAM_ITERATOR_AGE_ALARM_MS = 5 * 60_000;

export interface EventStreamProps {
  readonly stack: LoyaltyStack;
  readonly functionsDir?: string;
}

/**
 * The table's stream → the stream processor → the club's bus: the outbox of the
 * domain events (docs/events.md). Partial batch failures and bisecting keep a
 * refused record from holding back or repeating the others; records that still
 * fail after the retries are named in the on-failure queue (the record itself
 * stays in the stream for 24 hours), and its alarm and the iterator age say so.
 */
export class EventStream extends Construct {
  readonly processor: ClubFunction;
  /** What the event source mapping gave up on: shard, sequence range, the error. */
  readonly failures: Queue;
  readonly iteratorAge: Alarm;

  constructor(scope: Construct, id: string, props: EventStreamProps) {
    super(scope, id);
    const { stack } = props;
    const table = stack.clubTable.table;
    this.failures = deadLetterQueue(this, 'Failures', {
      removalPolicy: stack.config.removalPolicy,
      whose: "the table stream's event source mapping (on-failure destination)",
    });
    this.processor = stack.addFunction('stream-processor', {
      entry: handlerEntry('stream-processor', props.functionsDir),
      description: 'stream-processor: publishes the domain events of committed items (the table stream) to the bus',
      timeout: Duration.seconds(30),
    });
    this.processor.fn.addEventSource(
      new DynamoEventSource(table, {
        // From the oldest record: a processor deployed after the table publishes what committed before it.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: STREAM_RETRY_ATTEMPTS,
        onFailure: new SqsDlq(this.failures),
        // Only the items that tell an event or a counter invoke it (a removal has no new image: none does).
        filters: [FilterCriteria.filter({ dynamodb: { NewImage: { itemType: { S: FilterRule.or(...STREAM_ITEM_TYPES) } } } })],
      }),
    );
    stack.monitoring.alarmOnDeadLetters('StreamFailures', this.failures);
    this.iteratorAge = new Alarm(this, 'IteratorAge', {
      alarmName: `loyalty-${stack.config.stage}-stream-iterator-age`,
      alarmDescription: `The stream processor is more than ${STREAM_ITERATOR_AGE_ALARM_MS / 60_000} minutes behind the table: domain events are late (a refused bus, a failing record being retried, throttling).`,
      metric: new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        dimensionsMap: { FunctionName: this.processor.fn.functionName },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: STREAM_ITERATOR_AGE_ALARM_MS,
      evaluationPeriods: 5,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
