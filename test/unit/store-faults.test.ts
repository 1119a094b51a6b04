/**
 * Faults a real DynamoDB won't produce on demand: throttling, timeouts, a lost
 * race at the exact moment of commit. Injected with aws-sdk-client-mock.
 */
import { TransactionCanceledException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

process.env.TABLE_NAME = 'faults';
process.env.LOYALTY_API_TOKEN = 'unit-token';
process.env.LOYALTY_CURRENCY = 'USD';

const db = mockClient(DynamoDBDocumentClient);
// Test files share a worker (isolate: false): give the real client back.
afterAll(() => db.restore());
let handler: (e: APIGatewayProxyEventV2, c: Context) => Promise<APIGatewayProxyStructuredResultV2>;

beforeAll(async () => {
  handler = (await import('../../functions/earn')).handler as typeof handler;
});
beforeEach(() => {
  db.reset();
  // The store never saved a program of its own: the default runs.
  db.on(GetCommand, { Key: { pk: 'PROGRAM', sk: 'CURRENT' } }).resolves({});
});
afterEach(() => db.reset());

const member = {
  pk: 'MEMBER#m1',
  sk: 'MEMBER',
  memberId: 'm1',
  balance: 5,
  lifetimePoints: 5,
  lots: [{ expiresAt: '2099-01-31T23:59:59.999Z', points: 5 }],
  seq: 1,
  profileVersion: 1,
  tier: 'member',
  joinedAt: '2026-01-01T00:00:00.000Z',
  externalIds: {},
};

function earnEvent(orderId: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /v1/earn',
    rawPath: '/v1/earn',
    rawQueryString: '',
    headers: { authorization: 'Bearer unit-token', 'content-type': 'application/json' },
    body: JSON.stringify({ memberId: 'm1', orderId, amount: '10', currency: 'USD' }),
    isBase64Encoded: false,
    requestContext: { requestId: 'r' } as APIGatewayProxyEventV2['requestContext'],
  };
}

const call = (orderId: string) => handler(earnEvent(orderId), { awsRequestId: 'req' } as Context);

function cancelled(codes: string[]) {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** How often the order's earn entry was read. */
const entryReads = (orderId: string) => db.commandCalls(GetCommand).filter((c) => c.args[0].input.Key?.pk === `ORDER#${orderId}`).length;

describe('store faults at the HTTP edge', () => {
  it('answers 503 THROTTLED with Retry-After when DynamoDB throttles, never a stack', async () => {
    db.on(GetCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const res = await call('o1');
    expect(res.statusCode).toBe(503);
    expect(res.headers?.['retry-after']).toBe('1');
    expect(JSON.parse(res.body!)).toMatchObject({ error: { code: 'THROTTLED' } });
    expect(res.body).not.toContain('slow down');
  });

  it('answers 503 when the transaction itself is throttled, and writes nothing twice', async () => {
    db.on(GetCommand, { Key: { pk: 'ORDER#o6', sk: 'EARN' } }).resolves({});
    db.on(GetCommand, { Key: { pk: 'MEMBER#m1', sk: 'MEMBER' } }).resolves({ Item: member });
    db.on(TransactWriteCommand).rejects(cancelled(['ThrottlingError', 'None']));
    const res = await call('o6');
    expect(res.statusCode).toBe(503);
    expect(JSON.parse(res.body!).error.code).toBe('THROTTLED');
  });

  it('answers 503 on a timeout and 500 INTERNAL with no detail on anything unexpected', async () => {
    db.on(GetCommand).rejects(Object.assign(new Error('socket hang up at 10.0.0.1'), { name: 'TimeoutError' }));
    const timeout = await call('o2');
    expect(timeout.statusCode).toBe(503);
    db.reset();
    db.on(GetCommand).rejects(new Error('secret internal detail'));
    const res = await call('o3');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret internal detail');
    expect(JSON.parse(res.body!)).toEqual({ error: { code: 'INTERNAL', message: expect.any(String), details: [] } });
  });

  it('reads again and retries when another writer changed the member between read and commit', async () => {
    db.on(GetCommand, { Key: { pk: 'ORDER#o4', sk: 'EARN' } }).resolves({});
    db.on(GetCommand, { Key: { pk: 'MEMBER#m1', sk: 'MEMBER' } }).resolves({ Item: member });
    db.on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'ConditionalCheckFailed']))
      .rejectsOnce(cancelled(['None', 'TransactionConflict']))
      .resolves({});
    const res = await call('o4');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toMatchObject({ points: 10, balance: 15, duplicate: false });
    expect(db.commandCalls(TransactWriteCommand)).toHaveLength(3);
    // The Put's condition guarantees once: a change that commits never reads its own entry (1 read unit, not 2).
    expect(entryReads('o4')).toBe(0);
    const tx = db.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    // The entry and the member only: the report counters are added off the table's stream.
    expect(tx).toHaveLength(2);
    expect(tx.some((t) => String(t.Update?.Key?.pk ?? '').startsWith('COUNTERS#'))).toBe(false);
    expect(tx[0]!.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(tx[1]!.Update!.ConditionExpression).toBe('seq = :seq');
    expect(tx[1]!.Update!.ExpressionAttributeValues).toMatchObject({ ':seq': 1, ':next': 2, ':balance': 15 });
  });

  it('answers the winner’s result when a concurrent duplicate committed first', async () => {
    const winner = {
      pk: 'ORDER#o5',
      sk: 'EARN',
      entryId: 'E1',
      memberId: 'm1',
      type: 'earn',
      points: 10,
      balanceAfter: 15,
      seq: 2,
      at: '2026-11-23T00:00:00.000Z',
      programVersion: 1,
    };
    db.on(GetCommand, { Key: { pk: 'ORDER#o5', sk: 'EARN' } }).resolves({ Item: winner });
    db.on(GetCommand, { Key: { pk: 'MEMBER#m1', sk: 'MEMBER' } }).resolves({ Item: member });
    db.on(TransactWriteCommand).rejects(cancelled(['ConditionalCheckFailed', 'None']));
    const res = await call('o5');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body!)).toEqual({ entryId: 'E1', points: 10, balance: 15, duplicate: true });
    expect(db.commandCalls(TransactWriteCommand)).toHaveLength(1);
    // The entry is read once, after the cancelled commit showed the repeat; not before it.
    expect(entryReads('o5')).toBe(1);
  });
});
