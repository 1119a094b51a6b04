/**
 * The outbox on AWS: the table's stream with both images, the stream
 * processor's event source mapping (partial batch failures, bisecting, retries,
 * an on-failure queue), and the alarms that say when events fall behind or are given up on.
 */
import { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { STREAM_ITERATOR_AGE_ALARM_MS, STREAM_RETRY_ATTEMPTS } from '../../infra/constructs/event-stream';
import type { LoyaltyStack } from '../../infra/loyalty-stack';
import { synthStage } from '../support/synth';

let stack: LoyaltyStack;
let json: any;
const of = (type: string) => Object.entries(json.Resources as Record<string, any>).filter(([, r]) => r.Type === type);
const idOf = (c: any) => Stack.of(c).getLogicalId(c.node.defaultChild);

beforeAll(() => {
  const dev = synthStage('dev');
  stack = dev.stack;
  json = dev.json;
}, 300_000);

describe("the table's stream is the outbox", () => {
  it('streams new and old images of every item of the one table', () => {
    const tables = of('AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(1);
    expect(tables[0]![1].Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('feeds the stream processor from the oldest record, reporting partial failures, bisecting, retrying, then naming what failed in its queue', () => {
    const processor = idOf(stack.eventStream!.processor.fn);
    const mappings = of('AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.FunctionName.Ref === processor);
    expect(mappings).toHaveLength(1);
    const m = mappings[0]![1].Properties;
    expect(m.EventSourceArn).toEqual({ 'Fn::GetAtt': [of('AWS::DynamoDB::GlobalTable')[0]![0], 'StreamArn'] });
    expect(m).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: STREAM_RETRY_ATTEMPTS,
    });
    expect(m.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [idOf(stack.eventStream!.failures), 'Arn'] });
    // Only the items that tell an event or a counter invoke it: not its own counter writes and markers.
    expect(m.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      { dynamodb: { NewImage: { itemType: { S: ['ledger-entry', 'member', 'reward-code', 'notify-prefs'] } } } },
    ]);
  });

  it('alarms to the alarm topic when the processor falls behind and when it gives records up', () => {
    const topic = { Ref: idOf(stack.monitoring.alarmTopic) };
    const alarms = of('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const age = alarms.find((a) => a.MetricName === 'IteratorAge');
    expect(age).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Maximum',
      Threshold: STREAM_ITERATOR_AGE_ALARM_MS,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(stack.eventStream!.processor.fn) } }],
    });
    expect(age.AlarmActions).toEqual([topic]);
    const failures = alarms.find((a) =>
      (a.Dimensions ?? []).some((d: any) => d.Value?.['Fn::GetAtt']?.[0] === idOf(stack.eventStream!.failures)),
    );
    expect(failures?.AlarmActions).toEqual([topic]);
  });
});
