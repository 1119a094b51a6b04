/**
 * Every environment variable the club reads, in one zod schema: the CDK stack sets
 * them on AWS, the local runtime (local/club.ts) before it calls a handler. Nothing
 * else reads process.env (test/unit/config.test.ts checks). The environment is
 * parsed once and reused while it stays the same: on Lambda that is once per
 * container; locally a restarted club, or a test that sets a secret, gets a fresh parse.
 */
import * as z from 'zod';

/** A staff role: viewer reads; operator also adjusts, redeems and replays; admin also edits the program and runs jobs. */
export type StaffRole = 'viewer' | 'operator' | 'admin';
const ROLES: readonly StaffRole[] = ['viewer', 'operator', 'admin'];

/** The shops whose webhooks the club takes, and the generic signed endpoint. */
export type WebhookSource = 'shopify' | 'woocommerce' | 'generic';

/** Unset and empty mean the same: not configured. */
const text = z
  .string()
  .optional()
  .transform((v) => v || undefined);

/** A whole number in range, or the default (a typo falls back rather than stopping the club). */
const intOr = (fallback: number, min: number, max: number) =>
  z
    .preprocess((v) => (v === undefined || v === '' ? undefined : Number(v)), z.number().int().min(min).max(max).optional())
    .catch(undefined)
    .transform((v) => v ?? fallback);

const staffTokens = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries = (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const tokens: { name: string; role: StaffRole; token: string }[] = [];
    for (const [i, entry] of entries.entries()) {
      const [name, role, ...rest] = entry.split(':');
      const token = rest.join(':');
      if (!name || !token || !ROLES.includes(role as StaffRole)) {
        // An entry without a colon may be a token pasted alone: never repeat it into a log.
        const which = entry.includes(':') ? `entry ${i + 1} ("${name}")` : `entry ${i + 1}`;
        ctx.addIssue({ code: 'custom', message: `${which} must be name:role:token with role viewer, operator or admin` });
        return z.NEVER;
      }
      tokens.push({ name, role: role as StaffRole, token });
    }
    return tokens;
  });

/**
 * The shop's own origins that may frame the member page (CSP frame-ancestors):
 * https://shop.example or https://*.example.com, separated by spaces or commas.
 * A typo stops the start rather than quietly allowing nothing (or anything).
 */
const frameAncestors = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const origins = (value ?? '').split(/[\s,]+/).filter(Boolean);
    for (const origin of origins) {
      if (!/^https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/i.test(origin)) {
        ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://shop.example` });
        return z.NEVER;
      }
    }
    return origins;
  });

