/** Rewards pushed to the shops on AWS: the bus rule to a queue, its DLQ and alarm, the consumer, the shops' secret. */
import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHOP_SYNC_MAX_RECEIVES, SHOP_SYNC_TIMEOUT } from '../../infra/constructs/shop-sync-pipeline';
import type { LoyaltyStack } from '../../infra/loyalty-stack';
import { synthStage } from '../support/synth';

let stack: LoyaltyStack;
let template: Template;
let json: any;

beforeAll(() => {
  ({ stack, template, json } = synthStage('dev'));
}, 300_000);

const idOf = (c: any) => Stack.of(c).getLogicalId(c.node.defaultChild);

describe('shop-sync pipeline', () => {
  it('routes reward.issued and reward.cancelled from the bus to an encrypted queue with a DLQ', () => {
    const s = stack.shopSync!;
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: idOf(stack.automations.bus) },
      EventPattern: { source: ['loyalty.club'], 'detail-type': ['reward.issued', 'reward.cancelled'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [idOf(s.queue), 'Arn'] } })],
    });
    const queue = json.Resources[idOf(s.queue)].Properties;
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * SHOP_SYNC_TIMEOUT.toSeconds());
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [idOf(s.deadLetters), 'Arn'] },
      maxReceiveCount: SHOP_SYNC_MAX_RECEIVES,
    });
  });

  it('feeds the consumer in batches with partial batch responses', () => {
    const s = stack.shopSync!;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [idOf(s.queue), 'Arn'] },
      FunctionName: { Ref: idOf(s.consumer.fn) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const env = json.Resources[idOf(s.consumer.fn)].Properties.Environment.Variables;
    expect(env.SHOP_SECRETS_ARN).toEqual({ Ref: idOf(s.secrets) });
    expect(env.SHOP_SYNC_MAX_RECEIVES).toBe(String(SHOP_SYNC_MAX_RECEIVES));
  });

  it('alarms when anything reaches the DLQ', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack.shopSync!.deadLetters), 'QueueName'] } }],
    });
  });

  it("gives the shops' secret to the consumer and the retry route's function only", () => {
    const readers = Object.entries(json.Resources as Record<string, any>)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .filter(([, r]) =>
        r.Properties.PolicyDocument.Statement.some((st: any) => JSON.stringify(st.Resource ?? '').includes(idOf(stack.shopSync!.secrets))),
      )
      .flatMap(([, r]) => r.Properties.Roles.map((x: any) => x.Ref));
    const roleOf = (name: 'shop-sync' | 'admin-shop-sync') => idOf(stack.functions.get(name)!.fn.role);
    expect(readers.sort()).toEqual([roleOf('admin-shop-sync'), roleOf('shop-sync')].sort());
  });
});
