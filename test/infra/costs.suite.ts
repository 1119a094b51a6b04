/**
 * The fixed monthly floor (GET /v1/reports/costs → fixedMonthly) counts the
 * stack's monthly-billed resources from shared/costs/monthly-floor.ts: the
 * synthesized stack must have exactly those, so an alarm or a secret added
 * without the floor knowing fails here.
 */
import { describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createClubApp } from '../../infra/club-app';
import { errorAlarmsOf, flagOf, logLevelOf, retentionOf, stageConfig } from '../../infra/stage-config';
import {
  CLUB_FUNCTIONS,
  dashboardByDefault,
  fixedMonthly,
  STACK_KMS_KEYS,
  STACK_SECRETS,
  STACK_USER_POOLS,
  stackAlarms,
} from '../../shared/costs/monthly-floor';
import { PRICES } from '../../shared/costs/prices';
import { CDK_JSON_CONTEXT, SENDERS_CONTEXT, SYNTH_OUTDIR, synthStage } from '../support/synth';

const of = (json: any, type: string) => Object.entries(json.Resources as Record<string, any>).filter(([, r]) => r.Type === type);

/** Metrics an alarm evaluates, as CloudWatch bills it: one for a plain alarm, each metric of a metric-math alarm. */
const alarmMetrics = (alarm: any): number =>
  alarm.Properties.Metrics ? alarm.Properties.Metrics.filter((m: any) => m.MetricStat).length : 1;

/** What the template bills by the month, counted resource by resource as AWS bills them (no requests: no custom metrics). */
const billedByTheMonth = (json: any): Record<string, number> => ({
  customMetrics: 0,
  alarmMetrics: of(json, 'AWS::CloudWatch::Alarm').reduce((n, [, a]) => n + alarmMetrics(a), 0),
  dashboards: of(json, 'AWS::CloudWatch::Dashboard').length,
  secrets: of(json, 'AWS::SecretsManager::Secret').length,
  userPools: of(json, 'AWS::Cognito::UserPool').length,
  kmsKeys: of(json, 'AWS::KMS::Key').length,
});

const countsOf = (floor: { items: readonly { resource: string; count: number }[] }) =>
  Object.fromEntries(floor.items.map((i) => [i.resource, i.count]));

