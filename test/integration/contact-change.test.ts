/**
 * A member changes their own email or phone: PATCH /v1/me sends a one-time code to
 * the new address (read here from the local outbox), POST /v1/me/contact/verify
 * keeps it. Through the real HTTP path and DynamoDB Local.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventsAndNotifier } from '../../local/automations';
import { contactChangeCodeKey } from '../../shared/store/keys';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { portalLink } from '../support/pages';
import { programApi } from '../support/program';

let club: TestClub;
const dir = mkdtempSync(join(tmpdir(), 'contact-change-outbox-'));

beforeAll(async () => {
  club = await startTestClub({ services: [localEventsAndNotifier({ dir })] });
  await programApi(() => club).putProgram({ phoneRegion: 'IR' });
});
afterAll(() => club?.stop());

const me = (token: string, method: string, path = '', body?: unknown) =>
  club.api(method, `/v1/me${path}`, body, { authorization: `Bearer ${token}` });
const verify = (token: string, body: unknown) => me(token, 'POST', '/contact/verify', body);

let phones = 0;
const uniquePhone = () =>
  `+98912${String((Date.now() % 100_000) * 10 + phones++)
    .slice(-7)
    .padStart(7, '0')}`;
const uniqueEmail = () => `${uniqueId('c')}@example.com`.toLowerCase();

async function enrolWithLink(body: Record<string, unknown>) {
  const res = await club.api('POST', '/v1/members', { name: 'Sara', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { memberId: res.body.memberId as string, token: (await portalLink(club, res.body.memberId)).token };
}

async function outbox(to: string): Promise<{ channel: string; to: string; subject: string; text: string }[]> {
  const text = await readFile(join(dir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((l) => l.to === to);
}
async function codeSentTo(to: string): Promise<string> {
  const text = (await outbox(to)).at(-1)?.text ?? '';
  const code = /\b(\d{6})\b/.exec(text.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d))))?.[1];
  if (!code) throw new Error(`no code in the outbox for ${to}: ${text}`);
  return code;
}
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const staffView = async (memberId: string) => (await club.api('GET', `/v1/members/${memberId}`)).body;

describe('a new email, confirmed by a code', () => {
  it('sends a code to the new email, keeps the old until the code comes back, then moves the claim', async () => {
    const old = uniqueEmail();
    const { memberId, token } = await enrolWithLink({ email: old });
    const next = uniqueEmail();

    const asked = await me(token, 'PATCH', '', { email: next.toUpperCase(), name: 'Sara K' });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    const masked = `${next[0]}***@example.com`;
    expect(asked.body).toEqual({ verification: { channel: 'email', sentTo: masked } });
    const [mail] = await outbox(next);
    expect(mail).toMatchObject({ channel: 'email', subject: 'Confirm your new contact' });
    expect(await outbox(old)).toEqual([]);
    // Not kept yet; the other field is.
    expect(await staffView(memberId)).toMatchObject({ email: old, name: 'Sara K' });

    const done = await verify(token, { email: next, code: await codeSentTo(next) });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.profile).toMatchObject({ email: next });
    expect(await staffView(memberId)).toMatchObject({ email: next });
    // The claims moved: the new email finds the member, the old one is free for another.
    expect(
      (await club.api('GET', `/v1/members?email=${encodeURIComponent(next)}`)).body.items.map((m: { memberId: string }) => m.memberId),
    ).toEqual([memberId]);
    expect((await club.api('POST', '/v1/members', { email: old })).status).toBe(201);
  });

  it("refuses another member's email with 409 before any code is sent, writing nothing", async () => {
    const taken = uniqueEmail();
    await enrolWithLink({ email: taken });
    const mine = uniqueEmail();
    const { memberId, token } = await enrolWithLink({ email: mine, name: 'Ali' });
    const clash = await me(token, 'PATCH', '', { email: taken.toUpperCase(), name: 'Not written' });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'ALREADY_EXISTS', details: [{ path: 'email' }] });
    expect(await outbox(taken)).toEqual([]);
    expect(await staffView(memberId)).toMatchObject({ email: mine, name: 'Ali' });
    // The email they already have is no change: 200, nothing sent.
    const same = await me(token, 'PATCH', '', { email: mine.toUpperCase(), name: 'Ali R' });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    expect(await outbox(mine)).toEqual([]);
    expect(await staffView(memberId)).toMatchObject({ email: mine, name: 'Ali R' });
  });

  it('refuses a wrong code (400 CONTACT_CODE_INVALID), and a used or expired one, changing nothing', async () => {
    const old = uniqueEmail();
    const { memberId, token } = await enrolWithLink({ email: old });
    const next = uniqueEmail();
    expect((await me(token, 'PATCH', '', { email: next })).status).toBe(202);
    const code = await codeSentTo(next);

    const wrong = await verify(token, { email: next, code: otherCode(code) });
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'CONTACT_CODE_INVALID']);
    expect(await staffView(memberId)).toMatchObject({ email: old });
    // A code for another address than the one it went to is no code.
    expect((await verify(token, { email: uniqueEmail(), code })).body.error.code).toBe('CONTACT_CODE_INVALID');
    // Another member can't use it for themselves: the code is the member's own.
    const other = await enrolWithLink({ email: uniqueEmail() });
    expect((await verify(other.token, { email: next, code })).body.error.code).toBe('CONTACT_CODE_INVALID');
    // Nor does it sign anyone in.
    expect((await club.api('POST', '/v1/portal/verify', { email: next, code })).status).toBe(401);

    expect((await verify(token, { email: next, code })).status).toBe(200);
    const again = await verify(token, { email: next, code });
    expect([again.status, again.body.error.code]).toEqual([400, 'CONTACT_CODE_INVALID']);

    const later = uniqueEmail();
    expect((await me(token, 'PATCH', '', { email: later })).status).toBe(202);
    const lateCode = await codeSentTo(later);
    // As if 10 minutes had passed: DynamoDB removes expired items lazily, so the item is still there.
    await club.client.send(
      new UpdateCommand({
        TableName: club.tableName,
        Key: contactChangeCodeKey('email', later, memberId),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    const expired = await verify(token, { email: later, code: lateCode });
    expect([expired.status, expired.body.error.code]).toEqual([400, 'CONTACT_CODE_INVALID']);
    expect(await staffView(memberId)).toMatchObject({ email: next });
  });
});

describe('a new phone, confirmed by a code', () => {
  it("normalises the phone, sends the code by SMS and keeps it once confirmed; refuses numbers outside the program's region", async () => {
    const old = uniquePhone();
    const { memberId, token } = await enrolWithLink({ phone: old });
    const next = uniquePhone();
    const national = `0${next.slice(3)}`;

    const asked = await me(token, 'PATCH', '', { phone: national });
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    expect(asked.body).toEqual({ verification: { channel: 'phone', sentTo: `+98912*****${next.slice(-2)}` } });
    expect((await outbox(next))[0]).toMatchObject({ channel: 'sms' });
    expect((await staffView(memberId)).phone).toBe(old);

    const done = await verify(token, { phone: national, code: await codeSentTo(next) });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await staffView(memberId)).phone).toBe(next);

    const german = await me(token, 'PATCH', '', { phone: '+49 30 901820', name: 'Not written' });
    expect([german.status, german.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(german.body.error.details[0].path).toBe('body.phone');
    const notAPhone = await me(token, 'PATCH', '', { phone: 'abc' });
    expect([notAPhone.status, notAPhone.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const both = await me(token, 'PATCH', '', { phone: uniquePhone(), email: uniqueEmail() });
    expect(both.status).toBe(400);
    expect(await staffView(memberId)).toMatchObject({ phone: next, name: 'Sara' });

    const taken = uniquePhone();
    await enrolWithLink({ phone: taken });
    const clash = await me(token, 'PATCH', '', { phone: taken });
    expect([clash.status, clash.body.error.code]).toEqual([409, 'ALREADY_EXISTS']);
    expect(await outbox(taken)).toEqual([]);
  });
});

describe('completing the profile with a confirmed address', () => {
  it('pays the profile bonus when the code that keeps the last missing field comes back, and once', async () => {
    await programApi(() => club).putProgram({ phoneRegion: 'IR', bonuses: { profileCompletion: 12 } });
    try {
      const { memberId, token } = await enrolWithLink({ email: uniqueEmail(), birthday: '1990-03-21' });
      expect((await me(token, 'GET')).body.profile).toMatchObject({ missing: ['phone'], bonusPoints: 12 });
      const next = uniquePhone();
      expect((await me(token, 'PATCH', '', { phone: next })).status).toBe(202);
      // Asked for, not yet kept: no bonus.
      expect((await staffView(memberId)).balance).toBe(0);

      const done = await verify(token, { phone: next, code: await codeSentTo(next) });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ balance: 12, profile: { complete: true, bonusPoints: 0 } });
      const again = await me(token, 'PATCH', '', { name: 'Sara R' });
      expect(again.body.balance).toBe(12);
    } finally {
      await programApi(() => club).putProgram({ phoneRegion: 'IR' });
    }
  });
});
