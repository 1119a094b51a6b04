/**
 * Every client mistake gets the contract's error shape, a 4xx, and writes
 * nothing: checked by counting the table's items before and after.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';

let club: TestClub;
let memberId: string;

// Tests may scan; the club never does. Once the stream processor has counted what came before
// (its report counters and markers are items too), so only this request's writes could move it.
async function itemCount(): Promise<number> {
  await club.drained();
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await club.client.send(new ScanCommand({ TableName: club.tableName, Select: 'COUNT', ExclusiveStartKey: start }));
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

beforeAll(async () => {
  club = await startTestClub();
  const res = await club.api('POST', '/v1/members', { memberId: 'bad-input-member', email: 'bi@example.com' });
  memberId = res.body.memberId;
  await club.api('POST', '/v1/earn', { memberId, orderId: 'bi-o1', amount: '10', currency: 'USD' });
});
afterAll(() => club?.stop());

const big = 'x'.repeat(300 * 1024);

type Case = [
  name: string,
  method: string,
  path: string,
  body: unknown,
  status: number,
  code: string,
  headers?: Record<string, string | undefined>,
];

const cases: Case[] = [
  [
    'no token',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n1', amount: '1', currency: 'USD' },
    401,
    'UNAUTHORIZED',
    { authorization: undefined },
  ],
  [
    'wrong token',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n2', amount: '1', currency: 'USD' },
    401,
    'UNAUTHORIZED',
    { authorization: 'Bearer nope' },
  ],
  ['basic auth', 'GET', '/v1/members/bad-input-member', undefined, 401, 'UNAUTHORIZED', { authorization: 'Basic dXNlcjpwYXNz' }],
  ['broken JSON', 'POST', '/v1/earn', '{"memberId": "bad-input-member",', 400, 'MALFORMED_JSON'],
  ['JSON array', 'POST', '/v1/earn', '[1,2,3]', 400, 'VALIDATION_FAILED'],
  ['empty body', 'POST', '/v1/earn', '', 400, 'VALIDATION_FAILED'],
  [
    'negative amount',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n3', amount: '-5', currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'amount with letters',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n4', amount: '12abc', currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'amount in exponent',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n5', amount: '1e9', currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'bad currency',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n6', amount: '5', currency: 'dollars' },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'unknown field',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n7', amount: '5', currency: 'USD', points: 1000 },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'order id with #',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'a#b', amount: '5', currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'bad occurredAt',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n8', amount: '5', currency: 'USD', occurredAt: 'yesterday' },
    400,
    'VALIDATION_FAILED',
  ],
  ['unknown member', 'POST', '/v1/earn', { memberId: 'nobody', orderId: 'n9', amount: '5', currency: 'USD' }, 404, 'MEMBER_NOT_FOUND'],
  [
    'other currency',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n10', amount: '5', currency: 'EUR' },
    422,
    'CURRENCY_MISMATCH',
  ],
  [
    'body over 256 KiB',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n11', amount: '5', currency: 'USD', pad: big },
    413,
    'PAYLOAD_TOO_LARGE',
  ],
  [
    'fractional points',
    'POST',
    '/v1/redeem',
    { memberId: 'bad-input-member', points: 1.5, idempotencyKey: 'k1' },
    400,
    'VALIDATION_FAILED',
  ],
  ['zero points', 'POST', '/v1/redeem', { memberId: 'bad-input-member', points: 0, idempotencyKey: 'k2' }, 400, 'VALIDATION_FAILED'],
  ['points as string', 'POST', '/v1/redeem', { memberId: 'bad-input-member', points: '5', idempotencyKey: 'k3' }, 400, 'VALIDATION_FAILED'],
  ['no idempotency key', 'POST', '/v1/redeem', { memberId: 'bad-input-member', points: 5 }, 400, 'VALIDATION_FAILED'],
  ['huge points', 'POST', '/v1/redeem', { memberId: 'bad-input-member', points: 1e20, idempotencyKey: 'k4' }, 400, 'VALIDATION_FAILED'],
  ['too many points', 'POST', '/v1/redeem', { memberId: 'bad-input-member', points: 11, idempotencyKey: 'k5' }, 409, 'INSUFFICIENT_POINTS'],
  [
    'refund without refundId',
    'POST',
    '/v1/refunds',
    { memberId: 'bad-input-member', orderId: 'bi-o1', amount: '5', currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'refund of unknown order',
    'POST',
    '/v1/refunds',
    { memberId: 'bad-input-member', orderId: 'nope', refundId: 'r', amount: '5', currency: 'USD' },
    404,
    'ORDER_NOT_FOUND',
  ],
  ['bad email', 'POST', '/v1/members', { email: 'not-an-email' }, 400, 'VALIDATION_FAILED'],
  ['bad member id', 'POST', '/v1/members', { memberId: 'has space' }, 400, 'VALIDATION_FAILED'],
  ['member id with #', 'GET', '/v1/members/a%23b', undefined, 400, 'VALIDATION_FAILED'],
  ['bad birthday', 'POST', '/v1/members', { birthday: '1990-13-40' }, 400, 'VALIDATION_FAILED'],
  ['taken email', 'POST', '/v1/members', { email: 'BI@example.com' }, 409, 'ALREADY_EXISTS'],
  ['empty patch', 'PATCH', '/v1/members/bad-input-member', {}, 400, 'VALIDATION_FAILED'],
  ['adjust zero', 'POST', '/v1/members/bad-input-member/adjustments', { points: 0, reason: 'nothing' }, 400, 'VALIDATION_FAILED'],
  ['adjust unknown member', 'POST', '/v1/members/ghost/adjustments', { points: 5, reason: 'why not' }, 404, 'MEMBER_NOT_FOUND'],
  ['lookup with two filters', 'GET', '/v1/members?email=a@b.co&phone=123456', undefined, 400, 'VALIDATION_FAILED'],
  [
    'operator-looking member id',
    'POST',
    '/v1/earn',
    { memberId: { $ne: null }, orderId: 'n12', amount: '5', currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'operator-looking amount',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n13', amount: { $gt: 0 }, currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  ['prototype pollution', 'POST', '/v1/members', '{"__proto__": {"admin": true}, "email": "proto@example.com"}', 400, 'VALIDATION_FAILED'],
  [
    'key-forging order id',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'x#EARN', amount: '5', currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  [
    'huge order id',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'o'.repeat(5000), amount: '5', currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  ['huge name', 'POST', '/v1/members', { name: 'ن'.repeat(100_000) }, 400, 'VALIDATION_FAILED'],
  [
    'huge amount',
    'POST',
    '/v1/earn',
    { memberId: 'bad-input-member', orderId: 'n14', amount: '9'.repeat(40), currency: 'USD' },
    400,
    'VALIDATION_FAILED',
  ],
  ['NaN-looking points', 'POST', '/v1/redeem', '{"memberId":"bad-input-member","points":NaN,"idempotencyKey":"k6"}', 400, 'MALFORMED_JSON'],
  ['negative redeem', 'POST', '/v1/redeem', { memberId: 'bad-input-member', points: -5, idempotencyKey: 'k7' }, 400, 'VALIDATION_FAILED'],
  ['unknown route', 'GET', '/v1/nothing-here', undefined, 404, 'NOT_FOUND'],
  ['wrong method', 'DELETE', '/v1/earn', undefined, 405, 'METHOD_NOT_ALLOWED'],
];

describe('bad input', () => {
  it.each(cases)('%s → %i %s, nothing written', async (_name, method, path, body, status, code, headers) => {
    const before = await itemCount();
    const res = await club.api(method, path, body, headers);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ error: { code, message: expect.any(String), details: expect.any(Array) } });
    expect(res.text).not.toMatch(/at .*\.ts:\d+|node_modules|Error:/);
    expect(await itemCount()).toBe(before);
  });

  it('names every problem of a body at once, with its path', async () => {
    const res = await club.api('POST', '/v1/earn', { amount: 'abc', currency: '1' });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['body.amount', 'body.currency', 'body.memberId', 'body.orderId']);
  });

  it('accepts a base64-encoded JSON body the way API Gateway passes binary content', async () => {
    const res = await club.api(
      'POST',
      '/v1/earn',
      Buffer.from(JSON.stringify({ memberId, orderId: 'bi-b64', amount: '3', currency: 'USD' })),
      { 'content-type': 'application/octet-stream' },
    );
    expect(res.status).toBe(200);
    expect(res.body.points).toBe(3);
  });
});
