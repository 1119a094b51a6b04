/**
 * The one place the club's dependencies are built, for every entry point: the
 * API handlers, the webhook consumer, the jobs, the notifier and the local
 * runtime (which calls those same handlers). Built once per cold start from the
 * config (shared/config.ts) on one metered DynamoDB client; locally a restarted
 * club in the same process (tests) changes the config, and the wiring follows it.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  environmentVersion,
  readAccessConfig,
  readConfig,
  readRunConfig,
  readShopConfig,
  readSignInConfig,
  type ClubConfig,
} from '../config';
import type { ClubDeps } from '../club/deps';
import type { SignInDeps } from '../club/sign-in';
import type { JobDeps } from '../club/jobs';
import type { ShopSyncDeps } from '../club/shop-sync';
import { ProgramRepository } from '../club/program';
import { chargeEvents } from '../costs/charges';
import { COST_SERVICE } from '../costs/record';
import { smsCapLine } from '../costs/request-cost';
import { automationSettings } from '../domain/automation-settings';
import { EventBridgePublisher } from '../events/eventbridge-publisher';
import { processEvents, type EventPublisher } from '../events/events';
import { JOB_CONTINUE_DETAIL_TYPE, JOB_EVENT_SOURCE } from '../events/job-events';
import { ParkingPublisher } from '../events/parking-publisher';
import { configuredSenders } from '../notify/configured-senders';
import type { NotifierDeps } from '../notify/notifier';
import type { Channel, MessageSender } from '../notify/senders';
import { issueOptOutToken, optOutUrl } from '../portal/opt-out';
import { portalSecret } from '../portal/secret';
import type { JobInvocation } from '../schemas/jobs';
import { DynamoAutomationStore } from '../store/automation-store';
import { createDocumentClient } from '../store/client';
import { DynamoClubStore } from '../store/dynamo-club-store';
import { DynamoDeliveryStore } from '../store/delivery-store';
import { DynamoEventParking } from '../store/event-parking';
import { DynamoMemberDirectory } from '../store/member-directory';
import { DynamoNameReindexStore } from '../store/name-reindex';
import { DynamoProgramStore } from '../store/program-store';
import { DynamoReferralStore } from '../store/referral-store';
import { DynamoReportStore } from '../store/report-store';
import { DynamoRewardStore } from '../store/reward-store';
import { DynamoSignInStore } from '../store/sign-in-store';
import { DynamoShopSyncStore } from '../store/shop-sync-store';
import { connectedShops } from '../shops/connected-shops';
import type { WebhookDeps } from '../webhooks/process';

export interface Wiring {
  readonly config: ClubConfig;
  /** The metered client every store shares. */
  readonly db: DynamoDBDocumentClient;
  /** The use cases' dependencies: what a route gets (plus its invocation's deadline). */
  readonly club: ClubDeps;
  /** The jobs': the club's plus the automation store and settings. */
  readonly jobs: JobDeps;
  /** The webhook consumer's and the delivery admin's. */
  readonly webhooks: WebhookDeps;
  /** The notifier's: where messages go out (SES and the SMS panel on AWS, the outbox locally). */
  readonly notifier: NotifierDeps;
  /**
   * The bus itself, without parking: the stream processor's publisher. A refusal
   * fails the stream record, which the event source mapping retries and finally
   * sends to its on-failure queue.
   */
  readonly bus: EventPublisher;
  /** The member page's code sign-in: its codes and rate windows, the senders, the portal secret. */
  readonly signIn: SignInDeps;
  /** The shop-sync consumer's and its staff routes': the connected shops and each code's push. */
  readonly shopSync: ShopSyncDeps;
  /** Hands the rest of a long job to a new invocation: the bus on AWS, the local schedule locally. */
  readonly continueJob: (next: JobInvocation) => Promise<void>;
}

/**
 * What the local runtime stands in for AWS with (the process's own, like
 * processEvents): the outbox instead of SES and the SMS panel, and its schedule
 * instead of the bus's continuation rule. Unset on AWS.
 */
export interface LocalStandIns {
  readonly senders?: Partial<Record<Channel, MessageSender>>;
  readonly continueJob?: (next: JobInvocation) => Promise<void>;
  /** The local API's own address: where messages' opt-out links point when LOYALTY_PORTAL_URL is unset. */
  readonly publicUrl?: string;
}

/**
 * A member's opt-out link for a channel, on the public address (the pages' CloudFront
 * address, which forwards /v1/*, on AWS; the local API's own locally). No address, no link.
 */
async function optOutLink(memberId: string, channel: Channel): Promise<string | undefined> {
  const access = readAccessConfig();
  const base = access.portalUrl ?? standIns.publicUrl;
  if (!base) return undefined;
  return optOutUrl(base, issueOptOutToken(await portalSecret(access), { memberId, channel }));
}

let standIns: LocalStandIns = {};
let built: { key: string; version: object; wiring: Wiring } | undefined;
let override: Wiring | undefined;

/** Plugs (or, with undefined, unplugs) one stand-in, keeping the others. */
export function setLocalStandIns(next: LocalStandIns): void {
  standIns = { ...standIns, ...next };
  built = undefined;
}

