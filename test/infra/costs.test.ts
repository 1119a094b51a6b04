/**
 * The fixed monthly floor (GET /v1/reports/costs → fixedMonthly) counts the
 * stack's monthly-billed resources from shared/costs/monthly-floor.ts: the
 * synthesized stack must have exactly those, so an alarm or a secret added
 * without the floor knowing fails here.
 */
import { describe, expect, it } from 'vitest';
import { logLevelOf, retentionOf, stageConfig } from '../../infra/stage-config';
import { STACK_DASHBOARDS, STACK_KMS_KEYS, STACK_SECRETS, STACK_USER_POOLS, stackAlarms } from '../../shared/costs/monthly-floor';
import { synthStage } from '../support/synth';

const of = (json: any, type: string) => Object.entries(json.Resources as Record<string, any>).filter(([, r]) => r.Type === type);

/** Metrics an alarm evaluates, as CloudWatch bills it: one for a plain alarm, each metric of a metric-math alarm. */
const alarmMetrics = (alarm: any): number =>
  alarm.Properties.Metrics ? alarm.Properties.Metrics.filter((m: any) => m.MetricStat).length : 1;

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
    expect(of(json, 'AWS::CloudWatch::Dashboard')).toHaveLength(STACK_DASHBOARDS);
    expect(of(json, 'AWS::SecretsManager::Secret')).toHaveLength(STACK_SECRETS.length);
    expect(of(json, 'AWS::Cognito::UserPool')).toHaveLength(STACK_USER_POOLS);
    expect(of(json, 'AWS::KMS::Key')).toHaveLength(STACK_KMS_KEYS);
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
