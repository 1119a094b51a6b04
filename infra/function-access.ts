import type { FunctionName } from '../functions/routes';
import type { UNROUTED_FUNCTIONS } from '../shared/costs/monthly-floor';
import type { TableAccess } from './constructs/club-table';

/**
 * Every Lambda function of the club: the route functions and those nothing routes to,
 * named in shared/costs/monthly-floor.ts, which counts each one's alarm in the fixed monthly floor.
 */
export type ClubFunctionName = FunctionName | (typeof UNROUTED_FUNCTIONS)[number];

/**
 * What one function's code needs from AWS. Each need is one environment
 * variable (or a few) AND the grant that goes with it, applied together by
 * LoyaltyStack.wireFunctions, so a function can't get a variable without the
 * permission or the permission without the variable. test/infra/lambda-access.suite.ts
 * runs every handler with exactly what the template gives it.
 */
export interface FunctionAccess {
  /** What it does to the table (TABLE_NAME is always set; this decides the grant). */
  readonly table: TableAccess;
  /**
   * Publishes on the club's bus: LOYALTY_EVENT_BUS and events:PutEvents. Only the
   * stream processor (every committed change's events, read off the table's
   * stream) and the jobs (what no item tells: reminders, offers, greetings, and a
   * long run's continuation); those also write into the parked-events partition
   * for when the bus refuses (shared/events/parking-publisher.ts). Without it the
   * handler falls back to the process's local sink, which on Lambda drops the events.
   */
  readonly publishesEvents?: boolean;
  /**
   * Edits members' profiles without a table-wide delete (with `readUpdate`): DeleteItem in the
   * identity claims' and name index's partitions only, for the claims a contact change gives up
   * and the old name's index items a rename drops.
   */
  readonly editsProfiles?: boolean;
  /**
   * Adds the report counters from the table's stream (shared/store/report-store.ts):
   * PutItem and UpdateItem on the counter items' and the counted records' partitions
   * only (dynamodb:LeadingKeys), for the one function that counts.
   */
  readonly countsReports?: boolean;
  /** Checks the API bearer token (LOYALTY_API_TOKEN_SECRET_ARN + read) and staff's Cognito ID tokens (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID). */
  readonly bearerAuth?: boolean;
  /** Members' portal links: 'check' reads the portal secret; 'mint' also knows the page's URL (LOYALTY_PORTAL_URL). */
  readonly portalLinks?: 'check' | 'mint';
  /** The Shopify app proxy (/shopify/proxy): SHOPIFY_APP_SECRET_ARN (+ read), the secret its requests are signed with. */
  readonly appProxy?: boolean;
  /** POST /v1/webhooks/*: WEBHOOK_SECRETS_ARN (+ read) and WEBHOOK_QUEUE_URL (+ sqs:SendMessage only). */
  readonly receivesWebhooks?: boolean;
  /** The queue's consumer: WEBHOOK_MAX_RECEIVES (the event source mapping grants receive/delete). */
  readonly consumesWebhooks?: boolean;
  /**
   * Pushes reward codes to the shops (the shop-sync consumer, and staff's retry route):
   * SHOP_SECRETS_ARN (+ read), the shops' addresses (SHOPIFY_SHOP, SHOPIFY_ADMIN_API_URL,
   * WOOCOMMERCE_URL, from the deploy's context), SHOP_SYNC_MAX_RECEIVES.
   */
  readonly pushesToShops?: boolean;
  /** Sends SMS and email: the SMS key secret (+ read), the SES identity (+ ses:SendEmail on it only). */
  readonly sendsMessages?: boolean;
  /**
   * GET /v1/reports/costs on AWS (docs/costs.md): reads the cost metrics back
   * (cloudwatch:ListMetrics, cloudwatch:GetMetricData) and the bill
   * (ce:GetCostAndUsage), and keeps the bill for the day in the table's `BILLED`
   * partition (dynamodb:PutItem on that partition only). LOYALTY_DASHBOARD says
   * whether the stack dashboard is deployed (its fixed monthly floor counts it only
   * then), LOYALTY_ERROR_ALARMS how the functions' errors are alarmed (the floor's alarm metrics); the absence of LOYALTY_COSTS_FILE is what says "on AWS".
   */
  readonly readsCosts?: boolean;
  /** Sends members' one-time codes (sign-in, a new email or phone): the stage's SMS guards, LOYALTY_SIGN_IN_PER_COUNTRY and LOYALTY_SIGN_IN_DAILY_SMS_CAP. */
  readonly sendsCodes?: boolean;
}

/**
 * Each function's needs, declared once. A Record so a new function fails the
 * typecheck here until someone decides what it may do, instead of silently
 * inheriting read-write.
 */
export const FUNCTION_ACCESS: Record<ClubFunctionName, FunctionAccess> = {
  health: { table: 'none' },
  members: { table: 'readWrite', bearerAuth: true, portalLinks: 'mint' },
  earn: { table: 'readWrite', bearerAuth: true },
  refunds: { table: 'readWrite', bearerAuth: true },
  redeem: { table: 'readWrite', bearerAuth: true },
  'admin-program': { table: 'readWrite', bearerAuth: true },
  'admin-jobs': { table: 'readWrite', publishesEvents: true, bearerAuth: true },
  // Preferences only: no balance changes, so no events.
  // Staff's and the member's own consent, and the messages' opt-out links (checked with the portal secret).
  notifications: { table: 'readWrite', bearerAuth: true, portalLinks: 'check' },
  rewards: { table: 'readWrite', bearerAuth: true },
  // Only puts deliveries on the queue; the consumer does the domain work.
  webhooks: { table: 'none', receivesWebhooks: true },
  // A replay applies the delivery as the consumer would: its events come off the stream too.
  deliveries: { table: 'readWrite', bearerAuth: true },
  // Staff's retry pushes as the shop-sync consumer does; publishes nothing.
  'admin-shop-sync': { table: 'readWrite', bearerAuth: true, pushesToShops: true },
  'admin-members': { table: 'read', bearerAuth: true },
  // The member page: reads, redeems through the same balance change as the API, and edits the member's
  // own profile (a rename deletes the old name's index items, a contact change the claim it gives up: deletes
  // in those partitions only, never elsewhere, never in bulk); its code sign-in sends the code by SMS or
  // email and keeps codes and rate windows. The Shopify app proxy's page enrols a customer on the first
  // visit and mints their token, loading /club's script (the page's URL).
  me: { table: 'readUpdate', editsProfiles: true, portalLinks: 'mint', sendsMessages: true, sendsCodes: true, appProxy: true },
  reports: { table: 'read', bearerAuth: true, readsCosts: true },
  // Its orders' points.earned, points.reversed and tier.changed come off the table's stream.
  'webhook-consumer': { table: 'readWrite', consumesWebhooks: true },
  // Reminders, lapses, welcomes, birthdays (no item tells them); continuations of long runs.
  jobs: { table: 'readWrite', publishesEvents: true },
  // The outbox: every committed change's report counters and events, read off the table's stream (the mapping
  // grants the stream read); it writes the counter items and the counted records' markers, nothing else.
  'stream-processor': { table: 'none', countsReports: true, publishesEvents: true },
  // Reads codes and members, writes each push's record; publishes nothing.
  'shop-sync': { table: 'readWrite', pushesToShops: true },
  // Records what it sent (deferred messages, sent marks); publishes nothing.
  notifier: { table: 'readWrite', sendsMessages: true, portalLinks: 'mint' },
};
