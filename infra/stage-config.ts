import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Everything that differs between a throwaway stage and the one holding real
 * members' points. Constructs take this instead of reading context themselves,
 * so a test can build any stage without an App context.
 */
export interface StageConfig {
  readonly stage: string;
  /** Real members' balances live here: keep data, protect the table, allow more traffic. */
  readonly isProd: boolean;
  /** Applied to the table and log groups. */
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: RetentionDays;
  /** Steady-state requests per second and burst, for the whole API's default stage. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** ISO 4217; handed to the handlers as LOYALTY_CURRENCY. */
  readonly currency: string;
  /** Requests' cost per day (USD, list prices) above which the cost alarm fires. */
  readonly dailyCostBudgetUsd: number;
  /** The staff sign-in's Cognito domain prefix (context `staffDomainPrefix`); unset: loyalty-<stage>-<from the stack id>. */
  readonly staffDomainPrefix?: string;
}

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;

export function stageConfig(stage: string, overrides: Partial<Omit<StageConfig, 'stage' | 'isProd'>> = {}): StageConfig {
  // The stage ends up in the stack name and resource names: keep it boring.
  if (!STAGE_NAME.test(stage)) {
    throw new Error(`stage must match ${STAGE_NAME} (got ${JSON.stringify(stage)})`);
  }
  const isProd = stage === 'prod';
  return {
    stage,
    isProd,
    removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: isProd ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
    // Well under the account's 10k rps default so one noisy store can't starve
    // other APIs in the account; prod sized for checkout bursts of a mid-size shop.
    throttle: isProd ? { rateLimit: 200, burstLimit: 400 } : { rateLimit: 25, burstLimit: 50 },
    currency: 'USD',
    dailyCostBudgetUsd: isProd ? 10 : 1,
    ...overrides,
  };
}
