/**
 * The automations on AWS: the bus, the schedules (program time zone, retry
 * policy, DLQ), the continuation and notify rules, and least-privilege grants
 * for the jobs and notifier functions.
 */
import { Stack } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoyaltyStack } from '../../infra/loyalty-stack';
import { synthStage } from '../support/synth';
import { DAILY_JOBS, HOURLY_JOBS } from '../../shared/club/jobs';

let stack: LoyaltyStack;
let json: any;
const of = (type: string) => Object.entries(json.Resources as Record<string, any>).filter(([, r]) => r.Type === type);
const idOf = (c: any) => Stack.of(c).getLogicalId(c.node.defaultChild);
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

function statementsOfRole(roleId: string): any[] {
  return of('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

beforeAll(() => {
  const dev = synthStage('dev');
  stack = dev.stack;
  json = dev.json;
}, 300_000);

describe('the automations', () => {
  it('has the club bus, named after the stage, and lets only the stream processor and the jobs publish on it', () => {
    const buses = of('AWS::Events::EventBus');
    expect(buses).toHaveLength(1);
    expect(buses[0]![1].Properties.Name).toBe('loyalty-club-dev');
    const busRef = { Ref: buses[0]![0] };
    const publishers: string[] = [];
    for (const [name, f] of stack.functions) {
      const env = json.Resources[idOf(f.fn)].Properties.Environment.Variables;
      const puts = statementsOfRole(idOf(f.role)).filter((st) => asArray(st.Action).includes('events:PutEvents'));
      if (puts.length === 0) {
        expect(env.LOYALTY_EVENT_BUS, name).toBeUndefined();
        continue;
      }
      publishers.push(name);
      expect(env.LOYALTY_EVENT_BUS, name).toEqual(busRef);
      expect(
        puts.map((st) => st.Resource),
        name,
      ).toEqual([{ 'Fn::GetAtt': [buses[0]![0], 'Arn'] }]);
    }
    // Every committed change's events come off the table's stream; the jobs publish only what no item tells.
    expect(publishers.sort()).toEqual(['admin-jobs', 'jobs', 'stream-processor']);
  });

  it("schedules each daily job hourly, in order within the first half hour, gated on the program's hour, with asOf = the scheduled time, retries and the DLQ", () => {
    const schedules = of('AWS::Scheduler::Schedule').map(([, r]) => r.Properties);
    const dlq = idOf(stack.automations.deadLetters);
    const jobsFn = idOf(stack.automations.jobs!.fn);
    const daily = schedules.filter((s) => s.Target.Arn['Fn::GetAtt']?.[0] === jobsFn && JSON.parse(s.Target.Input).daily === true);
    expect(daily).toHaveLength(DAILY_JOBS.length);
    const hourly = schedules.filter((s) => s.Target.Arn['Fn::GetAtt']?.[0] === jobsFn && JSON.parse(s.Target.Input).daily === undefined);
    expect(hourly.map((s) => [JSON.parse(s.Target.Input).job, s.ScheduleExpression])).toEqual(
      HOURLY_JOBS.map((job) => [job, 'cron(30 * * * ? *)']),
    );
    for (const s of hourly) expect(s.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [dlq, 'Arn'] });
    DAILY_JOBS.forEach((job, i) => {
      const s = daily.find((d) => JSON.parse(d.Target.Input).job === job);
      expect(s, job).toBeDefined();
      expect(s.ScheduleExpression).toBe(`cron(${String(i * 4).padStart(2, '0')} * * * ? *)`);
      expect(i * 4).toBeLessThan(30);
      expect(s.ScheduleExpressionTimezone).toBe('Etc/UTC');
      expect(JSON.parse(s.Target.Input)).toEqual({ job, asOf: '<aws.scheduler.scheduled-time>', daily: true });
      expect(s.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 3 });
      expect(s.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [dlq, 'Arn'] });
      expect(s.State).toBe('ENABLED');
    });
    const flush = schedules.find((s) => s.Target.Input === JSON.stringify({ flushDeferred: true }));
    expect(flush).toMatchObject({ ScheduleExpression: 'rate(1 hour)' });
  });

  it('routes job continuations and message-worthy events to their functions, with retries and the DLQ', () => {
    const rules = of('AWS::Events::Rule').map(([, r]) => r.Properties);
    const continuation = rules.find((r) => r.EventPattern.source?.[0] === 'loyalty.club.jobs');
    expect(continuation.EventPattern['detail-type']).toEqual(['job.continue']);
    expect(continuation.Targets[0].Arn['Fn::GetAtt'][0]).toBe(idOf(stack.automations.jobs!.fn));
    const notify = rules.find((r) => r.EventPattern.source?.[0] === 'loyalty.club');
    expect(notify.EventPattern['detail-type']).toEqual(
      expect.arrayContaining(['points.expiring', 'points.expired', 'member.lapsed', 'member.welcomed']),
    );
    expect(notify.EventPattern['detail-type']).not.toContain('points.earned');
    for (const r of [continuation, notify]) {
      expect(r.Targets[0].RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 21600, MaximumRetryAttempts: 3 });
      expect(r.Targets[0].DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': [idOf(stack.automations.deadLetters), 'Arn'] });
    }
  });

  it('keeps the dead letters encrypted, TLS-only, for 14 days', () => {
    const q = json.Resources[idOf(stack.automations.deadLetters)].Properties;
    expect(q).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    const policies = of('AWS::SQS::QueuePolicy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    expect(policies.some((st) => st.Effect === 'Deny' && st.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
  });

  it('gives the jobs function 5 minutes, the table, the bus, its on-failure queue and nothing else', () => {
    const jobs = stack.automations.jobs!;
    expect(json.Resources[idOf(jobs.fn)].Properties).toMatchObject({ Timeout: 300 });
    const statements = statementsOfRole(idOf(jobs.role));
    const actions = statements.flatMap((st) => asArray<string>(st.Action));
    const other = actions.filter((a) => !/^(dynamodb|logs|xray|sqs):/.test(a));
    expect(other).toEqual(['events:PutEvents']);
    const sqs = statements.filter((st) => asArray<string>(st.Action).some((a) => a.startsWith('sqs:')));
    expect(sqs.map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [idOf(stack.automations.failedInvocations), 'Arn'] }]);
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('lets the notifier send only as the configured SES identity and read only the SMS key and the portal secret (opt-out links)', () => {
    const notifier = stack.automations.notifier!;
    const statements = statementsOfRole(idOf(notifier.role));
    const ses = statements.filter((st) => asArray<string>(st.Action).some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(1);
    expect(asArray(ses[0].Action)).toEqual(['ses:SendEmail']);
    expect(JSON.stringify(ses[0].Resource)).toContain('identity/club@shop.example');
    expect(JSON.stringify(ses[0].Resource)).not.toContain('*');
    const secrets = statements.filter((st) => asArray<string>(st.Action).some((a) => a.startsWith('secretsmanager:')));
    const portalSecret = { Ref: stack.getLogicalId(stack.pages.portalSecret.node.defaultChild as any) };
    expect(secrets.flatMap((st) => asArray(st.Resource))).toEqual(
      expect.arrayContaining([{ Ref: expect.stringMatching(/SmsApiKey/) }, portalSecret]),
    );
    expect(secrets.flatMap((st) => asArray(st.Resource))).toHaveLength(2);
    const env = json.Resources[idOf(notifier.fn)].Properties.Environment.Variables;
    expect(env).toMatchObject({
      LOYALTY_EMAIL_FROM: 'club@shop.example',
      LOYALTY_SMS_URL: 'https://api.kavenegar.com/v1/{apiKey}/sms/send.json',
      // The messages' opt-out links: signed with the portal secret, on the pages' address (which forwards /v1/*).
      LOYALTY_PORTAL_SECRET_ARN: portalSecret,
      LOYALTY_PORTAL_URL: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [expect.stringMatching(/^PagesDistribution/), 'DomainName'] }]] },
    });
    expect(env.LOYALTY_SMS_API_KEY).toBeUndefined();
  });

  it("lets only this account's Scheduler assume the schedules' role, to invoke just the two functions", () => {
    const roles = of('AWS::IAM::Role').filter(
      ([, r]) => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'scheduler.amazonaws.com',
    );
    expect(roles).toHaveLength(1);
    expect(roles[0]![1].Properties.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    });
    const statements = statementsOfRole(roles[0]![0]);
    const invoke = statements.filter((st) => asArray(st.Action).includes('lambda:InvokeFunction'));
    const targets = new Set(
      invoke.flatMap((st) => asArray(st.Resource)).map((r: any) => JSON.stringify(r).match(/(JobsFunction|NotifierFunction)\w+/)?.[1]),
    );
    expect([...targets].sort()).toEqual(['JobsFunction', 'NotifierFunction']);
    const sqs = statements.filter((st) => asArray<string>(st.Action).some((a) => a.startsWith('sqs:')));
    expect(sqs.map((st) => st.Resource)).toEqual([{ 'Fn::GetAtt': [idOf(stack.automations.deadLetters), 'Arn'] }]);
  });
});

