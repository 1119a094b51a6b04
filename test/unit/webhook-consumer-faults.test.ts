/**
 * The webhook consumer under DynamoDB faults (aws-sdk-client-mock, no server):
 * a throttle on one record in the middle of an SQS batch fails that record
 * alone (partial batch response); the queue's next try applies it; nothing is
 * credited twice, whichever records the queue hands over again.
 *
 * The document client is backed by a small in-memory table that honours the
 * conditions the club's writes carry (attribute_not_exists(pk) on the ledger
 * entry, seq = :seq on the member), so "credited twice" would show up as a
 * second ledger item or a balance that isn't the sum of the entries.
 */
import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimKey, memberKey } from '../../shared/store/keys';

process.env.TABLE_NAME = 'consumer-faults';
process.env.LOYALTY_API_TOKEN = 'unit-token';
process.env.LOYALTY_CURRENCY = 'USD';
process.env.WEBHOOK_MAX_RECEIVES = '5';

type Item = Record<string, any>;
const db = mockClient(DynamoDBDocumentClient);
// Test files share a worker (isolate: false): give the real client back.
afterAll(() => db.restore());
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

beforeAll(async () => {
  handler = (await import('../../functions/webhook-consumer')).handler as typeof handler;
});

/** The part of DynamoDB the consumer's earn path uses, with the conditions it relies on. */
class FakeTable {
  readonly items = new Map<string, Item>();
  /** Order ids of the ledger entries each committed transaction wrote, in commit order. */
  readonly committedEarns: string[] = [];
  private k = (key: Item) => `${key.pk}\u0000${key.sk}`;

  get(key: Item): Item | undefined {
    const item = this.items.get(this.k(key));
    return item ? structuredClone(item) : undefined;
  }

  put(item: Item): void {
    this.items.set(this.k(item), structuredClone(item));
  }

  query(input: Item): Item[] {
    const pk = input.ExpressionAttributeValues[':pk'];
    const prefix = input.ExpressionAttributeValues[':prefix'];
    if (input.IndexName) throw new Error(`the fake table has no index ${input.IndexName}`);
    return [...this.items.values()]
      .filter((i) => i.pk === pk && (prefix === undefined || String(i.sk).startsWith(prefix)))
      .map((i) => structuredClone(i));
  }

  /** Why an item of a transaction would be cancelled, or 'None'. */
  private check(op: Item): string {
    const body = op.Put ?? op.Update ?? op.Delete ?? op.ConditionCheck;
    const cond: string | undefined = body.ConditionExpression;
    if (!cond) return 'None';
    const existing = this.get(op.Put ? op.Put.Item : body.Key);
    if (cond === 'attribute_not_exists(pk)') return existing ? 'ConditionalCheckFailed' : 'None';
    if (cond === 'seq = :seq')
      return existing && existing.seq === body.ExpressionAttributeValues[':seq'] ? 'None' : 'ConditionalCheckFailed';
    throw new Error(`the fake table does not know the condition ${cond}`);
  }

  private update(u: Item): void {
    const item = this.get(u.Key) ?? { ...u.Key };
    const names: Record<string, string> = u.ExpressionAttributeNames ?? {};
    const values: Record<string, unknown> = u.ExpressionAttributeValues ?? {};
    const [setPart, removePart] = String(u.UpdateExpression).replace(/^SET /, '').split(' REMOVE ');
    for (const clause of setPart!.split(', ')) {
      const [name, value] = clause.split(' = ');
      item[names[name!] ?? name!] = structuredClone(values[value!]);
    }
    for (const name of removePart ? removePart.split(', ') : []) delete item[names[name] ?? name];
    this.put(item);
  }

  transact(ops: Item[]): void {
    const reasons = ops.map((op) => this.check(op));
    if (reasons.some((r) => r !== 'None')) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: reasons.map((Code) => ({ Code })),
      });
    }
    for (const op of ops) {
      if (op.Put?.Item?.itemType === 'ledger-entry') this.committedEarns.push(op.Put.Item.orderId);
      if (op.Put) this.put(op.Put.Item);
      else if (op.Update) this.update(op.Update);
      else if (op.Delete) this.items.delete(this.k(op.Delete.Key));
    }
  }
}

let table: FakeTable;
/** A throttle to inject: given a command's input, the error to throw instead of answering. */
let fault: ((kind: 'get' | 'transact', input: Item) => Error | undefined) | undefined;

