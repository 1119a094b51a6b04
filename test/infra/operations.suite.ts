/**
 * Running it for real (issue 15): failures are seen (every alarm notifies the
 * topic, every asynchronously invoked function has an on-failure queue, every
 * dead-letter queue alarms), a second store can deploy (nothing AWS-global is
 * the same in two accounts), and the scale knobs reach the template.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { staffDomainPrefix } from '../../infra/constructs/club-pages';
import { ClubMonitoring } from '../../infra/constructs/club-monitoring';
import { stageConfig } from '../../infra/stage-config';
import { TemplateResolver } from '../support/iam';
import { synthStage } from '../support/synth';

const idOf = (c: any) => Stack.of(c).getLogicalId(c.node.defaultChild);
const of = (json: any, type: string) => Object.entries(json.Resources as Record<string, any>).filter(([, r]) => r.Type === type);

describe.each(['dev', 'prod'] as const)('LoyaltyClub-%s', (stage) => {
  it('sends every alarm to the alarm topic', () => {
    const { stack, json } = synthStage(stage);
    const alarms = of(json, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(20);
    const topic = { Ref: idOf(stack.monitoring.alarmTopic) };
    for (const [id, alarm] of alarms) expect(alarm.Properties.AlarmActions, id).toEqual([topic]);
  });

  it('gives every asynchronously invoked function an on-failure queue, and alarms on every dead-letter queue', () => {
    const { json } = synthStage(stage);
    const invokedAsync = new Set<string>([
      ...of(json, 'AWS::Scheduler::Schedule').map(([, s]) => s.Properties.Target.Arn['Fn::GetAtt'][0] as string),
      // Functions the rules invoke; the shop-sync rule's target is a queue, drained by an event source mapping.
      ...of(json, 'AWS::Events::Rule')
        .flatMap(([, r]) => r.Properties.Targets.map((t: any) => t.Arn['Fn::GetAtt'][0] as string))
        .filter((id) => json.Resources[id].Type === 'AWS::Lambda::Function'),
    ]);
    expect(invokedAsync.size).toBe(2);
    const configs = of(json, 'AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties);
    const dlqs = new Set<string>();
    for (const fn of invokedAsync) {
      const config = configs.find((c) => c.FunctionName.Ref === fn);
      expect(config?.DestinationConfig?.OnFailure?.Destination, fn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      dlqs.add(config.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0]);
    }
    // Redrive targets and the rules' and schedules' dead-letter queues too.
    for (const [, q] of of(json, 'AWS::SQS::Queue'))
      if (q.Properties.RedrivePolicy) dlqs.add(q.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0]);
    for (const [, r] of of(json, 'AWS::Events::Rule'))
      for (const t of r.Properties.Targets) dlqs.add(t.DeadLetterConfig.Arn['Fn::GetAtt'][0]);
    expect(dlqs.size).toBe(4);
    const alarmed = of(json, 'AWS::CloudWatch::Alarm').map(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []));
    for (const q of dlqs)
      expect(
        alarmed.some((d) => d.includes(q) && d.includes('QueueName')),
        q,
      ).toBe(true);
  });

  it('alarms on the table (throttles, system errors, transaction conflicts) and on API 5xx', () => {
    const { stack, json } = synthStage(stage);
    const alarms = of(json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const names = (a: any) => JSON.stringify(a.Metrics ?? a.MetricName);
    expect(alarms.some((a) => names(a).includes('ThrottledRequests'))).toBe(true);
    expect(alarms.some((a) => names(a).includes('SystemErrors'))).toBe(true);
    const conflicts = alarms.find((a) => a.MetricName === 'TransactionConflict');
    expect(conflicts).toMatchObject({ Namespace: 'AWS/DynamoDB', Threshold: stack.config.transactionConflictAlarmThreshold });
    const api = alarms.find((a) => a.MetricName === '5xx');
    expect(api).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      Threshold: stack.config.api5xxAlarmThreshold,
      Dimensions: [{ Name: 'ApiId', Value: { Ref: idOf(stack.api.httpApi) } }],
    });
  });

  it('throttles the webhooks apart from the API, from the stage config', () => {
    const { stack, json } = synthStage(stage);
    const props = of(json, 'AWS::ApiGatewayV2::Stage')[0]![1].Properties;
    const { throttle, webhookThrottle } = stack.config;
    expect(props.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: throttle.rateLimit,
      ThrottlingBurstLimit: throttle.burstLimit,
    });
    expect(Object.keys(props.RouteSettings).sort()).toEqual([
      'POST /v1/webhooks/generic',
      'POST /v1/webhooks/shopify',
      'POST /v1/webhooks/woocommerce',
    ]);
    for (const settings of Object.values(props.RouteSettings)) {
      expect(settings).toEqual({ ThrottlingRateLimit: webhookThrottle.rateLimit, ThrottlingBurstLimit: webhookThrottle.burstLimit });
    }
    const esm = of(json, 'AWS::Lambda::EventSourceMapping')[0]![1].Properties;
    expect(esm.ScalingConfig).toEqual({ MaximumConcurrency: stack.config.webhookConsumerConcurrency });
  });

  it('gives nothing AWS-global a name that two accounts would share', () => {
    const { stack, json } = synthStage(stage);
    // Two stores, two accounts, the same stage: CloudFormation draws each stack's id.
    const deployedIn = (account: string, uuid: string) =>
      new TemplateResolver(json, 'table', {
        'AWS::AccountId': account,
        'AWS::StackId': `arn:aws:cloudformation:eu-west-1:${account}:stack/LoyaltyClub-${stage}/${uuid}`,
      });
    const domainOf = (r: TemplateResolver) => r.resolve(json.Resources[idOf(stack.pages.domain)].Properties.Domain);
    const first = domainOf(deployedIn('111111111111', '5e7a0c3b-1111-4aaa-8bbb-0123456789ab'));
    const second = domainOf(deployedIn('222222222222', 'c09d44f1-2222-4ccc-8ddd-ba9876543210'));
    expect(first).toBe(`loyalty-${stage}-5e7a0c3b`);
    expect(second).toBe(`loyalty-${stage}-c09d44f1`);
    // Names CloudFormation would otherwise draw: S3 buckets (global) are left to it.
    for (const [id, b] of of(json, 'AWS::S3::Bucket')) expect(b.Properties.BucketName, id).toBeUndefined();
    expect(of(json, 'AWS::Cognito::UserPoolDomain')).toHaveLength(1);
  });
});

describe('the staff domain prefix', () => {
  it('is the context value when given, and refuses what Cognito would', () => {
    expect(staffDomainPrefix({ stage: 'prod', staffDomainPrefix: 'acme-club' })).toBe('acme-club');
    for (const bad of ['Acme', 'acme_club', '-acme', 'my-aws-club', 'cognito-x', 'a'.repeat(64)]) {
      expect(() => staffDomainPrefix({ stage: 'prod', staffDomainPrefix: bad }), bad).toThrow(/staffDomainPrefix/);
    }
  });
});

describe('the alarm topic', () => {
  it('subscribes the alarm email when context gives one, and nobody otherwise', () => {
    const topicOf = (alarmEmail?: string) => {
      const stack = new Stack(new App(), 'Monitoring');
      new ClubMonitoring(stack, 'Monitoring', { config: stageConfig('prod', alarmEmail ? { alarmEmail } : {}) });
      return Template.fromStack(stack);
    };
    topicOf('ops@shop.example').hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@shop.example' });
    expect(topicOf().findResources('AWS::SNS::Subscription')).toEqual({});
  });
});

describe('prod', () => {
  it('warms the table for a flash sale of 2,000 orders/s', () => {
    const { json } = synthStage('prod');
    const table = of(json, 'AWS::DynamoDB::GlobalTable')[0]![1].Properties;
    // 2,000 earns/s × (7 WRU + ~2 counted by the stream processor) ≈ 18,000 WRU/s; reads kept at 4,000 RRU/s (docs/scale.md).
    expect(table.WarmThroughput.WriteUnitsPerSecond).toBeGreaterThanOrEqual(18_000);
    expect(table.WarmThroughput.ReadUnitsPerSecond).toBeGreaterThanOrEqual(4_000);
    const dev = of(synthStage('dev').json, 'AWS::DynamoDB::GlobalTable')[0]![1].Properties;
    expect(dev.WarmThroughput).toBeUndefined();
  });
});