const ClubEnv = z.object({
  // --- the club (every function) ---
  TABLE_NAME: text,
  LOYALTY_CURRENCY: text,
  DYNAMODB_ENDPOINT: text,
  LOYALTY_API_TOKEN: text,
  LOYALTY_API_TOKEN_SECRET_ARN: text,
  LOYALTY_STAGE: z
    .string()
    .optional()
    .transform((v) => v ?? 'local'),
  LOYALTY_EVENT_BUS: text,
  LOYALTY_COUNTER_SHARDS: intOr(8, 1, 256),
  // Unset (or not a decimal): the program currency's default (shared/domain/currency.ts), decided where the program is known.
  LOYALTY_POINT_VALUE: z
    .string()
    .regex(/^\d{1,12}(\.\d{1,8})?$/)
    .optional()
    .catch(undefined),
  LOYALTY_COSTS_FILE: text,
  LOYALTY_DASHBOARD: z.enum(['true', 'false']).optional(),
  LOYALTY_ERROR_ALARMS: z.enum(['function', 'account']).optional(),
  // --- the notifier ---
  LOYALTY_EMAIL_FROM: text,
  LOYALTY_SMS_URL: text,
  LOYALTY_SMS_API_KEY_SECRET_ARN: text,
  LOYALTY_SMS_API_KEY: text,
  LOYALTY_SMS_SENDER: text,
  // --- webhooks ---
  WEBHOOK_QUEUE_URL: text,
  SQS_ENDPOINT: text,
  WEBHOOK_MAX_RECEIVES: intOr(5, 1, Number.MAX_SAFE_INTEGER),
  WEBHOOK_SECRETS_ARN: text,
  SHOPIFY_WEBHOOK_SECRET: text,
  SHOPIFY_WEBHOOK_SECRET_PREVIOUS: text,
  WOOCOMMERCE_WEBHOOK_SECRET: text,
  WOOCOMMERCE_WEBHOOK_SECRET_PREVIOUS: text,
  LOYALTY_WEBHOOK_SECRET: text,
  LOYALTY_WEBHOOK_SECRET_PREVIOUS: text,
  // --- the shops' checkouts: rewards pushed as discounts (unset: that shop is not connected) ---
  SHOPIFY_SHOP: text,
  SHOPIFY_ADMIN_TOKEN: text,
  SHOPIFY_ADMIN_API_URL: text,
  WOOCOMMERCE_URL: text,
  WOOCOMMERCE_CONSUMER_KEY: text,
  WOOCOMMERCE_CONSUMER_SECRET: text,
  SHOP_SECRETS_ARN: text,
  SHOP_SYNC_MAX_RECEIVES: intOr(5, 1, Number.MAX_SAFE_INTEGER),
  // --- who may call ---
  LOYALTY_PORTAL_SECRET: text,
  LOYALTY_PORTAL_SECRET_ARN: text,
  LOYALTY_PORTAL_TTL_MINUTES: z
    .preprocess((v) => (v === undefined || v === '' ? undefined : Number(v)), z.number().positive().finite().optional())
    .catch(undefined)
    .transform((m) => (m === undefined ? 1800 : Math.round(m * 60))),
  LOYALTY_PORTAL_URL: text,
  // --- the member page's code sign-in: what SMS codes may cost (docs/pages.md) ---
  LOYALTY_SIGN_IN_PER_COUNTRY: intOr(200, 1, 1_000_000),
  LOYALTY_SIGN_IN_DAILY_SMS_CAP: intOr(1000, 1, 10_000_000),
  PORTAL_FRAME_ANCESTORS: frameAncestors,
  // --- the Shopify app proxy (/shopify/proxy) ---
  SHOPIFY_APP_SECRET: text,
  SHOPIFY_APP_SECRET_ARN: text,
  STAFF_TOKENS: staffTokens,
  COGNITO_USER_POOL_ID: text,
  COGNITO_CLIENT_ID: text,
  // --- where it runs: Lambda sets these, the local club sets the region and its store's key ---
  AWS_LAMBDA_FUNCTION_NAME: text,
  /** Set by Lambda per invocation: "Root=…;Parent=…;Sampled=1" when X-Ray records this one. */
  _X_AMZN_TRACE_ID: text,
  AWS_REGION: text,
  AWS_ACCESS_KEY_ID: text,
  AWS_SECRET_ACCESS_KEY: text,
  // --- `npm start` only ---
  PORT: text,
  HOST: text,
  LOYALTY_DATA_DIR: text,
  LOYALTY_SCHEDULES: text,
  JAVA_HOME: text,
});
type ClubEnv = z.output<typeof ClubEnv>;
const VARIABLES = Object.keys(ClubEnv.shape) as (keyof typeof ClubEnv.shape)[];

type Env = Readonly<Record<string, string | undefined>>;

function parse(env: Env): ClubEnv {
  const picked: Record<string, string | undefined> = {};
  for (const name of VARIABLES) picked[name] = env[name];
  const parsed = ClubEnv.safeParse(picked);
  if (parsed.success) return parsed.data;
  // Named by the variable, so a deploy that refuses to start says which one to fix.
  throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
}

let cached: { fingerprint: string; env: ClubEnv } | undefined;