beforeEach(() => {
  db.reset();
  table = new FakeTable();
  fault = undefined;
  db.on(GetCommand).callsFake((input: Item) => {
    const err = fault?.('get', input);
    if (err) throw err;
    const item = table.get(input.Key);
    return item ? { Item: item } : {};
  });
  db.on(PutCommand).callsFake((input: Item) => {
    if (input.ConditionExpression) table.transact([{ Put: input }]);
    else table.put(input.Item);
    return {};
  });
  db.on(QueryCommand).callsFake((input: Item) => ({ Items: table.query(input) }));
  db.on(TransactWriteCommand).callsFake((input: Item) => {
    const err = fault?.('transact', input);
    if (err) throw err;
    table.transact(input.TransactItems);
    return {};
  });
});
afterEach(() => db.reset());

const template = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'webhooks', 'shopify-orders-paid.json'), 'utf8'));

/** Members m1..m3, known by their Shopify customer ids 501..503. */
function seedMembers(): void {
  for (const n of [1, 2, 3]) {
    const memberId = `m${n}`;
    table.put({
      ...memberKey(memberId),
      itemType: 'member',
      memberId,
      email: `c${n}@example.com`,
      balance: 0,
      lifetimePoints: 0,
      lots: [],
      seq: 0,
      profileVersion: 1,
      tier: 'member',
      joinedAt: '2026-01-01T00:00:00.000Z',
      externalIds: { shopify: String(500 + n) },
    });
    table.put({ ...claimKey({ kind: 'shopify', value: String(500 + n) }), itemType: 'claim', memberId, kind: 'shopify' });
  }
}

/** Orders 9001..9005 for customers 501, 502, 503, 501, 502: 10, 20, 30, 40, 50 USD. */
const ORDERS = [1, 2, 3, 4, 5].map((i) => ({ orderId: 9000 + i, customer: 500 + (((i - 1) % 3) + 1), subtotal: `${i * 10}.00` }));
const MIDDLE = ORDERS[2]!; // order 9003, the third of five records

function record(o: (typeof ORDERS)[number], receiveCount = 1): SQSRecord {
  const body = JSON.stringify({
    ...template,
    id: o.orderId,
    subtotal_price: o.subtotal,
    email: `c${o.customer - 500}@example.com`,
    customer: { ...template.customer, id: o.customer, email: `c${o.customer - 500}@example.com` },
  });
  const envelope = {
    v: 1,
    id: `d-${o.orderId}`,
    source: 'shopify',
    topic: 'orders/paid',
    receivedAt: '2026-11-23T10:00:00.000Z',
    headers: { 'x-shopify-topic': 'orders/paid', 'x-shopify-event-id': `evt-${o.orderId}` },
    body,
  };
  return {
    messageId: `msg-${o.orderId}`,
    receiptHandle: `rh-${o.orderId}`,
    body: JSON.stringify(envelope),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1763892000000',
      SenderId: 'shop',
      ApproximateFirstReceiveTimestamp: '1763892000000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:loyalty-webhooks',
    awsRegion: 'us-east-1',
  };
}

const context = { functionName: 'webhook-consumer', awsRequestId: 'req', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const run = (records: SQSRecord[]) => handler({ Records: records }, context);

/** Ledger entries in the fake table by order, and every ledger Put the consumer got committed. */
function ledgerEntries(): Item[] {
  return [...table.items.values()].filter((i) => i.itemType === 'ledger-entry');
}

/** The order ids of the ledger entries in every transaction issued (committed or not). */
function earnTransactions(): string[] {
  return db
    .commandCalls(TransactWriteCommand)
    .flatMap((c) => c.args[0].input.TransactItems ?? [])
    .map((op) => op.Put?.Item)
    .filter((item): item is Item => !!item && item.itemType === 'ledger-entry')
    .map((item) => item.orderId as string);
}

function expectEveryOrderCreditedOnce(): void {
  const entries = ledgerEntries();
  expect(entries.map((e) => e.orderId).sort()).toEqual(ORDERS.map((o) => `shopify:${o.orderId}`));
  for (const n of [1, 2, 3]) {
    const member = table.get(memberKey(`m${n}`))!;
    const mine = entries.filter((e) => e.memberId === `m${n}`);
    const expected = ORDERS.filter((o) => o.customer === 500 + n).reduce((s, o) => s + Number.parseInt(o.subtotal, 10), 0);
    expect(member.balance).toBe(expected);
    expect(mine.reduce((s, e) => s + e.points, 0)).toBe(expected);
    expect(member.seq).toBe(mine.length);
  }
}

const throttles: [string, () => Error, 'get' | 'transact'][] = [
  [
    'a TransactionCanceledException with a ThrottlingError reason on the earn transaction',
    () =>
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }],
      }),
    'transact',
  ],
  [
    'a ProvisionedThroughputExceededException on the member read',
    () => new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }),
    'get',
  ],
  [
    'a ThrottlingException on the earn transaction',
    () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    'transact',
  ],
];

