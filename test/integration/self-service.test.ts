/**
 * A member looks after themselves through their portal token: their profile
 * (PATCH /v1/me), their message consent (/v1/me/notifications) and, without any
 * session, the one-click opt-out link every message carries.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxSender } from '../../local/outbox';
import type { DomainEvent } from '../../shared/events/events';
import { flushDeferred, notify, type NotifierDeps } from '../../shared/notify/notifier';
import { issueOptOutToken } from '../../shared/portal/opt-out';
import { wiring } from '../../shared/wiring';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, uniqueId } from '../support/ledger';
import { portalLink } from '../support/pages';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
  const current = await club.api('GET', '/v1/admin/program');
  const res = await club.api('PUT', '/v1/admin/program', {
    expectedVersion: current.body.version,
    bonuses: { signUp: 0, firstPurchase: 0, profileCompletion: 30, birthday: 0, referral: { referrer: 0, referred: 0 } },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
});
afterAll(() => club?.stop());

const me = (token: string, method: string, path = '', body?: unknown) =>
  club.api(method, `/v1/me${path}`, body, { authorization: `Bearer ${token}` });

const phone = () => `+98912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
const email = () => `${uniqueId('e')}@example.com`;

async function enrolWithLink(body: Record<string, unknown> = {}) {
  const memberId = uniqueId('m');
  const res = await club.api('POST', '/v1/members', { memberId, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { memberId, token: (await portalLink(club, memberId)).token };
}

describe('PATCH /v1/me', () => {
  it('keeps name, birthday and language; completing the profile pays the profile bonus once', async () => {
    const { memberId, token } = await enrolWithLink({ email: email(), phone: phone() });
    const before = await me(token, 'GET');
    expect(before.body.profile).toMatchObject({ complete: false, missing: ['name', 'birthday'], bonusPoints: 30 });

    const first = await me(token, 'PATCH', '', { name: 'Sara', birthday: '1990-03-21', language: 'fa' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ name: 'Sara', balance: 30 });
    expect(first.body.profile).toMatchObject({ birthday: '1990-03-21', complete: true, missing: [] });

    // Edited again (and back): the bonus stays paid once.
    expect((await me(token, 'PATCH', '', { name: 'Sara K' })).body.balance).toBe(30);
    expect((await me(token, 'PATCH', '', { birthday: '--03-21' })).body.balance).toBe(30);
    const ledger = await club.api('GET', `/v1/members/${memberId}/ledger`);
    expect(ledger.body.items.map((e: { type: string; points: number; reason?: string }) => [e.type, e.points, e.reason])).toEqual([
      ['bonus', 30, 'profile completion bonus'],
    ]);
    expect(await expectBalanceMatchesLedger(club, memberId)).toBe(30);

    const staffView = await club.api('GET', `/v1/members/${memberId}`);
    expect(staffView.body).toMatchObject({ name: 'Sara K', birthday: '--03-21' });
    expect((await me(token, 'GET', '/notifications')).body.language).toBe('fa');
  });

  it("refuses another member's email with 409 and keeps a new one only after its code (test/integration/contact-change.test.ts)", async () => {
    const taken = email();
    await enrolWithLink({ email: taken });
    const mine = email();
    const { memberId, token } = await enrolWithLink({ email: mine, name: 'Ali' });

    const clash = await me(token, 'PATCH', '', { email: taken.toUpperCase(), name: 'Not written' });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'ALREADY_EXISTS', details: [{ path: 'email' }] });

    const unverified = await me(token, 'PATCH', '', { email: email() });
    expect(unverified.status).toBe(202);
    expect(unverified.body.verification).toMatchObject({ channel: 'email' });

    expect((await club.api('GET', `/v1/members/${memberId}`)).body).toMatchObject({ email: mine, name: 'Ali' });
    // The email they already have is no change.
    const same = await me(token, 'PATCH', '', { email: mine.toUpperCase(), name: 'Ali R' });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect((await club.api('GET', `/v1/members/${memberId}`)).body).toMatchObject({ email: mine, name: 'Ali R' });
  });

  it('answers 400 for fields a member cannot set or a bad birthday, and 401 without a token', async () => {
    const { token } = await enrolWithLink();
    expect((await me(token, 'PATCH', '', { tags: ['vip'] })).status).toBe(400);
    expect((await me(token, 'PATCH', '', { phone: 'not a phone' })).body.error.code).toBe('VALIDATION_FAILED');
    expect((await me(token, 'PATCH', '', { birthday: '1990-13-01' })).status).toBe(400);
    expect((await me(token, 'PATCH', '', {})).status).toBe(400);
    expect((await club.api('PATCH', '/v1/me', { name: 'x' }, { authorization: undefined })).status).toBe(401);
  });
});

describe('/v1/me/notifications', () => {
  it("answers as the staff route does, and a member's change is what staff read", async () => {
    const { memberId, token } = await enrolWithLink({ email: email() });
    const staff = () => club.api('GET', `/v1/members/${memberId}/notifications`);
    expect((await me(token, 'GET', '/notifications')).body).toEqual((await staff()).body);

    const put = await me(token, 'PUT', '/notifications', { marketing: true, channels: ['email'], language: 'en' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ memberId, marketing: true, transactional: true, channels: ['email'], language: 'en' });
    expect((await staff()).body).toEqual(put.body);
    expect((await me(token, 'GET', '/notifications')).body).toEqual(put.body);

    expect((await me(token, 'PUT', '/notifications', { marketing: 'yes' })).status).toBe(400);
    expect((await staff()).body).toEqual(put.body);
  });
});

describe('the one-click opt-out link in every message', () => {
  // Noon in the default program's zone: outside quiet hours, so each message goes at once.
  const NOON = new Date('2026-06-10T12:00:00Z');
  let dir: string;
  let n = 0;
  const deps = (at = NOON): NotifierDeps => {
    const w = wiring();
    const senders = { sms: new OutboxSender('sms', dir, () => {}), email: new OutboxSender('email', dir, () => {}) };
    return { ...w.notifier, now: () => at, senders };
  };
  const expiring = (memberId: string): DomainEvent => ({
    id: `expiring:${memberId}:${++n}`,
    type: 'points.expiring',
    version: 1,
    occurredAt: NOON.toISOString(),
    memberId,
    data: { points: 40, expiresAt: '2027-03-31T23:59:59.999Z' },
  });
  const outbox = async (to: string) =>
    (await readFile(join(dir, 'outbox.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((m) => m.to === to);
  const linkIn = (text: string) => /(http:\/\/\S+\/v1\/unsubscribe\?t=\S+)$/.exec(text)?.[1];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loyalty-self-service-'));
  });

  it('carries a signed link (and List-Unsubscribe on email) that stops that channel with one POST; the next message skips it', async () => {
    const mail = email();
    const tel = phone();
    const { memberId } = await enrolWithLink({ email: mail, phone: tel });
    expect((await club.api('PUT', `/v1/members/${memberId}/notifications`, { channels: ['email', 'sms'], language: 'en' })).status).toBe(
      200,
    );

    expect((await notify(deps(), [expiring(memberId)])).map((o) => [o.channel, o.status])).toEqual([['email', 'sent']]);
    const [sent] = await outbox(mail);
    const link = linkIn(sent.text);
    expect(link, sent.text).toBeDefined();
    expect(link!.startsWith(`${club.url}/v1/unsubscribe?t=`)).toBe(true);
    expect(sent.text).toContain('Stop these emails:');
    expect(sent.headers).toEqual({ 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });

    const path = link!.slice(club.url.length);
    // No session: the link alone. GET only asks, in the member's language; nothing changes.
    const page = await club.api('GET', path, undefined, { authorization: undefined });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('lang="en"');
    expect(page.text).toContain('Stop getting emails from the club?');
    expect((await club.api('GET', `/v1/members/${memberId}/notifications`)).body.channels).toEqual(['email', 'sms']);

    // RFC 8058: the mailbox POSTs List-Unsubscribe=One-Click to the link.
    const form = { authorization: undefined, 'content-type': 'application/x-www-form-urlencoded' };
    const done = await club.api('POST', path, 'List-Unsubscribe=One-Click', form);
    expect(done.status).toBe(200);
    expect(done.text).toContain("won't email you");
    expect((await club.api('GET', `/v1/members/${memberId}/notifications`)).body).toMatchObject({ channels: ['sms'], transactional: true });
    expect((await club.api('POST', path, 'List-Unsubscribe=One-Click', form)).status).toBe(200);

    // The next message goes by SMS, and the SMS carries its own link, in the member's language.
    expect((await notify(deps(), [expiring(memberId)])).map((o) => [o.channel, o.status])).toEqual([['sms', 'sent']]);
    expect(await outbox(mail)).toHaveLength(1);
    const [text] = await outbox(tel.replace(/[^+\d]/g, ''));
    expect(text.headers).toBeUndefined();
    const smsPath = linkIn(text.text)!.slice(club.url.length);
    expect((await club.api('POST', smsPath, 'List-Unsubscribe=One-Click', form)).status).toBe(200);

    // Both channels stopped: the automation skips the member, and says why.
    expect(await notify(deps(), [expiring(memberId)])).toEqual([
      expect.objectContaining({ status: 'skipped', reason: expect.stringMatching(/no channel/) }),
    ]);
  });

  it("a consent change on the member's own page stops the next automation message, and turning it on again resumes them", async () => {
    const mail = email();
    const { memberId, token } = await enrolWithLink({ email: mail });
    const off = await me(token, 'PUT', '/notifications', { transactional: false, channels: ['email'] });
    expect(off.status, JSON.stringify(off.body)).toBe(200);

    expect(await notify(deps(), [expiring(memberId)])).toEqual([
      expect.objectContaining({ memberId, status: 'skipped', reason: 'no consent to transactional messages' }),
    ]);
    expect(await outbox(mail)).toEqual([]);

    expect((await me(token, 'PUT', '/notifications', { transactional: true })).status).toBe(200);
    expect((await notify(deps(), [expiring(memberId)])).map((o) => [o.channel, o.status])).toEqual([['email', 'sent']]);
    expect(await outbox(mail)).toHaveLength(1);
  });

  it('a message held back by quiet hours does not go out on a channel the member stopped meanwhile', async () => {
    const mail = email();
    const { memberId, token } = await enrolWithLink({ email: mail });
    // 23:00 in the program's zone (UTC): inside the default quiet hours (21-9), so the email waits for the morning.
    const night = new Date('2026-06-10T23:00:00Z');
    const event = expiring(memberId);
    expect((await notify(deps(night), [event])).map((o) => [o.channel, o.status])).toEqual([['email', 'deferred']]);

    // Before the morning the member stops email on their page.
    expect((await me(token, 'PUT', '/notifications', { channels: ['sms'] })).status).toBe(200);
    await flushDeferred(deps(new Date('2026-06-11T09:30:00Z')));
    expect(await outbox(mail)).toEqual([]);
    // Its record says why, instead of staying deferred.
    expect(await wiring().notifier.automation.getMessage(memberId, event.id, 'email')).toMatchObject({
      status: 'skipped',
      reason: 'the member stopped email messages',
    });
  });

  it("can't be forged for another member or channel, and writes nothing when refused", async () => {
    const { memberId } = await enrolWithLink({ email: email(), phone: phone() });
    const before = (await club.api('GET', `/v1/members/${memberId}/notifications`)).body;
    const form = { authorization: undefined, 'content-type': 'application/x-www-form-urlencoded' };
    const theirs = issueOptOutToken('not-the-club-secret', { memberId, channel: 'email' });
    const mine = issueOptOutToken('not-the-club-secret', { memberId: 'someone-else', channel: 'email' });
    const swapped = `${Buffer.from(JSON.stringify({ m: memberId, c: 'email' })).toString('base64url')}.${mine.split('.')[1]}`;
    for (const t of [theirs, swapped, 'garbage']) {
      const res = await club.api('POST', `/v1/unsubscribe?t=${t}`, 'List-Unsubscribe=One-Click', form);
      expect(res.status, t).toBe(400);
      expect(res.body.error.code).toBe('OPT_OUT_LINK_INVALID');
      expect((await club.api('GET', `/v1/unsubscribe?t=${t}`, undefined, { authorization: undefined })).status).toBe(400);
    }
    expect((await club.api('POST', '/v1/unsubscribe', 'List-Unsubscribe=One-Click', form)).status).toBe(400);
    expect((await club.api('GET', `/v1/members/${memberId}/notifications`)).body).toEqual(before);
  });
});

describe('collecting before launch', () => {
  it("promises no points to a member the pilot doesn't cover: the page says when points start", async () => {
    const before = (await club.api('GET', '/v1/admin/program')).body;
    const saved = await club.api('PUT', '/v1/admin/program', {
      ...before,
      pilot: { enabled: true, tags: ['pilot'], memberIds: [], percent: 0, launchesAt: '2027-03-21' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    try {
      const { token } = await enrolWithLink({ email: email(), phone: phone() });
      const outside = await me(token, 'GET');
      expect(outside.body.collecting).toEqual({ launchesAt: '2027-03-21' });
      expect(outside.body.profile).toMatchObject({ complete: false, missing: ['name', 'birthday'], bonusPoints: 0 });
      // The profile is still collected; a retroactive launch pays its bonus (test/integration/program-earning.test.ts).
      const edited = await me(token, 'PATCH', '', { name: 'Nima', birthday: '1999-12-31' });
      expect(edited.body).toMatchObject({ balance: 0, profile: { complete: true } });

      const inPilot = await enrolWithLink({ email: email(), tags: ['pilot'] });
      const inside = await me(inPilot.token, 'GET');
      expect(inside.body.collecting).toBeNull();
      expect(inside.body.profile.bonusPoints).toBe(30);
    } finally {
      const now = (await club.api('GET', '/v1/admin/program')).body;
      expect((await club.api('PUT', '/v1/admin/program', { ...now, pilot: before.pilot })).status).toBe(200);
    }
  });
});
