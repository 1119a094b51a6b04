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
  /** Notifier: where messages go out (see shared/notify). */
  readonly notify?: NotifyConfig;
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
    notify: {
      emailFrom: env.LOYALTY_EMAIL_FROM || undefined,
      smsUrl: env.LOYALTY_SMS_URL || undefined,
      smsApiKeySecretArn: env.LOYALTY_SMS_API_KEY_SECRET_ARN || undefined,
      smsApiKey: env.LOYALTY_SMS_API_KEY || undefined,
      smsSender: env.LOYALTY_SMS_SENDER || undefined,
    },
    counterShards: positiveInt(env.LOYALTY_COUNTER_SHARDS, 8, 256),
    // Unset: the program currency's default (shared/domain/currency.ts), decided where the program is known.
    pointValue: /^\d{1,12}(\.\d{1,8})?$/.test(env.LOYALTY_POINT_VALUE ?? '') ? env.LOYALTY_POINT_VALUE! : undefined,
    costsFile: env.LOYALTY_COSTS_FILE || undefined,
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

/** A staff role: viewer reads; operator also adjusts, redeems and replays; admin also edits the program and runs jobs. */
export type StaffRole = 'viewer' | 'operator' | 'admin';

/**
 * Who may call what, besides the API token: members' portal links and named
 * staff. Read on every call (cheap) so tests and the local club can change it.
 */
export interface AccessConfig {
  /** HMAC key for portal links: local runs and tests. */
  readonly portalSecret?: string;
  /** Secrets Manager secret holding it: AWS. */
  readonly portalSecretArn?: string;
  /** How long a portal link lasts. @default 1800 (30 minutes) */
  readonly portalTtlSeconds: number;
  /** Where the member page is served (CloudFront on AWS); locally the API's own origin. */
  readonly portalUrl?: string;
  /** Named staff tokens: `name:role:token` entries separated by commas (STAFF_TOKENS). */
  readonly staffTokens: readonly { readonly name: string; readonly role: StaffRole; readonly token: string }[];
  /** Cognito user pool whose ID tokens the console sends on AWS (groups = roles). */
  readonly cognitoUserPoolId?: string;
  readonly cognitoClientId?: string;
}

const ROLES: readonly StaffRole[] = ['viewer', 'operator', 'admin'];

export function readAccessConfig(env: NodeJS.ProcessEnv = process.env): AccessConfig {
  const ttlMinutes = Number(env.LOYALTY_PORTAL_TTL_MINUTES ?? '30');
  const staffTokens = (env.STAFF_TOKENS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const [name, role, ...rest] = entry.split(':');
      const token = rest.join(':');
      if (!name || !token || !ROLES.includes(role as StaffRole)) {
        // An entry without a colon may be a token pasted alone: never repeat it into a log.
        const which = entry.includes(':') ? `entry ${i + 1} ("${name}")` : `entry ${i + 1}`;
        throw new Error(`STAFF_TOKENS: ${which} must be name:role:token with role viewer, operator or admin`);
      }
      return { name, role: role as StaffRole, token };
    });
  return {
    portalSecret: env.LOYALTY_PORTAL_SECRET || undefined,
    portalSecretArn: env.LOYALTY_PORTAL_SECRET_ARN || undefined,
    portalTtlSeconds: Number.isFinite(ttlMinutes) && ttlMinutes > 0 ? Math.round(ttlMinutes * 60) : 1800,
    portalUrl: env.LOYALTY_PORTAL_URL || undefined,
    staffTokens,
    cognitoUserPoolId: env.COGNITO_USER_POOL_ID || undefined,
    cognitoClientId: env.COGNITO_CLIENT_ID || undefined,
  };
}