describe('monitoring', () => {
  const alarms = () => of('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);

  it('alarms as soon as a schedule or rule parks a message in the dead-letter queue', () => {
    const dlq = alarms().filter(
      (a) =>
        a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(idOf(stack.automations.deadLetters)),
    );
    expect(dlq).toHaveLength(1);
    expect(dlq[0]).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('watches every function for errors, Lambda for throttles, and the day cost against the stage budget', () => {
    // The club's own functions (the CDK's custom-resource providers are not ours to watch).
    const clubFunctions = of('AWS::Lambda::Function')
      .map(([id]) => id)
      .filter((id) => /FunctionHandler[0-9A-F]{8}$/.test(id));
    expect(clubFunctions.length).toBeGreaterThanOrEqual(10);
    const watched = alarms().filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Errors');
    const watchedFns = new Set(watched.map((a) => JSON.stringify(a.Dimensions)));
    // Throttles: one alarm on the account-wide metric (no dimensions) covers every function.
    expect(alarms().filter((a) => a.Namespace === 'AWS/Lambda' && a.MetricName === 'Throttles' && !a.Dimensions)).toHaveLength(1);
    for (const id of clubFunctions) {
      expect(
        [...watchedFns].some((d) => d.includes(id)),
        id,
      ).toBe(true);
    }
    const cost = alarms().find((a) => String(a.AlarmName).endsWith('-cost-per-day'));
    expect(cost).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' });
    expect(JSON.stringify(cost.Metrics)).toContain('CostMicroUsd');
    // The member page's daily SMS cap: any code held back alarms, on the alarm topic like every alarm.
    const smsCap = alarms().find((a) => String(a.AlarmName).endsWith('-sign-in-sms-cap'));
    expect(smsCap).toMatchObject({ Namespace: 'LoyaltyClub', MetricName: 'SignInSmsCapReached', Threshold: 1 });
    expect(smsCap.AlarmActions).toHaveLength(1);
    expect(JSON.stringify(smsCap.AlarmActions)).toContain('Alarms');
    expect(of('AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });
});
