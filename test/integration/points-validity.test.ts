/**
 * The program's points validity through HTTP against DynamoDB Local: each kind
 * dates the lots earned under it, lots keep the date they got when the setting
 * changes, and points that never expire are never expired, reminded of or
 * listed as expiring.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { jobHelpers } from '../support/jobs';
import { expectBalanceMatchesLedger, rawLedger } from '../support/ledger';
import { portalLink } from '../support/pages';
import { programApi } from '../support/program';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub({ services: [] });
});
afterAll(() => club?.stop());

const { newMember, earnAt } = jobHelpers(() => club);
const { putProgram } = programApi(() => club);
const read = async (memberId: string) => (await club.api('GET', `/v1/members/${memberId}`)).body;
const run = (job: string, asOf: string) => club.api('POST', `/v1/admin/jobs/${job}/run`, { asOf });

describe('points validity', () => {
  it('defaults to the end of the 12th month after the month earned', async () => {
    const program = (await club.api('GET', '/v1/admin/program')).body;
    expect(program.pointsValidity).toEqual({ kind: 'months', months: 12 });
  });

  it('refuses a validity that is not one of the kinds, or out of range', async () => {
    const current = await club.api('GET', '/v1/admin/program');
    for (const pointsValidity of [
      { kind: 'weeks', weeks: 2 },
      { kind: 'days', days: 0 },
      { kind: 'months' },
      { kind: 'months', months: 121 },
      { kind: 'end-of-year', years: -1 },
      'never',
    ]) {
      const res = await club.api('PUT', '/v1/admin/program', { pointsValidity }, { 'if-match': current.headers.etag });
      expect(res.status, JSON.stringify(pointsValidity)).toBe(400);
      expect(res.body.error.details[0].path, JSON.stringify(pointsValidity)).toMatch(/^body\.pointsValidity/);
    }
  });

  it('dates new lots by the setting in force; lots earned before a change keep their date', async () => {
    const m = await newMember();
    await earnAt(m, '100', '2026-03-14T10:00:00Z');
    expect((await read(m)).expiring).toEqual([{ points: 100, expiresAt: '2027-03-31T23:59:59.999Z' }]);

    await putProgram({ pointsValidity: { kind: 'days', days: 90 } });
    await earnAt(m, '10', '2026-03-14T10:00:00Z');
    await putProgram({ pointsValidity: { kind: 'end-of-year', years: 0 } });
    await earnAt(m, '5', '2026-03-20T10:00:00Z');
    await putProgram({ pointsValidity: { kind: 'months', months: 3 } });
    await earnAt(m, '3', '2026-03-20T10:00:00Z');
    expect((await read(m)).expiring).toEqual([
      { points: 10, expiresAt: '2026-06-12T23:59:59.999Z' }, // 14 March + 90 days = 12 June
      { points: 3, expiresAt: '2026-06-30T23:59:59.999Z' }, // the 3rd month after March
      { points: 5, expiresAt: '2026-12-31T23:59:59.999Z' },
      { points: 100, expiresAt: '2027-03-31T23:59:59.999Z' },
    ]);
    await putProgram({});
    expect(await expectBalanceMatchesLedger(club, m)).toBe(118);
  });

  it('"never": the lot has no date; the expiry job, the reminders and the expiring lists leave it alone', async () => {
    const m = await newMember();
    await earnAt(m, '100', '2026-04-14T10:00:00Z');
    await putProgram({ pointsValidity: { kind: 'never' } });
    await earnAt(m, '40', '2026-03-15T10:00:00Z');
    const only = await newMember();
    await earnAt(only, '25', '2026-03-15T10:00:00Z');
    await putProgram({});

    const member = await read(m);
    expect(member).toMatchObject({ balance: 140, pointsNeverExpiring: 40 });
    expect(member.expiring).toEqual([{ points: 100, expiresAt: '2027-04-30T23:59:59.999Z' }]);
    expect((await read(only)).expiring).toEqual([]);
    const view = (await club.api('GET', '/v1/me', undefined, { authorization: `Bearer ${(await portalLink(club, only)).token}` })).body;
    expect(view).toMatchObject({ balance: 25, expiring: [], expiringSoon: [] });

    // Reminded of, and expired, only the dated lot (the only one of this file due in that window).
    const reminders = await run('expiry-reminders', '2027-04-15T00:00:00Z');
    expect(reminders.body).toMatchObject({ failed: 0, reminders: 1, pointsExpiring: 100 });
    const expired = await run('expire-points', '2027-05-01T00:00:00Z');
    expect(expired.status).toBe(200);
    const again = await run('expire-points', '2028-12-31T23:59:59.999Z');
    expect(again.status).toBe(200);
    const entries = (await rawLedger(club.client, club.tableName, m)).filter((e) => e.type === 'expire');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ points: -100, lots: [{ expiresAt: '2027-04-30T23:59:59.999Z', points: 100 }] });
    expect((await rawLedger(club.client, club.tableName, only)).filter((e) => e.type === 'expire')).toEqual([]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(40);
    expect(await expectBalanceMatchesLedger(club, only)).toBe(25);
    expect((await read(m)).expiring).toEqual([]);
  });
});
