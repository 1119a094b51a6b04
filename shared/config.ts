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
  /** EventBridge bus for domain events (AWS); unset locally, where events go to the data dir. */
  readonly eventBusName?: string;
  /** IANA time zone of the program's schedules and quiet hours. */
  readonly timeZone?: string;
  /** Notifier: where messages go out (see shared/notify). */
  readonly notify?: NotifyConfig;
}

export interface NotifyConfig {
  /** SES identity messages are sent from; email is off when unset. */
  readonly emailFrom?: string;
  /** SMS panel endpoint, e.g. https://api.kavenegar.com/v1/{apiKey}/sms/send.json; SMS is off when unset. */
  readonly smsUrl?: string;
  /** Secrets Manager secret with the panel's API key (AWS), or the key itself (local). */
  readonly smsApiKeySecretArn?: string;
  readonly smsApiKey?: string;
  /** Sender line / number the panel sends from. */
  readonly smsSender?: string;
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
    eventBusName: env.LOYALTY_EVENT_BUS || undefined,
    timeZone: env.LOYALTY_TIME_ZONE || 'UTC',
    notify: {
      emailFrom: env.LOYALTY_EMAIL_FROM || undefined,
      smsUrl: env.LOYALTY_SMS_URL || undefined,
      smsApiKeySecretArn: env.LOYALTY_SMS_API_KEY_SECRET_ARN || undefined,
      smsApiKey: env.LOYALTY_SMS_API_KEY || undefined,
      smsSender: env.LOYALTY_SMS_SENDER || undefined,
    },
  };
}

/** The shops whose webhooks the club takes, and the generic signed endpoint. */
export type WebhookSource = 'shopify' | 'woocommerce' | 'generic';

export const WEBHOOK_SECRET_ENV: Record<WebhookSource, string> = {
  shopify: 'SHOPIFY_WEBHOOK_SECRET',
  woocommerce: 'WOOCOMMERCE_WEBHOOK_SECRET',
  generic: 'LOYALTY_WEBHOOK_SECRET',
};

/**
 * Webhook settings, read on every call rather than once per cold start: the
 * local runtime moves the queue between restarts and tests set secrets per case.
 */
export interface WebhookConfig {
  /** The SQS queue deliveries go to. */
  readonly queueUrl?: string;
  /** Set locally (the fauxqs server); unset on AWS. */
  readonly sqsEndpoint?: string;
  /** Receives after which a delivery that still fails is parked with its reason (the queue's maxReceiveCount). */
  readonly maxReceives: number;
  /** Plain secrets per source: local runs and tests. Current first, then the one being rotated out. */
  readonly secrets: Record<WebhookSource, readonly string[]>;
  /** Secrets Manager secret (JSON {shopify, shopifyPrevious, woocommerce, ...}): AWS. */
  readonly secretsArn?: string;
}

export function readWebhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const secrets = {} as Record<WebhookSource, readonly string[]>;
  for (const [source, name] of Object.entries(WEBHOOK_SECRET_ENV) as [WebhookSource, string][]) {
    secrets[source] = [env[name], env[`${name}_PREVIOUS`]].filter((s): s is string => !!s);
  }
  const maxReceives = Number(env.WEBHOOK_MAX_RECEIVES ?? '5');
  return {
    queueUrl: env.WEBHOOK_QUEUE_URL || undefined,
    sqsEndpoint: env.SQS_ENDPOINT || undefined,
    maxReceives: Number.isInteger(maxReceives) && maxReceives > 0 ? maxReceives : 5,
    secrets,
    secretsArn: env.WEBHOOK_SECRETS_ARN || undefined,
  };
}
