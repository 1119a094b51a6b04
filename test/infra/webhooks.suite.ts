/** The webhook pipeline on AWS: queues, event source mapping, alarm, least-privilege grants. */
import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_CONSUMER_TIMEOUT, WEBHOOK_MAX_RECEIVES } from '../../infra/constructs/webhook-pipeline';
import type { LoyaltyStack } from '../../infra/loyalty-stack';
import { synthStage } from '../support/synth';

let stack: LoyaltyStack;
let template: Template;
let json: any;

beforeAll(() => {
  ({ stack, template, json } = synthStage('dev'));
}, 300_000);

const idOf = (c: any) => Stack.of(c).getLogicalId(c.node.defaultChild);
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

function statementsOfRole(roleId: string): any[] {
  return Object.values(json.Resources as Record<string, any>)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: any) => x.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('webhook pipeline', () => {
  it('has an encrypted queue with a DLQ after a few receives and a visibility timeout ≥ 6× the consumer timeout', () => {
    const w = stack.webhooks!;
    expect(w).toBeDefined();
    const queue = json.Resources[idOf(w.queue)].Properties;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * WEBHOOK_CONSUMER_TIMEOUT.toSeconds());
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [idOf(w.deadLetters), 'Arn'] },
      maxReceiveCount: WEBHOOK_MAX_RECEIVES,
    });
    expect(WEBHOOK_MAX_RECEIVES).toBeGreaterThanOrEqual(3);
    expect(json.Resources[idOf(w.deadLetters)].Properties.SqsManagedSseEnabled).toBe(true);
    const consumer = json.Resources[idOf(w.consumer.fn)].Properties;
    expect(consumer.Timeout).toBe(WEBHOOK_CONSUMER_TIMEOUT.toSeconds());
    expect(consumer.Environment.Variables.WEBHOOK_MAX_RECEIVES).toBe(String(WEBHOOK_MAX_RECEIVES));
  });

  it('refuses any request to either queue without TLS', () => {
    const policies = Object.values(json.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::SQS::QueuePolicy');
    const covered = policies.flatMap((p) => p.Properties.Queues.map((q: any) => q.Ref));
    expect(covered).toEqual(expect.arrayContaining([idOf(stack.webhooks!.queue), idOf(stack.webhooks!.deadLetters)]));
    for (const p of policies) {
      expect(p.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('feeds the consumer in batches with a window and partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [idOf(stack.webhooks!.queue), 'Arn'] },
      FunctionName: { Ref: idOf(stack.webhooks!.consumer.fn) },
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: Match.anyValue(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const esm = Object.values(json.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping')!;
    expect(esm.Properties.MaximumBatchingWindowInSeconds).toBeGreaterThan(0);
  });

  it('alarms when anything reaches the DLQ', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack.webhooks!.deadLetters), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('lets the receiver only send to the queue and read the signing secrets, nothing of the table', () => {
    const receiver = stack.routeFunctions.get('webhooks')!;
    const statements = statementsOfRole(idOf(receiver.role));
    const actions = statements.flatMap((s) => asArray<string>(s.Action)).filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'));
    expect(actions.filter((a) => a.startsWith('sqs:'))).toEqual(['sqs:SendMessage']);
    expect(actions.filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(actions.filter((a) => !a.startsWith('sqs:') && !a.startsWith('secretsmanager:'))).toEqual([]);
    const send = statements.find((s) => asArray(s.Action).includes('sqs:SendMessage'));
    expect(send.Resource).toEqual({ 'Fn::GetAtt': [idOf(stack.webhooks!.queue), 'Arn'] });
    const env = json.Resources[idOf(receiver.fn)].Properties.Environment.Variables;
    expect(env.WEBHOOK_QUEUE_URL).toEqual({ Ref: idOf(stack.webhooks!.queue) });
    expect(env.WEBHOOK_SECRETS_ARN).toEqual({ Ref: idOf(stack.webhooks!.secrets) });
    expect(env.SHOPIFY_WEBHOOK_SECRET).toBeUndefined();
  });

  it('lets the consumer receive and delete from the queue, never send, and never read secrets', () => {
    const consumer = stack.webhooks!.consumer;
    const actions = statementsOfRole(idOf(consumer.role)).flatMap((s) => asArray<string>(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
    expect(actions).not.toContain('sqs:SendMessage');
    expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
  });

  it("leaves the consumer's domain events to the table's stream: it may not publish on the bus", () => {
    const consumer = stack.webhooks!.consumer;
    const env = json.Resources[idOf(consumer.fn)].Properties.Environment.Variables;
    expect(env.LOYALTY_EVENT_BUS).toBeUndefined();
    const put = statementsOfRole(idOf(consumer.role)).find((s) => asArray(s.Action).includes('events:PutEvents'));
    expect(put).toBeUndefined();
  });
});