describe.each(['dev', 'prod'] as const)('LoyaltyClub-%s fixed monthly floor', (stage) => {
  it('has the alarms, and alarm metrics, the floor counts', () => {
    const { json, stack } = synthStage(stage);
    const alarms = of(json, 'AWS::CloudWatch::Alarm');
    const want = stackAlarms([...stack.functions.keys()]);
    expect(alarms).toHaveLength(want.length);
    expect(alarms.reduce((n, [, a]) => n + alarmMetrics(a), 0)).toBe(want.reduce((n, a) => n + a.metrics, 0));
  });

  it('has the functions, dashboards, secrets, user pools and KMS keys the floor counts', () => {
    const { json, stack } = synthStage(stage);
    expect(stackAlarms([...stack.functions.keys()])).toEqual(stackAlarms());
    // The dashboard only where the stage deploys one (prod: none unless context dashboard=true).
    expect(of(json, 'AWS::CloudWatch::Dashboard')).toHaveLength(stage === 'prod' ? 0 : 1);
    expect(dashboardByDefault(stage)).toBe(stage !== 'prod');
    expect(of(json, 'AWS::SecretsManager::Secret')).toHaveLength(STACK_SECRETS.length);
    expect(of(json, 'AWS::Cognito::UserPool')).toHaveLength(STACK_USER_POOLS);
    expect(of(json, 'AWS::KMS::Key')).toHaveLength(STACK_KMS_KEYS);
  });

  it("has exactly the floor's items: the idle floor the costs report states is what the template bills by the month", () => {
    const { json, stack } = synthStage(stage);
    // The floor as the costs report and the estimate compute it for this stage (no requests: no custom metrics).
    const floor = fixedMonthly(0, PRICES, { dashboard: dashboardByDefault(stage) });
    const alarms = of(json, 'AWS::CloudWatch::Alarm');
    expect(countsOf(floor)).toEqual(billedByTheMonth(json));
    expect(stack.config.dashboard).toBe(dashboardByDefault(stage));
    // Every alarm standard resolution ($0.10 a metric; a high-resolution one is $0.30): periods of a minute or more.
    for (const [id, a] of alarms) {
      const periods = a.Properties.Metrics
        ? a.Properties.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Period)
        : [a.Properties.Period];
      for (const p of periods) expect(p, id).toBeGreaterThanOrEqual(60);
    }
    // Nothing else bills by the month or the hour while the stack is idle: such a resource would
    // be a floor item the floor does not know.
    for (const type of [
      'AWS::CloudWatch::CompositeAlarm',
      'AWS::CloudWatch::AnomalyDetector',
      'AWS::EC2::NatGateway',
      'AWS::EC2::VPCEndpoint',
      'AWS::Route53::HostedZone',
      'AWS::WAFv2::WebACL',
      'AWS::Synthetics::Canary',
    ])
      expect(of(json, type), type).toHaveLength(0);
    for (const [id, p] of of(json, 'AWS::SSM::Parameter')) expect(p.Properties.Tier ?? 'Standard', id).toBe('Standard');
    for (const [id, t] of of(json, 'AWS::DynamoDB::GlobalTable')) expect(t.Properties.BillingMode, id).toBe('PAY_PER_REQUEST');
    for (const type of ['AWS::Lambda::Version', 'AWS::Lambda::Alias'])
      for (const [id, f] of of(json, type)) expect(f.Properties.ProvisionedConcurrencyConfig, id).toBeUndefined();
    // The idle floor in prod: 39 alarm metrics $3.90 and 6 secrets $2.40, no dashboard; dev adds the dashboard's $3.00.
    expect(floor.idle).toBeCloseTo(stage === 'prod' ? 6.3 : 9.3, 9);
  });

  it('tells the costs report whether the dashboard is deployed, so its floor counts it only then', () => {
    const { json, stack } = synthStage(stage);
    const reports = stack.functions.get('reports')!;
    const env = json.Resources[stack.getLogicalId(reports.fn.node.defaultChild as any)].Properties.Environment.Variables;
    expect(env.LOYALTY_DASHBOARD).toBe(stage === 'prod' ? 'false' : 'true');
    // Only the function that answers the costs report needs it.
    for (const [name, f] of stack.functions)
      if (name !== 'reports')
        expect(
          json.Resources[stack.getLogicalId(f.fn.node.defaultChild as any)].Properties.Environment.Variables.LOYALTY_DASHBOARD,
          name,
        ).toBeUndefined();
  });

  it('reads each secret from a different set of functions: two values with the same readers would share one secret', () => {
    const { json, stack } = synthStage(stage);
    const secretIds = of(json, 'AWS::SecretsManager::Secret').map(([id]) => id);
    const roleOf = new Map([...stack.functions].map(([name, f]) => [Stack.of(stack).getLogicalId(f.role.node.defaultChild as any), name]));
    const readers = new Map<string, Set<string>>(secretIds.map((id) => [id, new Set()]));
    for (const [, policy] of of(json, 'AWS::IAM::Policy')) {
      const fns = (policy.Properties.Roles as { Ref: string }[]).map((r) => roleOf.get(r.Ref)).filter((n) => n !== undefined);
      for (const st of policy.Properties.PolicyDocument.Statement) {
        const actions = [st.Action].flat() as string[];
        if (!actions.includes('secretsmanager:GetSecretValue')) continue;
        for (const r of [st.Resource].flat()) {
          const secret = readers.get(r?.Ref);
          if (secret) for (const fn of fns) secret.add(fn);
        }
      }
    }
    const sets = [...readers].map(([id, fns]) => [id, [...fns].sort().join(',')] as const);
    // Every secret is read by some function, and no two by the same ones.
    for (const [id, fns] of sets) expect(fns, id).not.toBe('');
    expect(new Set(sets.map(([, fns]) => fns)).size).toBe(sets.length);
    // The Shopify app's secret (the app proxy: me) and the shops' credentials (the pushes: shop-sync,
    // admin-shop-sync) have no reader in common: one secret would hand each side the other's.
    const refOf = (c: any) => stack.getLogicalId(c.node.defaultChild as any);
    expect([...readers.get(refOf(stack.shopifyAppSecret))!]).toEqual(['me']);
    expect([...readers.get(refOf(stack.shopSync!.secrets))!].sort()).toEqual(['admin-shop-sync', 'shop-sync']);
  });
});

describe('LoyaltyClub-prod with errorAlarms=account and dashboard=true', () => {
  // The real handlers: their bundles are the ones the stages' syntheses made (test/support/synth.ts's
  // shared assembly directory), so this app runs no esbuild of its own.
  const synth = () => {
    const { stack } = createClubApp({
      outdir: SYNTH_OUTDIR,
      context: { ...CDK_JSON_CONTEXT, ...SENDERS_CONTEXT, stage: 'prod', errorAlarms: 'account', dashboard: 'true' },
    });
    return { stack, json: Template.fromStack(stack).toJSON() };
  };

  it("has one alarm for every function's errors, with the alarm action, and the floor counts what the template bills", () => {
    const { stack, json } = synth();
    const names = of(json, 'AWS::CloudWatch::Alarm').map(([id, a]) => (a.Properties.AlarmName as string | undefined) ?? id);
    // The functions' own alarms gone; the other alarms all there.
    expect(names.filter((n) => n.endsWith('-errors')).sort()).toEqual(['loyalty-prod-lambda-errors', 'loyalty-prod-table-system-errors']);
    expect(names).toHaveLength(stackAlarms(CLUB_FUNCTIONS, 'account').length);
    const errors = of(json, 'AWS::CloudWatch::Alarm').find(([, a]) => a.Properties.AlarmName === 'loyalty-prod-lambda-errors')![1];
    expect(errors.Properties).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 1 });
    expect(errors.Properties.Dimensions).toBeUndefined();
    expect(errors.Properties.AlarmActions).toHaveLength(1);
    // 39 alarm metrics less 20 functions' own plus 1: 20 ($2.00), the dashboard ($3.00), 6 secrets ($2.40).
    const floor = fixedMonthly(0, PRICES, { dashboard: true, errorAlarms: 'account' });
    expect(countsOf(floor)).toEqual(billedByTheMonth(json));
    expect(floor.idle).toBeCloseTo(7.4, 9);
    const reports = stack.functions.get('reports')!;
    const env = json.Resources[stack.getLogicalId(reports.fn.node.defaultChild as any)].Properties.Environment.Variables;
    expect(env).toMatchObject({ LOYALTY_DASHBOARD: 'true', LOYALTY_ERROR_ALARMS: 'account' });
  });

  it('refuses an errorAlarms value it does not know', () => {
    expect(() => errorAlarmsOf('none')).toThrow(/errorAlarms must be one of function, account/);
    expect(stageConfig('prod').errorAlarms).toBe('function');
  });
});

