/**
 * The fixed monthly floor (GET /v1/reports/costs → fixedMonthly) counts the
 * stack's monthly-billed resources from shared/costs/monthly-floor.ts: the
 * synthesized stack must have exactly those, so an alarm or a secret added
 * without the floor knowing fails here.
 */
import { describe, expect, it } from 'vitest';
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