/** Throws `make()` once, on the first command of `kind` that concerns the middle record's order or member. */
function throttleMiddleOnce(make: () => Error, kind: 'get' | 'transact'): () => number {
  let thrown = 0;
  fault = (k, input) => {
    if (k !== kind || thrown > 0) return undefined;
    const hit =
      k === 'transact'
        ? (input.TransactItems as Item[]).some((op) => op.Put?.Item?.orderId === `shopify:${MIDDLE.orderId}`)
        : // The middle record's member (m3) is read only for order 9003.
          input.Key?.pk === 'MEMBER#m3' && input.Key?.sk === 'MEMBER';
    if (!hit) return undefined;
    thrown += 1;
    return make();
  };
  return () => thrown;
}

describe('a DynamoDB throttle in the middle of a webhook batch', () => {
  it.each(throttles)('%s fails only that record, which the next try applies once', async (_name, make, kind) => {
    seedMembers();
    const thrown = throttleMiddleOnce(make, kind);
    const batch = ORDERS.map((o) => record(o));

    const first = await run(batch);
    expect(thrown()).toBe(1);
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: `msg-${MIDDLE.orderId}` }]);
    // The four others are applied; the throttled one wrote nothing.
    expect(
      ledgerEntries()
        .map((e) => e.orderId)
        .sort(),
    ).toEqual(ORDERS.filter((o) => o !== MIDDLE).map((o) => `shopify:${o.orderId}`));
    expect(table.get(memberKey('m3'))!.balance).toBe(0);

    // The queue hands the failed record back alone (second receive): it succeeds.
    const retry = await run([record(MIDDLE, 2)]);
    expect(retry.batchItemFailures).toEqual([]);
    expectEveryOrderCreditedOnce();
    // Each order's entry was committed by exactly one transaction. More may have been
    // issued: the throttled attempt, and a retry after two records of one member raced.
    expect([...table.committedEarns].sort()).toEqual(ORDERS.map((o) => `shopify:${o.orderId}`));
    const issued = earnTransactions();
    expect(issued.filter((id) => id === `shopify:${MIDDLE.orderId}`).length).toBe(kind === 'transact' ? 2 : 1);

    // Had the whole batch come back (a timed-out invocation), nothing more is credited
    // and no transaction is even attempted: the entries' keys answer first.
    const before = db.commandCalls(TransactWriteCommand).length;
    const again = await run(ORDERS.map((o) => record(o, 3)));
    expect(again.batchItemFailures).toEqual([]);
    expect(db.commandCalls(TransactWriteCommand).length).toBe(before);
    expectEveryOrderCreditedOnce();
  });

  it('parks a record still throttled at its last receive, for staff to replay, and fails nothing', async () => {
    seedMembers();
    fault = (k, input) =>
      k === 'transact' && (input.TransactItems as Item[]).some((op) => op.Put?.Item?.orderId === `shopify:${MIDDLE.orderId}`)
        ? new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} })
        : undefined;
    const early = await run([record(MIDDLE, 4)]);
    expect(early.batchItemFailures).toEqual([{ itemIdentifier: `msg-${MIDDLE.orderId}` }]);
    const last = await run([record(MIDDLE, 5)]);
    expect(last.batchItemFailures).toEqual([]);
    const parked = [...table.items.values()].filter((i) => i.itemType === 'delivery');
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ status: 'failed', topic: 'orders/paid', attempts: 5, reason: { code: 'INTERNAL_ERROR' } });
    expect(parked[0]!.reason.message).toContain('ProvisionedThroughputExceededException');
    expect(ledgerEntries()).toEqual([]);
  });
});
