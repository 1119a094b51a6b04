/**
 * Collecting before launch: the reports say how many members joined (per day in the
 * series), how many profiles are complete and their share, from the counters the
 * enrolment and the profile edit update in their own transactions; and how many
 * consent to offers by SMS and by email, from the counters every save of message
 * preferences moves in its own. A fresh club (its own table), so every figure is
 * known by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueOptOutToken } from '../../shared/portal/opt-out';
import { portalSecret } from '../../shared/portal/secret';
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

describe('collecting before launch: consent to SMS, to email and to offers', () => {
  const consent = async () => {
    const s = await summary();
    return {
      members: s.members,
      sms: [s.smsConsent, s.smsConsentRate],
      email: [s.emailConsent, s.emailConsentRate],
      offers: [s.offersConsent, s.offersConsentRate],
    };
  };
  const staffPut = async (memberId: string, body: Record<string, unknown>) => {
    const res = await club.api('PUT', `/v1/members/${memberId}/notifications`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  it('counts consent given on the member page, set by staff, withdrawn by the opt-out link, and the same save twice once', async () => {
    // The club of the test above: 4 members who never chose, so all allow SMS and email (the defaults), none takes offers.
    expect(await consent()).toEqual({ members: 4, sms: [4, 1], email: [4, 1], offers: [0, 0] });
    const a = await enrol({ email: email(), phone: phone() });
    const b = await enrol({ email: email(), phone: phone() });
    const c = await enrol({ email: email() });
    const d = await enrol({ phone: phone() });
    expect(await consent()).toEqual({ members: 8, sms: [8, 1], email: [8, 1], offers: [0, 0] });

    // The member takes offers on their page, and the same save is sent again: counted once.
    const { token } = await portalLink(club, a);
    for (let i = 0; i < 2; i++) {
      const mine = await club.api('PUT', '/v1/me/notifications', { marketing: true }, { authorization: `Bearer ${token}` });
      expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    }
    expect(await consent()).toEqual({ members: 8, sms: [8, 1], email: [8, 1], offers: [1, 0.125] });

    // Staff set b to email only with offers, twice the same; c declines email; a language change moves nothing.
    await staffPut(b, { marketing: true, channels: ['email'] });
    await staffPut(b, { marketing: true, channels: ['email'] });
    await staffPut(c, { channels: ['sms'] });
    await staffPut(a, { language: 'fa' });
    // SMS 7 of 8 (b declined), email 7 of 8 (c declined), offers 2 of 8 (a, b).
    expect(await consent()).toEqual({ members: 8, sms: [7, 0.875], email: [7, 0.875], offers: [2, 0.25] });

    // The one-click link stops SMS for a (email and offers stay); a second click changes nothing.
    const t = issueOptOutToken(await portalSecret(), { memberId: a, channel: 'sms' });
    const form = { authorization: undefined, 'content-type': 'application/x-www-form-urlencoded' };
    for (let i = 0; i < 2; i++) {
      const res = await club.api('POST', `/v1/unsubscribe?t=${t}`, 'List-Unsubscribe=One-Click', form);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    expect(await consent()).toEqual({ members: 8, sms: [6, 0.75], email: [7, 0.875], offers: [2, 0.25] });

    // Staff give c email back and withdraw b's offers.
    await staffPut(c, { channels: ['sms', 'email'] });
    await staffPut(b, { marketing: false });
    expect(await consent()).toEqual({ members: 8, sms: [6, 0.75], email: [8, 1], offers: [1, 0.125] });

    // The series carries the same figures per day.
    const series = await club.api(
      'GET',
      `/v1/reports/series?from=${today()}&to=${today()}&interval=day&metric=smsConsent,emailConsentRate,offersConsent,offersConsentRate`,
    );
    expect(series.status, JSON.stringify(series.body)).toBe(200);
    expect(series.body.items).toEqual([
      { from: today(), to: today(), smsConsent: 6, emailConsentRate: 1, offersConsent: 1, offersConsentRate: 0.125 },
    ]);

    // Concurrent saves on one member: each counts from what the other wrote, so the counters end where the preferences do.
    const saves = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        club.api(
          'PUT',
          `/v1/members/${d}/notifications`,
          i % 2 === 0 ? { marketing: true, channels: ['email'] } : { marketing: false, channels: ['sms'] },
        ),
      ),
    );
    expect(saves.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const final = (await club.api('GET', `/v1/members/${d}/notifications`)).body;
    // Either last save won: email-only with offers (SMS 5, email 8, offers 2) or SMS-only without (SMS 6, email 7, offers 1).
    expect(await consent()).toMatchObject(
      final.marketing ? { sms: [5, 0.625], email: [8, 1], offers: [2, 0.25] } : { sms: [6, 0.75], email: [7, 0.875], offers: [1, 0.125] },
    );
  });
});
