/**
 * expire-points and expiry-reminders through HTTP with a controlled asOf: the
 * contract's expiry instant, FIFO-spent lots, reruns that change nothing,
 * reminders once per lot, and balance == sum(ledger) afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '../../shared/club/jobs';
import { startTestClub, type TestClub } from '../support/club';
import { jobHelpers } from '../support/jobs';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';
import { wiring } from '../../shared/wiring';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub({ services: [] });
});
afterAll(() => club?.stop());

const { newMember, earnAt } = jobHelpers(() => club);

const run = (job: string, asOf?: string, extra: Record<string, unknown> = {}) =>
  club.api('POST', `/v1/admin/jobs/${job}/run`, asOf === undefined ? extra : { asOf, ...extra });

const expireEntries = async (memberId: string) =>
  (await rawLedger(club.client, club.tableName, memberId)).filter((e) => e.type === 'expire');

describe('POST /v1/admin/jobs/{job}/run', () => {
  it('answers 404 for an unknown job, 400 for a bad asOf, 401 without the token', async () => {
    const unknown = await run('make-coffee', '2027-04-01T00:00:00Z');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('JOB_NOT_FOUND');
    for (const asOf of ['yesterday', '2027-13-01T00:00:00Z', 12]) {
      const bad = await club.api('POST', '/v1/admin/jobs/expire-points/run', { asOf });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details[0].path).toBe('body.asOf');
    }
    const noAuth = await club.api('POST', '/v1/admin/jobs/expire-points/run', {}, { authorization: undefined });
    expect(noAuth.status).toBe(401);
    const badContinuation = await run('expire-points', '2027-04-01T00:00:00Z', { continuation: 'nonsense' });
    expect(badContinuation.status).toBe(400);
  });

  it('runs without a body, as of now', async () => {
    const res = await club.api('POST', '/v1/admin/jobs/expiry-reminders/run');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ job: 'expiry-reminders', processed: expect.any(Number), complete: true });
  });
});

describe('expire-points', () => {
  it("expires the contract's case at 2027-03-31T23:59:59.999Z, not a millisecond before, once", async () => {
    const m = await newMember();
    await earnAt(m, '100', '2026-03-14T10:00:00Z');
    await earnAt(m, '40', '2026-05-02T10:00:00Z');

    const early = await run('expire-points', '2027-03-31T23:59:59.998Z');
    expect(early.status).toBe(200);
    expect(await expireEntries(m)).toEqual([]);
    expect((await club.api('GET', `/v1/members/${m}`)).body.balance).toBe(140);

    const due = await run('expire-points', '2027-04-01T00:00:00Z');
    expect(due.status).toBe(200);
    expect(due.body).toMatchObject({ job: 'expire-points', asOf: '2027-04-01T00:00:00.000Z', complete: true, failed: 0 });
    expect(due.body.processed).toBeGreaterThanOrEqual(1);
    const entries = await expireEntries(m);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ points: -100, balanceAfter: 40, lots: [{ expiresAt: '2027-03-31T23:59:59.999Z', points: 100 }] });
    const member = (await club.api('GET', `/v1/members/${m}`)).body;
    expect(member.balance).toBe(40);
    expect(member.expiring).toEqual([{ points: 40, expiresAt: '2027-05-31T23:59:59.999Z' }]);

    const again = await run('expire-points', '2027-04-01T00:00:00Z');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ processed: 0, lotsExpired: 0, pointsExpired: 0 });
    expect(await expireEntries(m)).toHaveLength(1);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(40);

    const ledger = await club.api('GET', `/v1/members/${m}/ledger`);
    expect(ledger.body.items[0]).toMatchObject({ type: 'expire', points: -100, balanceAfter: 40 });
  });

  it('expires what is left of partly spent lots, oldest spent first, one entry per lot', async () => {
    const m = await newMember();
    await earnAt(m, '50', '2025-01-10T10:00:00Z'); // expires 2026-01-31
    await earnAt(m, '30', '2025-02-10T10:00:00Z'); // expires 2026-02-28
    await earnAt(m, '20', '2025-09-10T10:00:00Z'); // expires 2026-09-30
    const spend = await club.api('POST', '/v1/redeem', { memberId: m, points: 60, idempotencyKey: uniqueId('k') });
    expect(spend.status).toBe(200);
    // FIFO: the January lot is gone, February keeps 20, September 20.

    const res = await run('expire-points', '2026-03-01T00:00:00Z');
    expect(res.status).toBe(200);
    const entries = await expireEntries(m);
    expect(entries.map((e) => [e.points, e.lots[0].expiresAt])).toEqual([[-20, '2026-02-28T23:59:59.999Z']]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(20);

    await run('expire-points', '2026-10-01T00:00:00Z');
    await run('expire-points', '2026-10-01T00:00:00Z');
    expect((await expireEntries(m)).map((e) => e.points)).toEqual([-20, -20]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
    const member = (await club.api('GET', `/v1/members/${m}`)).body;
    expect(member.expiring).toEqual([]);
  });

  it('expires several due lots of one member with one entry each, in a single run', async () => {
    const m = await newMember();
    await earnAt(m, '11', '2024-03-03T10:00:00Z');
    await earnAt(m, '12', '2024-04-03T10:00:00Z');
    await earnAt(m, '13', '2024-06-03T10:00:00Z');
    const res = await run('expire-points', '2025-06-01T00:00:00Z');
    expect(res.status).toBe(200);
    expect((await expireEntries(m)).map((e) => e.points).sort()).toEqual([-11, -12]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(13);
  });

  it('leaves a member in debt alone: no lots, nothing to expire', async () => {
    const m = await newMember();
    const orderId = uniqueId('o');
    await earnAt(m, '30', '2023-05-05T00:00:00Z', orderId);
    await club.api('POST', '/v1/redeem', { memberId: m, points: 30, idempotencyKey: uniqueId('k') });
    const refund = await club.api('POST', '/v1/refunds', { memberId: m, orderId, refundId: 'r1', amount: '30', currency: 'USD' });
    expect(refund.body.balance).toBe(-30);
    await run('expire-points', '2024-07-01T00:00:00Z');
    expect(await expireEntries(m)).toEqual([]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(-30);
  });

  it('expires an order reported after its month already expired, with a second entry for the same expiry', async () => {
    const m = await newMember();
    await earnAt(m, '10', '2026-03-14T10:00:00Z');
    await run('expire-points', '2027-04-01T00:00:00Z');
    // An order paid in March 2026 arrives late: its lot expires at the instant already expired.
    await earnAt(m, '4', '2026-03-20T10:00:00Z');
    await run('expire-points', '2027-04-02T00:00:00Z');
    await run('expire-points', '2027-04-02T00:00:00Z');
    expect((await expireEntries(m)).map((e) => [e.points, e.sk])).toEqual([
      [-10, 'EXPIRE#2027-03-31T23:59:59.999Z'],
      [-4, expect.stringMatching(/^EXPIRE#2027-03-31T23:59:59.999Z#\d+$/)],
    ]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
  });

  it('stops inside a page of slow members when the budget runs out, and the continuation resumes right there', async () => {
    const members = await Promise.all(Array.from({ length: 20 }, () => newMember()));
    for (const m of members) await earnAt(m, '3', '2021-02-02T00:00:00Z');
    const asOf = new Date('2022-03-01T00:00:00Z');
    const deps = wiring().jobs;
    // The budget runs out after 3 expiries, well inside the one page (100) that holds all 20 members.
    let commits = 0;
    const store = new Proxy(deps.store, {
      get(target, prop, receiver) {
        if (prop === 'commitBalanceChange') {
          return async (...args: Parameters<typeof target.commitBalanceChange>) => {
            commits += 1;
            return target.commitBalanceChange(...args);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const first = await runJob({ ...deps, store }, 'expire-points', { asOf, shouldStop: () => commits >= 3 });
    expect(first.complete).toBe(false);
    expect(first.continuation).toEqual(expect.any(String));
    // Members already started finish (at most 8 run at once): 3 to 3 + 7.
    expect(first.processed).toBeGreaterThanOrEqual(3);
    expect(first.processed).toBeLessThanOrEqual(10);
    expect(first.examined).toBe(first.processed);

    const rest = await runJob(deps, 'expire-points', { asOf, continuation: first.continuation });
    expect(rest).toMatchObject({ complete: true, failed: 0 });
    // Resumed after the last member started, not from the page's start: nobody is read twice, nobody is left.
    expect(first.examined + rest.examined).toBe(20);
    expect(first.processed + rest.processed).toBe(20);
    for (const m of members) {
      expect((await expireEntries(m)).map((e) => e.points)).toEqual([-3]);
      expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
    }
  });

  it('finishes a run that died midway, or continues one that stopped, without doubling anything', async () => {
    const members = await Promise.all(Array.from({ length: 7 }, () => newMember()));
    for (const m of members) await earnAt(m, '9', '2022-08-08T00:00:00Z');
    const asOf = new Date('2023-09-01T00:00:00Z');
    const deps = wiring().jobs;

    // A run that stops after two pages of two (a Lambda out of time) hands back a continuation...
    let seen = 0;
    const automation = new Proxy(deps.automation, {
      get(target, prop, receiver) {
        if (prop === 'membersPage') {
          return async (...args: Parameters<typeof target.membersPage>) => {
            const page = await target.membersPage(...args);
            seen += page.memberIds.length;
            return page;
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    // (the budget is asked before each member as well: it runs out once the third page is read)
    const stopped = await runJob({ ...deps, automation }, 'expire-points', { asOf, pageSize: 2, shouldStop: () => seen > 4 });
    expect(stopped).toMatchObject({ complete: false, processed: 4 });
    expect(stopped.continuation).toEqual(expect.any(String));
    // ...and one that dies on its 2nd write fails that member and goes on.
    let commits = 0;
    const store = new Proxy(deps.store, {
      get(target, prop, receiver) {
        if (prop === 'commitBalanceChange') {
          return async (...args: Parameters<typeof target.commitBalanceChange>) => {
            if (++commits === 2) throw new Error('the Lambda died here');
            return target.commitBalanceChange(...args);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const dying = await runJob({ ...deps, store }, 'expire-points', { asOf, continuation: stopped.continuation, pageSize: 2 });
    expect(dying).toMatchObject({ complete: true, processed: 2, failed: 1 });

    // The scheduled retry (same asOf, from the start) finishes the one left and doubles nothing.
    const retry = await run('expire-points', asOf.toISOString());
    expect(retry.body).toMatchObject({ processed: 1, failed: 0, lotsExpired: 1, pointsExpired: 9 });
    const rerun = await run('expire-points', asOf.toISOString());
    expect(rerun.body).toMatchObject({ processed: 0, lotsExpired: 0 });
    for (const m of members) {
      expect((await expireEntries(m)).map((e) => e.points)).toEqual([-9]);
      expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
    }
  });
});
