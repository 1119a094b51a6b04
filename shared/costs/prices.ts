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
  readonly sources: readonly string[];
}

export const PRICES: PriceTable = {
  asOf: '2026-11-23',
  region: 'us-east-1',
  currency: 'USD',
  dynamodbPerMillionRru: 0.125,
  dynamodbPerMillionWru: 0.625,
  lambdaPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  httpApiPerMillion: 1.0,
  sqsPerMillion: 0.4,
  schedulerPerMillion: 1.0,
  eventBridgePerMillionEvents: 1.0,
  sources: [
    'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    'https://aws.amazon.com/lambda/pricing/',
    'https://aws.amazon.com/api-gateway/pricing/',
    'https://aws.amazon.com/sqs/pricing/',
    'https://aws.amazon.com/eventbridge/pricing/',
  ],
};
