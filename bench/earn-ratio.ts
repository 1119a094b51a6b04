/**
 * How close an earn comes to the least a correct earn must do (issue #15's goal: ≥ 0.8):
 * one consistent read of the member and one 2-item conditional transaction (the ledger
 * entry's Put on its key, the member's Update on its version), on the same DynamoDB
 * Local in the same run. Three paths, each with the same concurrency on members of its
 * own: that minimal pattern, the earn use case called in-process (what the handler runs,
 * before HTTP), and `POST /v1/earn` through the local club. Rounds interleave the paths
 * so the machine's load weighs on each alike; a path's figure is its rounds' median.
 * `npm run bench -- --only earn-ratio`.
 */
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { RunningClub } from '../local/club';
import { earn } from '../shared/club/points';
import { readConfig } from '../shared/config';
import { parseDecimal } from '../shared/domain/money';
import { wiring } from '../shared/wiring';
import { clubPost } from './club-post';

export interface EarnRatioFigures {
  readonly path: 'minimal pattern' | 'earn use case' | 'POST /v1/earn';
  /** Earns a second: the median of the rounds. */
  readonly perSecond: number;
  /** perSecond over the minimal pattern's. */
  readonly ratio: number;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** `count` calls of `one(i)`, `concurrency` at a time: calls a second. */
async function rate(count: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await one(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export async function measureEarnRatio(
  club: RunningClub,
  options: { earnsPerRound: number; rounds: number; concurrency: number; members: number },
): Promise<EarnRatioFigures[]> {
  const { earnsPerRound, rounds, concurrency, members } = options;
  const { db, club: deps } = wiring();
  const table = readConfig().tableName;
  const run = Date.now().toString(36);

  const post = clubPost(club);
  // Each path has its own members, as many as the concurrency and more: no path waits on another's member.
  const ids = (path: string) => Array.from({ length: members }, (_, i) => `ratio-${run}-${path}-${i}`);
  const useCaseMembers = ids('uc');
  const httpMembers = ids('http');
  for (const m of [...useCaseMembers, ...httpMembers]) await post('/v1/members', { memberId: m, email: `${m}@example.com` }, 201);
  const rawMembers = ids('raw');
  for (const m of rawMembers)
    await db.send(new PutCommand({ TableName: table, Item: { pk: `RATIO#${m}`, sk: 'MEMBER', memberId: m, balance: 0, seq: 0 } }));

  /** The minimal correct earn: read the member, then the entry and the member in one transaction, each conditioned. */
  const minimal = async (memberId: string, orderId: string) => {
    for (;;) {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: { pk: `RATIO#${memberId}`, sk: 'MEMBER' }, ConsistentRead: true }),
      );
      const seq = Item!.seq as number;
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: table,
                  Item: { pk: `RATIOORDER#${orderId}`, sk: 'EARN', memberId, points: 120, seq: seq + 1, at: new Date().toISOString() },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: table,
                  Key: { pk: `RATIO#${memberId}`, sk: 'MEMBER' },
                  UpdateExpression: 'SET balance = balance + :p, seq = :next',
                  ConditionExpression: 'seq = :seq',
                  ExpressionAttributeValues: { ':p': 120, ':seq': seq, ':next': seq + 1 },
                },
              },
            ],
          }),
        );
        return;
      } catch (err) {
        // Another earn of the same member won the race: read again, as the use case does.
        if ((err as { name?: string }).name !== 'TransactionCanceledException') throw err;
      }
    }
  };

  const amount = parseDecimal('120.00')!;
  const paths: Record<EarnRatioFigures['path'], (round: number, i: number) => Promise<void>> = {
    'minimal pattern': (r, i) => minimal(rawMembers[i % members]!, `${run}-raw-${r}-${i}`),
    'earn use case': async (r, i) => {
      await earn(deps, useCaseMembers[i % members]!, { orderId: `${run}-uc-${r}-${i}`, amount, currency: 'USD' });
    },
    'POST /v1/earn': (r, i) =>
      post('/v1/earn', { memberId: httpMembers[i % members], orderId: `${run}-http-${r}-${i}`, amount: '120.00', currency: 'USD' }, 200),
  };
  const names = Object.keys(paths) as EarnRatioFigures['path'][];
  const rates: Record<string, number[]> = Object.fromEntries(names.map((p) => [p, []]));
  // A warm-up round first (JIT, connections, the program read), not counted.
  for (let r = -1; r < rounds; r++)
    for (const p of names) {
      const perSecond = await rate(earnsPerRound, concurrency, (i) => paths[p](r, i));
      if (r >= 0) rates[p]!.push(perSecond);
    }
  const base = median(rates['minimal pattern']!);
  return names.map((p) => ({ path: p, perSecond: round(median(rates[p]!), 1), ratio: round(median(rates[p]!) / base) }));
}