describe.each([
  ['dev', { Mode: 'Active' }, 'DEBUG', 30],
  ['prod', undefined, 'INFO', 365],
] as const)('LoyaltyClub-%s tracing and logs', (stage, tracing, level, days) => {
  it('traces, logs and keeps logs as the stage says', () => {
    const { json, stack } = synthStage(stage);
    const clubFunctions = [...stack.functions.values()].map((f) => stack.getLogicalId(f.fn.node.defaultChild as any));
    expect(clubFunctions.length).toBeGreaterThanOrEqual(10);
    for (const id of clubFunctions) {
      const fn = json.Resources[id];
      expect(fn.Properties.TracingConfig, id).toEqual(tracing);
      expect(fn.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL, id).toBe(level);
    }
    for (const f of stack.functions.values())
      expect(json.Resources[stack.getLogicalId(f.logGroup.node.defaultChild as any)].Properties.RetentionInDays).toBe(days);
  });
});

describe('stage settings from context', () => {
  it('takes tracing, the log level and retention as overrides, and refuses what CloudWatch would not', () => {
    expect(stageConfig('prod')).toMatchObject({ tracing: false, logLevel: 'INFO' });
    expect(stageConfig('dev')).toMatchObject({ tracing: true, logLevel: 'DEBUG' });
    expect(logLevelOf('warn')).toBe('WARN');
    expect(() => logLevelOf('verbose')).toThrow(/logLevel must be one of/);
    expect(retentionOf(14)).toBe(14);
    expect(() => retentionOf(10)).toThrow(/logRetentionDays must be one of/);
    expect(stageConfig('prod')).toMatchObject({ dashboard: false });
    expect(stageConfig('dev')).toMatchObject({ dashboard: true });
    expect(stageConfig('prod', { dashboard: true })).toMatchObject({ dashboard: true });
    expect(flagOf('dashboard', 'true')).toBe(true);
    expect(flagOf('dashboard', false)).toBe(false);
    expect(() => flagOf('dashboard', 'yes')).toThrow(/dashboard must be true or false/);
  });
});

/** Tags a resource carries, whichever way its type takes them (a list, a map, a table's replicas). */
function tagsOf(resource: any): Record<string, unknown> | undefined {
  const p = resource.Properties ?? {};
  const raw = p.Tags ?? p.UserPoolTags ?? p.Replicas?.[0]?.Tags;
  if (!raw) return undefined;
  return Array.isArray(raw) ? Object.fromEntries(raw.map((t: { Key: string; Value: unknown }) => [t.Key, t.Value])) : raw;
}

/** Types that bill and take tags: the cost allocation tags must be on each (docs/costs.md "The bill"). */
const BILLED_TYPES = [
  'AWS::Lambda::Function',
  'AWS::DynamoDB::GlobalTable',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::SecretsManager::Secret',
  'AWS::Logs::LogGroup',
  'AWS::Events::EventBus',
  'AWS::S3::Bucket',
  'AWS::CloudFront::Distribution',
  'AWS::Cognito::UserPool',
  'AWS::ApiGatewayV2::Api',
  'AWS::CloudWatch::Alarm',
];

describe.each(['dev', 'prod'] as const)('LoyaltyClub-%s cost allocation tags', (stage) => {
  it('tags every billed resource project=loyalty-club and stage', () => {
    const { json } = synthStage(stage);
    for (const type of BILLED_TYPES) {
      const resources = of(json, type);
      expect(resources.length, type).toBeGreaterThan(0);
      for (const [id, r] of resources) expect(tagsOf(r), `${type} ${id}`).toMatchObject({ project: 'loyalty-club', stage });
    }
    // And whatever else carries tags carries these.
    for (const [id, r] of Object.entries(json.Resources as Record<string, any>)) {
      const tags = tagsOf(r);
      if (tags) expect(tags, id).toMatchObject({ project: 'loyalty-club', stage });
    }
  });
});
