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
  };
}
