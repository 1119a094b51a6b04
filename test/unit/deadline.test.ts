/**
 * The invocation's deadline: the balance loop stops retrying with a 503
 * CONCURRENT_UPDATE while there is still time to answer, the store sends no
 * write in the last moments, and the HTTP edge never answers before its
 * handler has finished (so nothing commits behind an answer).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { applyBalanceChange } from '../../shared/club/balance-change';
import type { ClubDeps } from '../../shared/club/deps';
import { DomainError } from '../../shared/domain/errors';
import { noEvents } from '../../shared/events/events';
import type { Decision } from '../../shared/domain/rules';
import { json } from '../../shared/http/errors';
import { routeTable } from '../../shared/http/route-handler';
import type { ClubStore } from '../../shared/store/club-store';
import { addWriteDeadline, withWriteDeadline } from '../../shared/store/write-deadline';

process.env.TABLE_NAME = 'deadline';
process.env.LOYALTY_API_TOKEN = 'unit-token';
process.env.LOYALTY_CURRENCY = 'USD';

const member = {
  memberId: 'm1',
  balance: 5,
  lifetimePoints: 5,
  lots: [],
  seq: 1,
  profileVersion: 1,
  tier: 'member',
  joinedAt: '2026-01-01T00:00:00.000Z',
  externalIds: {},
};
const decision = { entry: { type: 'adjust', points: -1 }, next: { balance: 4, lots: [], lifetimePoints: 5 } } as unknown as Decision;

/** A member some other writer changes before every commit; the clock moves 400 ms per attempt. */
function busyMember(startMs: number) {
  let left = startMs;
  const commits: number[] = [];
  const store = {
    getEntry: async () => undefined,
    getMember: async () => member,
    commitBalanceChange: async () => {
      commits.push(left);
      left -= 400;
      return 'member-changed' as const;
    },
  } as unknown as ClubStore;
  // Only what the balance loop uses; the rest of the club's stores are never reached here.
  const unused = {} as Pick<ClubDeps, 'programs' | 'referrals' | 'rewards' | 'reports'>;
  const deps: ClubDeps = {
    ...unused,
    store,
    events: noEvents,
    program: async () => ({}) as never,
    now: () => new Date('2026-05-01T00:00:00Z'),
    remainingMs: () => left,
  };
  return { deps, commits };
}

const change = { memberId: 'm1', ref: { kind: 'adjust', memberId: 'm1', key: 'k' } as const, decide: () => decision };

describe('the balance loop under a deadline', () => {
  it('stops with 503 CONCURRENT_UPDATE and Retry-After before a commit could outlive the invocation', async () => {
    const { deps, commits } = busyMember(3_000);
    const err = await applyBalanceChange(deps, change).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'CONCURRENT_UPDATE', status: 503, retryAfterSeconds: 1 });
    // 3000, 2600, 2200, 1800 ms left were enough to commit; 1400 is under the 1500 ms reserve.
    expect(commits).toEqual([3_000, 2_600, 2_200, 1_800]);
  });

  it('sends no commit at all when the request arrives with too little time left', async () => {
    const { deps, commits } = busyMember(1_000);
    await expect(applyBalanceChange(deps, change)).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE', status: 503 });
    expect(commits).toEqual([]);
  });
});

describe('the store under a deadline', () => {
  function recordingClient() {
    const sent: string[] = [];
    const raw = new DynamoDBClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      requestHandler: {
        handle: async (request: { headers: Record<string, string> }) => {
          sent.push(request.headers['x-amz-target'] ?? '');
          const body = Buffer.from('{}');
          const { Readable } = await import('node:stream');
          return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([body]) } };
        },
      } as never,
    });
    addWriteDeadline(raw);
    return { db: DynamoDBDocumentClient.from(raw), sent };
  }

  it('refuses to send a write with under a second left, and still reads', async () => {
    const { db, sent } = recordingClient();
    await withWriteDeadline(
      () => 800,
      async () => {
        await expect(db.send(new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b' } }))).rejects.toMatchObject({
          name: 'DeadlineReached',
        });
        await db.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }));
      },
    );
    expect(sent).toEqual(['DynamoDB_20120810.GetItem']);
  });

  it('sends writes while there is time, and outside any invocation', async () => {
    const { db, sent } = recordingClient();
    await withWriteDeadline(
      () => 5_000,
      () => db.send(new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b' } })),
    );
    await db.send(new PutCommand({ TableName: 't', Item: { pk: 'a', sk: 'b' } }));
    expect(sent).toEqual(['DynamoDB_20120810.PutItem', 'DynamoDB_20120810.PutItem']);
  });
});

describe('the HTTP edge near the timeout', () => {
  it('answers only once the handler has finished, even past the remaining time', async () => {
    let finished = false;
    const handler = routeTable({
      'GET /health': async () => {
        await new Promise((r) => setTimeout(r, 60));
        finished = true;
        return json(200, { status: 'ok' as const });
      },
    });
    const event = {
      version: '2.0',
      routeKey: 'GET /health',
      rawPath: '/health',
      rawQueryString: '',
      headers: {},
      isBase64Encoded: false,
      requestContext: { requestId: 'r' },
    };
    const res = await handler(event as never, { awsRequestId: 'r', getRemainingTimeInMillis: () => 20 } as unknown as Context);
    expect(finished).toBe(true);
    expect(res.statusCode).toBe(200);
  });
});
