/**
 * Collecting before launch: the reports say how many members joined (per day in the
 * series), how many profiles are complete and their share, from the counters the
 * enrolment and the profile edit update in their own transactions. A fresh club (its
 * own table), so every figure is known by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { portalLink } from '../support/pages';
import { uniqueId } from '../support/ledger';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());

const today = () => new Date().toISOString().slice(0, 10);
const summary = async () => (await club.api('GET', `/v1/reports/summary?from=${today()}&to=${today()}`)).body;
const phone = () => `+98912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const email = () => `${uniqueId('p')}@example.com`;

async function enrol(body: Record<string, unknown>): Promise<string> {
  const res = await club.api('POST', '/v1/members', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.memberId;
}
async function patch(memberId: string, body: Record<string, unknown>) {
  const res = await club.api('PATCH', `/v1/members/${memberId}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('collecting before launch: members joined and profiles complete', () => {
  it('counts complete profiles as enrolments and edits (staff or the member) complete or break them', async () => {
    expect(await summary()).toMatchObject({ members: 0, profilesComplete: 0, profileCompleteRate: 0 });

    const full = await enrol({ email: email(), phone: phone(), name: 'Sara', birthday: '1990-03-21' });
    const partial = await enrol({ email: email() });
    const own = await enrol({ email: email(), phone: phone(), name: 'Ali' });
    await enrol({ phone: phone() });
    expect(await summary()).toMatchObject({ members: 4, newMembers: 4, profilesComplete: 1, profileCompleteRate: 0.25 });

    // Staff complete one; a rename of a complete profile changes nothing.
    await patch(partial, { phone: phone(), name: 'Mina', birthday: '--07-01' });
    await patch(full, { name: 'Sara K' });
    expect(await summary()).toMatchObject({ profilesComplete: 2, profileCompleteRate: 0.5 });

    // The member completes their own on their page.
    const { token } = await portalLink(club, own);
    const mine = await club.api('PATCH', '/v1/me', { birthday: '--01-30' }, { authorization: `Bearer ${token}` });
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(await summary()).toMatchObject({ profilesComplete: 3, profileCompleteRate: 0.75 });

    // A cleared birthday breaks a complete profile.
    await patch(full, { birthday: null });
    expect(await summary()).toMatchObject({ members: 4, profilesComplete: 2, profileCompleteRate: 0.5 });

    // Per day in the series; a day before anyone joined has none.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const series = await club.api(
      'GET',
      `/v1/reports/series?from=${yesterday}&to=${today()}&interval=day&metric=newMembers,members,profilesComplete,profileCompleteRate`,
    );
    expect(series.status, JSON.stringify(series.body)).toBe(200);
    expect(series.body.items).toEqual([
      { from: yesterday, to: yesterday, newMembers: 0, members: 0, profilesComplete: 0, profileCompleteRate: 0 },
      { from: today(), to: today(), newMembers: 4, members: 4, profilesComplete: 2, profileCompleteRate: 0.5 },
    ]);
  });
});
