import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue as the club keeps them: encrypted, TLS only, two weeks
 * to look at what failed. `whose` says what it catches, for cdk-nag's record
 * of why it has no DLQ of its own.
 */
export function deadLetterQueue(scope: Construct, id: string, props: { removalPolicy: RemovalPolicy; whose: string }): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: props.removalPolicy,
  });
  const reason = `This is the dead-letter queue of ${props.whose}; a DLQ of a DLQ would only move the same messages again.`;
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason }, { id: 'Serverless-SQSRedrivePolicy', reason });
  return queue;
}
