/**
 * AWS list prices the cost report multiplies by (USD, us-east-1, on-demand,
 * no free tier). Dated: check them against https://aws.amazon.com/pricing
 * before quoting a figure, and update `asOf` with them.
 */
export interface PriceTable {
  /** When these prices were last checked (yyyy-mm-dd). */
  readonly asOf: string;
  readonly region: string;
  readonly currency: 'USD';
  /** DynamoDB on-demand, per million read / write request units (after the Nov 2024 price cut). */
  readonly dynamodbPerMillionRru: number;
  readonly dynamodbPerMillionWru: number;
  /** DynamoDB Standard table class storage, per GB-month (the first 25 GB free: not counted here). */
  readonly dynamodbPerGbMonth: number;
  /** Lambda on arm64 (the stack's architecture), per GB-second, and per million requests. */
  readonly lambdaPerGbSecond: number;
  readonly lambdaPerMillionRequests: number;
  /** API Gateway HTTP API, per million requests (first 300 M a month). */
  readonly httpApiPerMillion: number;
  /** SQS standard queue, per million requests (64 KB chunks). */
  readonly sqsPerMillion: number;
  /** EventBridge Scheduler, per million invocations. */
  readonly schedulerPerMillion: number;
  /** EventBridge custom events published (PutEvents entries, 64 KB chunks), per million; a rule's delivery to a Lambda is free. */
  readonly eventBridgePerMillionEvents: number;
  /** CloudWatch Logs ingestion (standard log class), per GB (2^30 bytes). */
  readonly cloudwatchLogsPerGbIngested: number;
  /** X-Ray, per million traces recorded. */
  readonly xrayPerMillionTraces: number;
  /** CloudWatch custom metric, per metric-month (first 10,000; prorated by the hour it receives data). */
  readonly cloudwatchPerMetricMonth: number;
  /** CloudWatch standard-resolution alarm, per alarm metric per month (a metric-math alarm: per metric in it). */
  readonly cloudwatchPerAlarmMetricMonth: number;
  /** CloudWatch dashboard, per month (an account's first 3 dashboards are free: not counted here). */
  readonly cloudwatchPerDashboardMonth: number;
  /** Secrets Manager, per secret per month. */
  readonly secretsManagerPerSecretMonth: number;
  /** Cognito user pool: no fee per pool (users past the free 10,000 monthly active are billed per user). */
  readonly cognitoPerUserPoolMonth: number;
  /** KMS customer-managed key, per key per month (AWS-managed keys: none). */
  readonly kmsPerKeyMonth: number;
  readonly sources: readonly string[];
}

export const PRICES: PriceTable = {
  asOf: '2026-12-07',
  region: 'us-east-1',
  currency: 'USD',
  dynamodbPerMillionRru: 0.125,
  dynamodbPerMillionWru: 0.625,
  dynamodbPerGbMonth: 0.25,
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  httpApiPerMillion: 1.0,
  sqsPerMillion: 0.4,
  schedulerPerMillion: 1.0,
  eventBridgePerMillionEvents: 1.0,
  cloudwatchLogsPerGbIngested: 0.5,
  xrayPerMillionTraces: 5.0,
  cloudwatchPerMetricMonth: 0.3,
  cloudwatchPerAlarmMetricMonth: 0.1,
  cloudwatchPerDashboardMonth: 3.0,
  secretsManagerPerSecretMonth: 0.4,
  cognitoPerUserPoolMonth: 0,
  kmsPerKeyMonth: 1.0,
  sources: [
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'https://aws.amazon.com/lambda/pricing/',
    'https://aws.amazon.com/api-gateway/pricing/',
    'https://aws.amazon.com/sqs/pricing/',
    'https://aws.amazon.com/eventbridge/pricing/',
    'https://aws.amazon.com/cloudwatch/pricing/',
    'https://aws.amazon.com/xray/pricing/',
    'https://aws.amazon.com/secrets-manager/pricing/',
    'https://aws.amazon.com/cognito/pricing/',
    'https://aws.amazon.com/kms/pricing/',
  ],
};
