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
    let asked = 0;
    const rows = Array.from({ length: 5 }, (_, i) => ({ key: `late:${i}`, email: `late${i}@example.com` }));
    const results = await importMembers(wiring().club, rows, { actor: 'test', concurrency: 1, shouldStop: () => ++asked > 2 });
    expect(results.map((r) => r.status)).toEqual(['created', 'created', 'not-attempted', 'not-attempted', 'not-attempted']);
    const late3 = await club.api('GET', '/v1/members?email=late3%40example.com');
    expect(late3.body.items).toEqual([]);
  });
});
