/**
 * The no-scan promise, measured: expire-points in a club of 20,000 members of
 * whom 500 are due must consume no more than 2× the read units of the same job
 * in a club of only those 500. Seeds two tables in DynamoDB Local with
 * BatchWrite (member items as the store writes them) and runs the real job
 * through the metered client.
 *
 *   npx tsx bench/jobs-scale.ts            # 20,000 / 500
 *   BENCH_MEMBERS=5000 BENCH_DUE=200 npx tsx bench/jobs-scale.ts
 */
import { pathToFileURL } from 'node:url';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBDocumentClient as DocClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localClient, LOCAL_REGION } from '../local/dynamodb-local';
import { startClub, type RunningClub } from '../local/club';
import { runJob, type JobDeps } from '../shared/club/jobs';
import { automationSettings } from '../shared/domain/automation-settings';
import { defaultProgram } from '../shared/domain/program';
import { noEvents } from '../shared/events/events';
import { metered } from '../shared/store/capacity-meter';
import { expiryIndexKeys, memberKey } from '../shared/store/keys';
import { readConfig } from '../shared/config';
import { buildWiring } from '../shared/wiring';

export interface JobsScaleFigures {
  readonly members: number;
  readonly due: number;
  readonly job: 'expire-points';
  /** Read units of the run in the big club and in a club of only the due members. */
  readonly rcuBigClub: number;
  readonly rcuDueOnly: number;
  readonly ratio: number;
  readonly withinTwice: boolean;
  readonly processedBigClub: number;
  readonly processedDueOnly: number;
  readonly seedSeconds: number;
  readonly runSecondsBigClub: number;
}

const AS_OF = new Date('2026-02-01T00:00:00.000Z');
const DUE_EXPIRY = '2026-01-31T23:59:59.999Z';

/** Not due at AS_OF: month ends from February 2026 to January 2027. */
function laterExpiry(i: number): string {
  const month = i % 12;
  return new Date(Date.UTC(2026, 1 + month + 1, 1) - 1).toISOString();
}

function memberItem(memberId: string, expiresAt: string, points: number) {
  return {
    ...memberKey(memberId),
    itemType: 'member',
    memberId,
    externalIds: {},
    tier: 'member',
    balance: points,
    lifetimePoints: points,
    lots: [{ expiresAt, points }],
    joinedAt: '2025-01-01T00:00:00.000Z',
    seq: 0,
    profileVersion: 1,
    ...expiryIndexKeys(memberId, expiresAt),
  };
}

async function seed(db: DynamoDBDocumentClient, tableName: string, items: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

function jobDeps(club: Pick<RunningClub, 'dynamodbEndpoint' | 'dynamodbCredentials'>, tableName: string): JobDeps {
  const { jobs } = buildWiring(
    readConfig({
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: club.dynamodbEndpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: club.dynamodbCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: club.dynamodbCredentials.secretAccessKey,
    }),
  );
  const program = defaultProgram('USD');
  const settings = automationSettings();
  return { ...jobs, program: async () => program, settings: async () => settings, events: noEvents };
}

export async function measureJobsScale(
  club: Pick<RunningClub, 'dynamodbEndpoint' | 'dynamodbCredentials'>,
  options: { members?: number; due?: number } = {},
): Promise<JobsScaleFigures> {
  const members = options.members ?? 20_000;
  const due = options.due ?? 500;
  const run = Date.now().toString(36);
  const big = `bench-jobs-big-${run}`;
  const small = `bench-jobs-due-${run}`;
  const raw = localClient(club.dynamodbEndpoint, club.dynamodbCredentials);
  const db = DocClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  try {
    await ensureTable(raw, big);
    await ensureTable(raw, small);
    const dueItems = Array.from({ length: due }, (_, i) => memberItem(`due-${i}`, DUE_EXPIRY, 10 + (i % 90)));
    const otherItems = Array.from({ length: members - due }, (_, i) => memberItem(`later-${i}`, laterExpiry(i), 10 + (i % 90)));
    const t0 = performance.now();
    await seed(db, big, [...dueItems, ...otherItems]);
    await seed(db, small, dueItems);
    const seedSeconds = (performance.now() - t0) / 1000;

    const t1 = performance.now();
    const bigRun = await metered(() => runJob(jobDeps(club, big), 'expire-points', { asOf: AS_OF }));
    const runSecondsBigClub = (performance.now() - t1) / 1000;
    const smallRun = await metered(() => runJob(jobDeps(club, small), 'expire-points', { asOf: AS_OF }));
    if (bigRun.result.failed || smallRun.result.failed)
      throw new Error(`expire-points failed for some members: ${JSON.stringify([bigRun.result, smallRun.result])}`);
    const rcuBigClub = Math.round(bigRun.capacity.readCapacityUnits * 10) / 10;
    const rcuDueOnly = Math.round(smallRun.capacity.readCapacityUnits * 10) / 10;
    const ratio = Math.round((rcuBigClub / rcuDueOnly) * 1000) / 1000;
    return {
      members,
      due,
      job: 'expire-points',
      rcuBigClub,
      rcuDueOnly,
      ratio,
      withinTwice: ratio <= 2,
      processedBigClub: bigRun.result.processed,
      processedDueOnly: smallRun.result.processed,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      runSecondsBigClub: Math.round(runSecondsBigClub * 10) / 10,
    };
  } finally {
    raw.destroy();
  }
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const club = await startClub({ inMemory: true, quiet: true, services: [] });
  try {
    const figures = await measureJobsScale(club, {
      members: Number(process.env.BENCH_MEMBERS ?? 20_000),
      due: Number(process.env.BENCH_DUE ?? 500),
    });
    console.log(`\nexpire-points: ${figures.due} due members in a club of ${figures.members} vs a club of only the ${figures.due}\n`);
    console.table([figures]);
    if (!figures.withinTwice) {
      console.error(`read units grew with the club: ${figures.ratio}× (limit 2×)`);
      process.exitCode = 1;
    }
  } finally {
    await club.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
