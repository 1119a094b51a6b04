/**
 * The environment a handler runs in. Lambda gets these from the CDK stack; the
 * local runtime sets them before it loads the handlers. Nothing else reads process.env.
 */
export interface ClubConfig {
  readonly tableName: string;
  /** ISO 4217 code of the program's currency. */
  readonly currency: string;
  /** Set locally (DynamoDB Local); unset on AWS. */
  readonly dynamodbEndpoint?: string;
  /** Plain token: local runs and tests. */
  readonly apiToken?: string;
  /** Secrets Manager secret holding the token: AWS. */
  readonly apiTokenSecretArn?: string;
  readonly stage: string;
  /** Report counter shards per day (docs/reports.md); raise it for very busy clubs, never lower it. */
  readonly counterShards?: number;
  /** What one point is worth in the program currency (decimal string): the liability's money value. */
  readonly pointValue?: string;
  /** Local runs: the file each request's cost is appended to (docs/costs.md); unset on AWS (EMF to CloudWatch). */
  readonly costsFile?: string;
}

function positiveInt(text: string | undefined, fallback: number, max: number): number {
  const n = Number(text);
  return text && Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ClubConfig {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  return {
    tableName,
    currency: (env.LOYALTY_CURRENCY ?? 'USD').toUpperCase(),
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    apiToken: env.LOYALTY_API_TOKEN || undefined,
    apiTokenSecretArn: env.LOYALTY_API_TOKEN_SECRET_ARN || undefined,
    stage: env.LOYALTY_STAGE ?? 'local',
    counterShards: positiveInt(env.LOYALTY_COUNTER_SHARDS, 8, 256),
    pointValue: /^\d{1,12}(\.\d{1,8})?$/.test(env.LOYALTY_POINT_VALUE ?? '') ? env.LOYALTY_POINT_VALUE! : '0.01',
    costsFile: env.LOYALTY_COSTS_FILE || undefined,
  };
}
