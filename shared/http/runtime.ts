/**
 * What a handler's cold start builds once: config, the metered DynamoDB client,
 * the store and the use cases' dependencies.
 */
import { readConfig, type ClubConfig } from '../config';
import type { ClubDeps } from '../club/deps';
import { ProgramRepository } from '../club/program';
import { createDocumentClient } from '../store/client';
import { DynamoClubStore } from '../store/dynamo-club-store';
import { DynamoProgramStore } from '../store/program-store';
import { DynamoReferralStore } from '../store/referral-store';
import { DynamoRewardStore } from '../store/reward-store';
import { EventBridgePublisher } from '../events/eventbridge-publisher';
import { ParkingPublisher } from '../events/parking-publisher';
import { DynamoEventParking } from '../store/event-parking';
import { processEvents } from '../events/events';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoReportStore } from '../store/report-store';

export interface ClubRuntime {
  readonly config: ClubConfig;
  readonly deps: ClubDeps;
  /** The metered client, for stores beside the club store (jobs, notifier). */
  readonly db: DynamoDBDocumentClient;
}

let runtime: ClubRuntime | undefined;
let builtFor = '';

export function clubRuntime(): ClubRuntime {
  // On Lambda the environment never changes; locally a restarted club in the same
  // process (tests) gets a new DynamoDB endpoint, so the runtime follows it.
  const fingerprint = `${process.env.TABLE_NAME}|${process.env.DYNAMODB_ENDPOINT}|${process.env.LOYALTY_API_TOKEN}|${process.env.LOYALTY_CURRENCY}`;
  if (!runtime || fingerprint !== builtFor) {
    builtFor = fingerprint;
    const config = readConfig();
    const db = createDocumentClient({ endpoint: config.dynamodbEndpoint });
    const store = new DynamoClubStore(db, config.tableName, config.counterShards);
    // The store's own program, cached ~30 s per container (docs/program.md).
    const programs = new ProgramRepository(new DynamoProgramStore(db, config.tableName), config.currency);
    // On AWS the bus; locally whatever the club plugged in (events file, notifier).
    // A refused publish parks the events in the table for republish-events (after the commit, a lost event is for good).
    const events = new ParkingPublisher(config.eventBusName ? new EventBridgePublisher(config.eventBusName) : processEvents, new DynamoEventParking(db, config.tableName));
    runtime = {
      config,
      db,
      deps: {
        store,
        program: () => programs.current(),
        now: () => new Date(),
        programs,
        referrals: new DynamoReferralStore(db, config.tableName),
        events,
        rewards: new DynamoRewardStore(db, config.tableName),
        reports: new DynamoReportStore(db, config.tableName, config.counterShards),
      },
    };
  }
  return runtime;
}

/** Tests that swap the store (fault injection) reset the cached runtime. */
export function setClubRuntime(next: ClubRuntime | undefined): void {
  runtime = next;
  builtFor = next ? builtFor : '';
}
