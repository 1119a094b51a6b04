/**
 * POST /v1/admin/imports/members: a batch of existing customers, each enrolled
 * with every guarantee of POST /v1/members (claims, the name index, the member
 * list, the report counters) and its opening balance in the ledger; answered
 * per row, idempotent per row key, and a bad row never stops the good ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importMembers } from '../../shared/club/member-import';
import { wiring } from '../../shared/wiring';
import { startTestClub, type TestClub } from '../support/club';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());

const today = () => new Date().toISOString().slice(0, 10);
const membersToday = async () => {
  const res = await club.api('GET', `/v1/reports/summary?from=${today()}&to=${today()}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.newMembers as number;
};
const send = (rows: unknown[]) => club.api('POST', '/v1/admin/imports/members', { rows });
const ledger = async (memberId: string) => {
  const res = await club.api('GET', `/v1/members/${encodeURIComponent(memberId)}/ledger`);
  expect(res.status).toBe(200);
  return res.body.items as { points: number; reason?: string }[];
};
const listed = async () => {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: any } = await club.api('GET', `/v1/admin/members?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    ids.push(...res.body.items.map((m: { memberId: string }) => m.memberId));
    cursor = res.body.nextCursor;
  } while (cursor);
  return ids;
};

describe('importing a batch of members', () => {
  const batch = [
    { key: 'f1:2', email: 'roya@example.com', name: 'Roya Karimi', phone: '+98 912 123 4567', points: 150 },
    // Another member holds this email: reported as the enrolment would answer it, never merged.
    { key: 'f1:3', email: 'taken@example.com', name: 'Someone Else' },
    { key: 'f1:4', email: 'not-an-email', name: 'Bad Row' },
    { key: 'f1:5', memberId: 'cust-77', email: 'kaveh@example.com', name: 'Kaveh Sadeghi', externalIds: { shopify: 'sh-77' } },
    { key: 'f1:6', email: 'nima@example.com', name: 'Nima Ahmadi', externalIds: { shopify: 'sh-1' }, points: 20 },
  ];
  let first: { status: number; body: any };
  let before: number;

  beforeAll(async () => {
    const holder = await club.api('POST', '/v1/members', { email: 'taken@example.com', externalIds: { shopify: 'sh-1' } });
    expect(holder.status).toBe(201);
    before = await membersToday();
    first = await send(batch);
  });

  it('answers every row in order: created, or the code and message one enrolment would get', async () => {
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const results = first.body.results;
    expect(results.map((r: { key: string; status: string }) => [r.key, r.status])).toEqual([
      ['f1:2', 'created'],
      ['f1:3', 'failed'],
      ['f1:4', 'failed'],
      ['f1:5', 'created'],
      ['f1:6', 'failed'],
    ]);
    expect(first.body.notAttempted).toBe(0);
    expect(results[0]).toMatchObject({ openingBalance: 150 });
    expect(results[3].memberId).toBe('cust-77');

    // The same refusals POST /v1/members gives one by one.
    const alone = await club.api('POST', '/v1/members', { email: 'taken@example.com', name: 'Someone Else' });
    expect(alone.status).toBe(409);
    expect(results[1].error).toEqual({ status: 409, ...alone.body.error });
    const bad = await club.api('POST', '/v1/members', { email: 'not-an-email', name: 'Bad Row' });
    expect(bad.status).toBe(400);
    expect(results[2].error).toEqual({ status: 400, ...bad.body.error });
    expect(results[4].error).toMatchObject({ status: 409, code: 'ALREADY_EXISTS', details: [{ path: 'externalIds.shopify' }] });
  });

  it('keeps the guarantees of enrolment: opening balance in the ledger, name index, member list, report counters', async () => {
    const roya = first.body.results[0].memberId as string;
    const member = await club.api('GET', `/v1/members/${roya}`);
    expect(member.body).toMatchObject({ balance: 150, email: 'roya@example.com', phone: '+989121234567' });
    expect((await ledger(roya)).map((e) => [e.points, e.reason])).toEqual([[150, 'opening balance']]);

    const found = await club.api('GET', `/v1/members?name=${encodeURIComponent('kaveh sad')}`);
    expect(found.body.items.map((m: { memberId: string }) => m.memberId)).toEqual(['cust-77']);
    expect(await listed()).toEqual(expect.arrayContaining([roya, 'cust-77']));
    expect(await membersToday()).toBe(before + 2);
    // The refused rows left nothing behind: no member with their email.
    const nima = await club.api('GET', '/v1/members?email=nima%40example.com');
    expect(nima.body.items).toEqual([]);
  });

  it('sending the same batch again adds nothing: each key answers its first result', async () => {
    const again = await send(batch);
    expect(again.status).toBe(200);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['existing', 'failed', 'failed', 'existing', 'failed']);
    expect(again.body.results[0]).toMatchObject({ memberId: first.body.results[0].memberId, openingBalance: 150 });
    expect(again.body.results[3].memberId).toBe('cust-77');
    expect(await membersToday()).toBe(before + 2);
    expect(await ledger(first.body.results[0].memberId)).toHaveLength(1);
  });

  it('a row bringing the memberId of someone else is refused, not merged', async () => {
    const res = await send([{ key: 'f2:2', memberId: 'cust-77', email: 'other77@example.com' }]);
    expect(res.body.results[0]).toMatchObject({
      status: 'failed',
      error: { status: 409, code: 'ALREADY_EXISTS', details: [{ path: 'memberId' }] },
    });
  });

  it('refuses a batch over 200 rows, or a malformed one, with 400 and writes nothing', async () => {
    const count = await membersToday();
    const rows = Array.from({ length: 201 }, (_, i) => ({ key: `big:${i}`, email: `big${i}@example.com` }));
    const big = await send(rows);
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('VALIDATION_FAILED');
    expect(big.body.error.details[0].path).toBe('body.rows');

    for (const body of [{ rows: [] }, { rows: [{ email: 'nokey@example.com' }] }, { rows: 'x' }, { rows: [{ key: 'k:1' }], extra: 1 }]) {
      const res = await club.api('POST', '/v1/admin/imports/members', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const malformed = await club.api('POST', '/v1/admin/imports/members', '{"rows": [', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('MALFORMED_JSON');

    expect(await membersToday()).toBe(count);
    const big0 = await club.api('GET', '/v1/members?email=big0%40example.com');
    expect(big0.body.items).toEqual([]);
  });

  it('stops taking rows when told to (the function nearly out of time) and answers the rest not-attempted', async () => {
    // Two rows imported before: in this batch they fail the transaction's condition and are left to go alone.
    const before = await importMembers(
      wiring().club,
      [0, 1].map((i) => ({ key: `late:${i}`, email: `late${i}@example.com` })),
      { actor: 'test', concurrency: 1, shouldStop: () => false },
    );
    expect(before.map((r) => r.status)).toEqual(['created', 'created']);
    let asked = 0;
    const rows = Array.from({ length: 5 }, (_, i) => ({ key: `late:${i}`, email: `late${i}@example.com` }));
    // Asked before the batch and before its one transaction (the two rows imported before are found first and
    // left out of it); then it says stop, before those two go alone.
    const results = await importMembers(wiring().club, rows, { actor: 'test', concurrency: 1, shouldStop: () => ++asked > 2 });
    expect(results.map((r) => r.status)).toEqual(['not-attempted', 'not-attempted', 'created', 'created', 'created']);

    asked = 0;
    const stopped = await importMembers(
      wiring().club,
      [5, 6].map((i) => ({ key: `late:${i}`, email: `late${i}@example.com` })),
      { actor: 'test', concurrency: 1, shouldStop: () => ++asked > 1 },
    );
    expect(stopped.map((r) => r.status)).toEqual(['not-attempted', 'not-attempted']);
    const late5 = await club.api('GET', '/v1/members?email=late5%40example.com');
    expect(late5.body.items).toEqual([]);
  });
});

describe('several members per transaction', () => {
  const summary = async () => {
    const res = await club.api('GET', `/v1/reports/summary?from=${today()}&to=${today()}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { members: res.body.newMembers as number, adjusted: res.body.pointsAdjusted as number };
  };
  const byEmail = async (email: string) => {
    const res = await club.api('GET', `/v1/members?email=${encodeURIComponent(email)}`);
    expect(res.status).toBe(200);
    return res.body.items as { memberId: string; balance: number }[];
  };
  // As the CLI does: rows answered not-attempted (the request ran out of time on a loaded machine) are sent again.
  const sendAll = async (batch: { key: string }[]) => {
    const answers = new Map<string, { status: string }>();
    let pending = batch;
    while (pending.length > 0) {
      const res = await send(pending);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      for (const r of res.body.results) if (r.status !== 'not-attempted') answers.set(r.key, r);
      pending = pending.filter((r) => !answers.has(r.key));
    }
    return batch.map((r) => answers.get(r.key)!) as any[];
  };
  // 40 rows of 5–6 items each: more than one transaction of at most 100 items.
  const rows = Array.from({ length: 40 }, (_, i) => ({
    key: `tx:${i}`,
    email: i === 31 ? 'tx3@example.com' : `tx${i}@example.com`,
    name: `Customer Number${i}`,
    ...(i % 2 === 0 && { points: 10 }),
  }));
  rows[17] = { ...rows[17]!, email: 'held-by-another@example.com' };

  it("imports the others when one row's claim is taken (409 for it alone) and counts exactly what was imported", async () => {
    const holder = await club.api('POST', '/v1/members', { email: 'held-by-another@example.com' });
    expect(holder.status).toBe(201);
    const before = await summary();
    const res = await send(rows);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const statuses = res.body.results.map((r: { status: string }) => r.status);
    // Row 17's email is another member's; row 31 repeats row 3's email (the first in the file wins).
    expect(statuses).toEqual(rows.map((_, i) => (i === 17 || i === 31 ? 'failed' : 'created')));
    for (const i of [17, 31])
      expect(res.body.results[i].error).toMatchObject({ status: 409, code: 'ALREADY_EXISTS', details: [{ path: 'email' }] });
    expect(await byEmail('held-by-another@example.com')).toEqual([expect.objectContaining({ memberId: holder.body.memberId })]);
    expect(await byEmail('tx3@example.com')).toEqual([expect.objectContaining({ memberId: res.body.results[3].memberId })]);
    // 38 members; opening balances of 10 on the 20 even rows (17 and 31 are odd): 200 points.
    expect(await summary()).toEqual({ members: before.members + 38, adjusted: before.adjusted + 200 });
    expect(await byEmail('tx2@example.com')).toEqual([expect.objectContaining({ balance: 10 })]);
    expect((await ledger(res.body.results[2].memberId)).map((e) => [e.points, e.reason])).toEqual([[10, 'opening balance']]);
    const found = await club.api('GET', `/v1/members?name=${encodeURIComponent('customer number25')}`);
    expect(found.body.items.map((m: { memberId: string }) => m.memberId)).toEqual([res.body.results[25].memberId]);
    expect(await listed()).toEqual(expect.arrayContaining([res.body.results[0].memberId, res.body.results[39].memberId]));
  });

  it('adds nothing when the same rows come again', async () => {
    const before = await summary();
    const results = await sendAll(rows);
    expect(results.map((r) => r.status)).toEqual(rows.map((_, i) => (i === 17 || i === 31 ? 'failed' : 'existing')));
    expect(results[2]).toMatchObject({ openingBalance: 10 });
    expect(await summary()).toEqual(before);
    expect(await ledger(results[2].memberId)).toHaveLength(1);
  });

  it('writes a dozen new members in one transaction (DynamoDB takes up to 100 items): one BatchGet, one TransactWriteItems', async () => {
    // 6 items a row (the member, its email claim, the member list entry, 2 name index entries,
    // the opening entry): 72, plus a counter update per counter shard the rows fall in (at most 8).
    const dozen = Array.from({ length: 12 }, (_, i) => ({
      key: `one-tx:${i}`,
      email: `onetx${i}@example.com`,
      name: `Dozen Row${i}`,
      points: 3,
    }));
    const res = await send(dozen);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(dozen.map(() => 'created'));
    // The BatchGet of the member keys, the one transaction, and the program's read unless it is cached
    // (with 50 items a transaction, as before: two transactions, 4 calls).
    const calls = Number(/calls=(\d+)/.exec(res.headers['x-loyalty-capacity'] ?? '')?.[1]);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(3);
  });

  it('enrols each customer once when imports of overlapping rows run at the same time', async () => {
    const before = await summary();
    // Two files with the same 20 customers among others, each sent twice at once.
    const a = Array.from({ length: 30 }, (_, i) => ({ key: `fa:${i}`, email: `both${i}@example.com`, points: 5 }));
    const b = Array.from({ length: 30 }, (_, i) => ({ key: `fb:${i}`, email: `both${i + 10}@example.com`, points: 5 }));
    const answers = await Promise.all([sendAll(a), sendAll(b), sendAll(a), sendAll(b)]);
    for (let i = 0; i < 40; i++) {
      const members = await byEmail(`both${i}@example.com`);
      expect(members, `both${i}`).toHaveLength(1);
      expect(members[0]!.balance).toBe(5);
    }
    const created = answers.flat().filter((r) => r.status === 'created');
    expect(created).toHaveLength(40);
    expect(await summary()).toEqual({ members: before.members + 40, adjusted: before.adjusted + 200 });
  });
});