/** The parsed environment: process.env's parsed once while it stays the same, or the one given (tests). */
function clubEnv(env?: Env): ClubEnv {
  if (env) return parse(env);
  const fingerprint = VARIABLES.map((name) => process.env[name] ?? '\u0000').join('\u0001');
  if (cached?.fingerprint !== fingerprint) cached = { fingerprint, env: parse(process.env) };
  return cached.env;
}

/** The environment a handler runs in. */
export interface ClubConfig {
  readonly tableName: string;
  /** ISO 4217 code of the program's currency. */
  readonly currency: string;
  /** Set locally (DynamoDB Local); unset on AWS. */
  readonly dynamodbEndpoint?: string;
  /** Locally, the region and key DynamoDB Local keys its database by (local/club.ts sets the data dir's own). */
  readonly dynamodbLocal?: { readonly region: string; readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Plain token: local runs and tests. */
  readonly apiToken?: string;
  /** Secrets Manager secret holding the token: AWS. */
  readonly apiTokenSecretArn?: string;
  readonly stage: string;
  /** EventBridge bus for domain events (AWS); unset locally, where events go to the data dir. */
  readonly eventBusName?: string;
  /** Notifier: where messages go out (see shared/notify). */
  readonly notify: NotifyConfig;
  /** Report counter shards per day (docs/reports.md); raise it for very busy clubs, never lower it. */
  readonly counterShards: number;
  /** What one point is worth in the program currency (decimal string): the liability's money value. */
  readonly pointValue: string | undefined;
  /** Local runs: the file each request's cost is appended to (docs/costs.md); unset on AWS (EMF to CloudWatch). */
  readonly costsFile?: string;
  /** The stack dashboard is deployed (LOYALTY_DASHBOARD, set by the stack on the costs report's function); unset: the stage's default. */
  readonly dashboard?: boolean;
  /** How the stack alarms the functions' errors (LOYALTY_ERROR_ALARMS, set by the stack on the costs report's function); unset: one per function. */
  readonly errorAlarms?: 'function' | 'account';
  /** Set by Lambda: the function runs there (logs and costs go to CloudWatch). */
  readonly lambdaFunctionName?: string;
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

/**
 * The process's parsed environment: the same object while its variables stay the same, so a
 * cache of what is built from the settings (the wiring) checks it first, not every setting.
 */
export function environmentVersion(): object {
  return clubEnv();
}

/** The club's settings; TABLE_NAME is the one a handler can't do without. */
export function readConfig(env?: Env): ClubConfig {
  const e = clubEnv(env);
  if (!e.TABLE_NAME) throw new Error('TABLE_NAME is not set');
  return {
    tableName: e.TABLE_NAME,
    currency: (e.LOYALTY_CURRENCY ?? 'USD').toUpperCase(),
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    dynamodbLocal: e.DYNAMODB_ENDPOINT
      ? {
          region: e.AWS_REGION ?? 'us-east-1',
          accessKeyId: e.AWS_ACCESS_KEY_ID ?? 'local',
          secretAccessKey: e.AWS_SECRET_ACCESS_KEY ?? 'local',
        }
      : undefined,
    apiToken: e.LOYALTY_API_TOKEN,
    apiTokenSecretArn: e.LOYALTY_API_TOKEN_SECRET_ARN,
    stage: e.LOYALTY_STAGE,
    eventBusName: e.LOYALTY_EVENT_BUS,
    notify: {
      emailFrom: e.LOYALTY_EMAIL_FROM,
      smsUrl: e.LOYALTY_SMS_URL,
      smsApiKeySecretArn: e.LOYALTY_SMS_API_KEY_SECRET_ARN,
      smsApiKey: e.LOYALTY_SMS_API_KEY,
      smsSender: e.LOYALTY_SMS_SENDER,
    },
    counterShards: e.LOYALTY_COUNTER_SHARDS,
    pointValue: e.LOYALTY_POINT_VALUE,
    costsFile: e.LOYALTY_COSTS_FILE,
    dashboard: e.LOYALTY_DASHBOARD === undefined ? undefined : e.LOYALTY_DASHBOARD === 'true',
    errorAlarms: e.LOYALTY_ERROR_ALARMS,
    lambdaFunctionName: e.AWS_LAMBDA_FUNCTION_NAME,
  };
}

/** Where an invocation runs, without needing the table: what cost records and start-up checks ask. */
export function readRunConfig(env?: Env): { readonly onLambda: boolean; readonly costsFile?: string; readonly traced: boolean } {
  const e = clubEnv(env);
  return {
    onLambda: Boolean(e.AWS_LAMBDA_FUNCTION_NAME),
    costsFile: e.LOYALTY_COSTS_FILE,
    // X-Ray bills each recorded trace; Lambda marks the invocations it records Sampled=1.
    traced: /(?:^|;)Sampled=1(?:;|$)/.test(e._X_AMZN_TRACE_ID ?? ''),
  };
}

/** Webhook settings: the queue, how often a delivery is tried, and the shops' secrets. */
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

export function readWebhookConfig(env?: Env): WebhookConfig {
  const e = clubEnv(env);
  const both = (current: string | undefined, previous: string | undefined) => [current, previous].filter((s): s is string => !!s);
  return {
    queueUrl: e.WEBHOOK_QUEUE_URL,
    sqsEndpoint: e.SQS_ENDPOINT,
    maxReceives: e.WEBHOOK_MAX_RECEIVES,
    secrets: {
      shopify: both(e.SHOPIFY_WEBHOOK_SECRET, e.SHOPIFY_WEBHOOK_SECRET_PREVIOUS),
      woocommerce: both(e.WOOCOMMERCE_WEBHOOK_SECRET, e.WOOCOMMERCE_WEBHOOK_SECRET_PREVIOUS),
      generic: both(e.LOYALTY_WEBHOOK_SECRET, e.LOYALTY_WEBHOOK_SECRET_PREVIOUS),
    },
    secretsArn: e.WEBHOOK_SECRETS_ARN,
  };
}

/**
 * The shops a redeemed reward is pushed to as a discount. A shop is connected when
 * its address is set and its credentials are (plainly, or in SHOP_SECRETS_ARN on AWS).
 */
export interface ShopConfig {
  readonly shopify?: {
    readonly shop: string;
    /** The full Admin GraphQL endpoint, when not the shop's own (a proxy, the tests' fake). */
    readonly adminApiUrl?: string;
    readonly adminToken?: string;
  };
  readonly woocommerce?: { readonly url: string; readonly consumerKey?: string; readonly consumerSecret?: string };
  /** Secrets Manager secret (JSON {shopifyAdminToken, woocommerceConsumerKey, woocommerceConsumerSecret}; the app proxy's secret is its own, SHOPIFY_APP_SECRET_ARN): AWS. */
  readonly secretsArn?: string;
  /** Receives after which a push that still fails stays failed for staff (the queue's maxReceiveCount). */
  readonly maxReceives: number;
}

export function readShopConfig(env?: Env): ShopConfig {
  const e = clubEnv(env);
  const viaSecret = Boolean(e.SHOP_SECRETS_ARN);
  return {
    shopify:
      e.SHOPIFY_SHOP && (e.SHOPIFY_ADMIN_TOKEN || viaSecret)
        ? { shop: e.SHOPIFY_SHOP, adminApiUrl: e.SHOPIFY_ADMIN_API_URL, adminToken: e.SHOPIFY_ADMIN_TOKEN }
        : undefined,
    woocommerce:
      e.WOOCOMMERCE_URL && ((e.WOOCOMMERCE_CONSUMER_KEY && e.WOOCOMMERCE_CONSUMER_SECRET) || viaSecret)
        ? { url: e.WOOCOMMERCE_URL, consumerKey: e.WOOCOMMERCE_CONSUMER_KEY, consumerSecret: e.WOOCOMMERCE_CONSUMER_SECRET }
        : undefined,
    secretsArn: e.SHOP_SECRETS_ARN,
    maxReceives: e.SHOP_SYNC_MAX_RECEIVES,
  };
}

/** Who may call what, besides the API token: members' portal links and named staff. */
export interface AccessConfig {
  /** HMAC key for portal links: local runs and tests. */
  readonly portalSecret?: string;
  /** Secrets Manager secret holding it: AWS. */
  readonly portalSecretArn?: string;
  /** How long a portal link lasts. @default 1800 (30 minutes) */
  readonly portalTtlSeconds: number;
  /** Where the member page is served (CloudFront on AWS); locally the API's own origin. */
  readonly portalUrl?: string;
  /** The shop's origins that may frame the member page; none: nobody may (frame-ancestors 'none'). */
  readonly frameAncestors: readonly string[];
  /** The Shopify app's shared secret, which signs app proxy requests: local runs and tests. */
  readonly shopifyAppSecret?: string;
  /** Secrets Manager secret holding it: AWS. */
  readonly shopifyAppSecretArn?: string;
  /** Named staff tokens: `name:role:token` entries separated by commas (STAFF_TOKENS). */
  readonly staffTokens: readonly { readonly name: string; readonly role: StaffRole; readonly token: string }[];
  /** Cognito user pool whose ID tokens the console sends on AWS (groups = roles). */
  readonly cognitoUserPoolId?: string;
  readonly cognitoClientId?: string;
}

/** Throws, naming STAFF_TOKENS and the entry (never the token), when an entry is malformed. */
export function readAccessConfig(env?: Env): AccessConfig {
  const e = clubEnv(env);
  return {
    portalSecret: e.LOYALTY_PORTAL_SECRET,
    portalSecretArn: e.LOYALTY_PORTAL_SECRET_ARN,
    portalTtlSeconds: e.LOYALTY_PORTAL_TTL_MINUTES,
    portalUrl: e.LOYALTY_PORTAL_URL,
    frameAncestors: e.PORTAL_FRAME_ANCESTORS,
    shopifyAppSecret: e.SHOPIFY_APP_SECRET,
    shopifyAppSecretArn: e.SHOPIFY_APP_SECRET_ARN,
    staffTokens: e.STAFF_TOKENS,
    cognitoUserPoolId: e.COGNITO_USER_POOL_ID,
    cognitoClientId: e.COGNITO_CLIENT_ID,
  };
}

/** What the member page's SMS sign-in codes may cost: a flood from one country, and a day's bill. */
export interface SignInConfig {
  /** SMS sign-ins to one country calling code in a 15-minute window (LOYALTY_SIGN_IN_PER_COUNTRY). @default 200 */
  readonly perCountry: number;
  /** SMS codes sent in a UTC day; past it sign-ins still answer 202 but send nothing (LOYALTY_SIGN_IN_DAILY_SMS_CAP). @default 1000 */
  readonly dailySmsCap: number;
}

export function readSignInConfig(env?: Env): SignInConfig {
  const e = clubEnv(env);
  return { perCountry: e.LOYALTY_SIGN_IN_PER_COUNTRY, dailySmsCap: e.LOYALTY_SIGN_IN_DAILY_SMS_CAP };
}

/** `npm start`'s own settings (local/main.ts): where it listens and keeps its data, whether its schedule runs. */
export interface LocalConfig {
  /** As typed: local/main.ts says what is wrong with a bad one. */
  readonly port?: string;
  readonly host?: string;
  readonly dataDir?: string;
  readonly apiToken?: string;
  readonly currency?: string;
  /** Set in the shell before start (local/club.ts keeps it over a fresh one). */
  readonly portalSecret?: string;
  readonly schedules: boolean;
  readonly javaHome?: string;
}

export function readLocalConfig(env?: Env): LocalConfig {
  const e = clubEnv(env);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.LOYALTY_DATA_DIR,
    apiToken: e.LOYALTY_API_TOKEN,
    currency: e.LOYALTY_CURRENCY,
    portalSecret: e.LOYALTY_PORTAL_SECRET,
    schedules: e.LOYALTY_SCHEDULES !== 'off',
    javaHome: e.JAVA_HOME,
  };
}
