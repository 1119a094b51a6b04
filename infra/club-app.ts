import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { LoyaltyStack, type LoyaltyStackProps } from './loyalty-stack';
import { readAccessConfig } from '../shared/config';
import { errorAlarmsOf, flagOf, logLevelOf, retentionOf, stageConfig } from './stage-config';

export interface ClubApp {
  readonly app: App;
  readonly stack: LoyaltyStack;
}

/**
 * The app as `cdk synth` builds it, as a function so tests check the same wiring
 * (context, stack name, cdk-nag) that deploys. Context: `stage` (default from
 * cdk.json: dev), `currency` (default USD), `staffDomainPrefix`, `alarmEmail`,
 * `tracing` (true|false), `dashboard` (true|false), `errorAlarms` (function|account), `logLevel` (DEBUG|INFO|WARN|ERROR), `logRetentionDays`, `portalFrameAncestors`,
 * `signInPerCountry`, `signInDailySmsCap`, `counterShards`.
 */
export function createClubApp(appProps: AppProps = {}, stackProps: Partial<LoyaltyStackProps> = {}): ClubApp {
  const app = new App(appProps);
  const stage = String(app.node.tryGetContext('stage') ?? 'dev');
  const context = (key: string) => app.node.tryGetContext(key) as string | undefined;
  const currency = context('currency');
  const staffDomainPrefix = context('staffDomainPrefix');
  const alarmEmail = context('alarmEmail');
  const tracing = context('tracing');
  const dashboard = context('dashboard');
  const errorAlarms = context('errorAlarms');
  const logLevel = context('logLevel');
  const logRetentionDays = context('logRetentionDays');
  // Checked as the club checks PORTAL_FRAME_ANCESTORS: a typo fails the synth, naming the variable.
  const portalFrameAncestors = readAccessConfig({ PORTAL_FRAME_ANCESTORS: context('portalFrameAncestors') }).frameAncestors;
  // The functions would quietly fall back to their defaults on a bad value (shared/config.ts): the synth refuses it instead.
  const stageSignIn = stageConfig(stage).signIn;
  const signIn = {
    perCountry: countOf('signInPerCountry', 'LOYALTY_SIGN_IN_PER_COUNTRY', context('signInPerCountry'), stageSignIn.perCountry),
    dailySmsCap: countOf('signInDailySmsCap', 'LOYALTY_SIGN_IN_DAILY_SMS_CAP', context('signInDailySmsCap'), stageSignIn.dailySmsCap),
  };
  const counterShards = context('counterShards');
  const config = stageConfig(stage, {
    ...(counterShards !== undefined && { counterShards: shardsOf(String(counterShards)) }),
    ...(alarmEmail && { alarmEmail }),
    ...(tracing !== undefined && { tracing: String(tracing) === 'true' }),
    ...(dashboard !== undefined && { dashboard: flagOf('dashboard', dashboard) }),
    ...(errorAlarms !== undefined && { errorAlarms: errorAlarmsOf(String(errorAlarms)) }),
    ...(logLevel && { logLevel: logLevelOf(logLevel) }),
    ...(logRetentionDays && { logRetention: retentionOf(Number(logRetentionDays)) }),
    ...(currency && { currency: currency.toUpperCase() }),
    ...(staffDomainPrefix && { staffDomainPrefix }),
    portalFrameAncestors,
    signIn,
  });

  // No env: the stack is environment-agnostic so synth needs no credentials or
  // lookups; the account and region come from the deploying profile.
  const stack = new LoyaltyStack(app, `LoyaltyClub-${stage}`, { config, ...stackProps });

  // cdk-nag 3 is a policy-validation plugin: it runs at synth and fails it on any
  // unacknowledged error. Acknowledgements sit next to the resource. Serverless: failure
  // destinations, throttling, tracing and logs of the functions and the API.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
}

/** A context value that must be a whole number of at least 1; unset: the stage's. */
function countOf(key: string, variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`context ${key} (${variable}) must be a whole number ≥ 1 (got ${JSON.stringify(value)})`);
  return n;
}

/** Context counterShards: what the handlers accept (1–256, shared/config.ts), else the synth fails rather than the functions falling back to 8. */
function shardsOf(value: string): number {
  const n = countOf('counterShards', 'LOYALTY_COUNTER_SHARDS', value, 0);
  if (n > 256) throw new Error(`context counterShards (LOYALTY_COUNTER_SHARDS) must be at most 256 (got ${n})`);
  return n;
}