export function localStandIns(): LocalStandIns {
  return standIns;
}

/** The dependencies for the environment as it is now. */
export function wiring(): Wiring {
  if (override) return override;
  // Asked for on every call: the settings are compared only when the environment changed (on Lambda, each
  // invocation's trace id), and the wiring rebuilt only when a setting it is built from did.
  const version = environmentVersion();
  if (built?.version === version) return built.wiring;
  const config = readConfig();
  // The shops' settings are part of what the wiring is built from: a test that points them at its fakes gets them.
  const key = JSON.stringify([config, readShopConfig()]);
  built = { key, version, wiring: built?.key === key ? built.wiring : buildWiring(config) };
  return built.wiring;
}

/** Tests that swap a dependency (a clock, a failing store) set their own; undefined goes back to the built one. */
export function setWiring(next: Wiring | undefined): void {
  override = next;
}

/** A wiring with some of the club's dependencies replaced, carried into the jobs', webhooks' and notifier's. */
export function withClubDeps(base: Wiring, replaced: Partial<ClubDeps>): Wiring {
  const club = { ...base.club, ...replaced };
  return {
    ...base,
    club,
    jobs: { ...base.jobs, ...replaced },
    webhooks: { ...base.webhooks, club },
    signIn: { ...base.signIn, ...(replaced.now && { now: replaced.now }), ...(replaced.store && { store: replaced.store }) },
    notifier: { ...base.notifier, ...(replaced.now && { now: replaced.now }), ...(replaced.store && { store: replaced.store }) },
  };
}

/** The dependencies for a given config: the bench builds its own clubs' this way too. */
export function buildWiring(config: ClubConfig): Wiring {
  const db = createDocumentClient({ endpoint: config.dynamodbEndpoint, local: config.dynamodbLocal });
  const { tableName } = config;
  // The store's own program, cached ~30 s per container (docs/program.md).
  const programs = new ProgramRepository(new DynamoProgramStore(db, tableName), config.currency);
  const eventBridge = config.eventBusName ? new EventBridgeClient({}) : undefined;
  // On AWS the bus; locally whatever the club plugged in (events file, notifier).
  // A refused publish parks the events in the table for republish-events (after the commit, a lost event is for good).
  const bus: EventPublisher =
    eventBridge && config.eventBusName ? new EventBridgePublisher(config.eventBusName, eventBridge) : processEvents;
  const events = new ParkingPublisher(bus, new DynamoEventParking(db, tableName));
  const club: ClubDeps = {
    store: new DynamoClubStore(db, tableName),
    program: () => programs.current(),
    now: () => new Date(),
    programs,
    referrals: new DynamoReferralStore(db, tableName),
    events,
    rewards: new DynamoRewardStore(db, tableName),
    reports: new DynamoReportStore(db, tableName, config.counterShards),
  };
  const automation = new DynamoAutomationStore(db, tableName);
  const settings = async () => {
    const { timeZone, automation: a } = await club.program();
    const { quietHours, ...rest } = a;
    return automationSettings({ timeZone, ...rest, ...(quietHours ? { quietHours } : { quietHours: undefined }) });
  };
  const jobs: JobDeps = {
    ...club,
    automation,
    settings,
    eventParking: events,
    nameReindex: new DynamoNameReindexStore(db, tableName),
    memberDirectory: new DynamoMemberDirectory(db, tableName),
  };
  const continueJob = async (next: JobInvocation) => {
    if (eventBridge && config.eventBusName) {
      const out = await eventBridge.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: config.eventBusName,
              Source: JOB_EVENT_SOURCE,
              DetailType: JOB_CONTINUE_DETAIL_TYPE,
              Detail: JSON.stringify(next),
            },
          ],
        }),
      );
      if (out.FailedEntryCount) throw new Error(`continuation of ${next.job} not accepted: ${out.Entries?.[0]?.ErrorCode}`);
      chargeEvents(1);
      return;
    }
    if (standIns.continueJob) return standIns.continueJob(next);
    throw new Error('LOYALTY_EVENT_BUS is not set: cannot continue a long job');
  };
  const senders = standIns.senders ?? configuredSenders(config.notify);
  return {
    config,
    db,
    club,
    jobs,
    signIn: {
      ...club,
      signIns: new DynamoSignInStore(db, tableName),
      prefs: automation,
      senders,
      secret: () => portalSecret(),
      tokenTtlSeconds: () => readAccessConfig().portalTtlSeconds,
      limits: () => readSignInConfig(),
      // stdout of a Lambda is its log stream: CloudWatch turns the line into the cap alarm's metric.
      smsCapReached: () => void (readRunConfig().onLambda && process.stdout.write(`${smsCapLine(COST_SERVICE)}\n`)),
    },
    webhooks: { club, deliveries: new DynamoDeliveryStore(db, tableName) },
    notifier: {
      store: club.store,
      automation,
      settings,
      now: club.now,
      program: club.program,
      senders,
      optOutLink,
    },
    shopSync: {
      shops: connectedShops(readShopConfig()),
      shopSync: new DynamoShopSyncStore(db, tableName),
      rewards: club.rewards,
      store: club.store,
      now: club.now,
    },
    bus,
    continueJob,
  };
}
