/**
 * Members sign in on their page with a one-time code: POST /v1/portal/sign-in then
 * /v1/portal/verify, through the real HTTP path, DynamoDB Local and the local
 * outbox. Each test calls from its own loopback address (127.0.0.N), so the
 * per-client limits of one test don't spill into another.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventsAndNotifier } from '../../local/automations';
import { rateWindowKey, signInCodeKey } from '../../shared/store/keys';
import { startTestClub, type ApiResponse, type TestClub } from '../support/club';
import { contractProblems } from '../support/contract';
import { uniqueId } from '../support/ledger';
import { programApi } from '../support/program';

let club: TestClub;
const dir = mkdtempSync(join(tmpdir(), 'sign-in-outbox-'));

beforeAll(async () => {
  club = await startTestClub({ services: [localEventsAndNotifier({ dir })] });
});
afterAll(() => club?.stop());

let nextClient = 10;
/** A caller of its own: requests leave from 127.0.0.N, the source IP the club counts per client. */
function client() {
  const localAddress = `127.0.0.${nextClient++}`;
  return (path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> =>
    new Promise((resolve, reject) => {
      const payload = JSON.stringify(body);
      const req = request(
        `${club.url}${path}`,
        { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const answer = {
              status: res.statusCode ?? 0,
              body: text ? JSON.parse(text) : null,
              text,
              headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])),
            };
            const problems = contractProblems('POST', path, answer);
            if (problems.length) reject(new Error(`the answer breaks docs/openapi.json:\n${problems.join('\n')}\n${text}`));
            else resolve(answer);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

async function member(fields: { phone?: string; email?: string }, language?: 'fa' | 'en'): Promise<string> {
  const res = await club.api('POST', '/v1/members', { name: 'Sara', ...fields });
  expect(res.status).toBe(201);
  if (language) expect((await club.api('PUT', `/v1/members/${res.body.memberId}/notifications`, { language })).status).toBe(200);
  return res.body.memberId;
}

interface OutboxLine {
  channel: string;
  to: string;
  subject: string;
  text: string;
}
async function outbox(to: string): Promise<OutboxLine[]> {
  const text = await readFile(join(dir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as OutboxLine)
    .filter((l) => l.to === to);
}
/** The code in the newest message to `to`, in ASCII digits. */
async function codeSentTo(to: string): Promise<string> {
  const lines = await outbox(to);
  const text = lines.at(-1)?.text ?? '';
  const ascii = text.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
  const code = /\b(\d{6})\b/.exec(ascii)?.[1];
  if (!code) throw new Error(`no code in the outbox for ${to}: ${text}`);
  return code;
}
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

let phones = 0;
const uniquePhone = () =>
  `+98912${String((Date.now() % 100_000) * 10 + phones++)
    .slice(-7)
    .padStart(7, '0')}`;
const uniqueEmail = () => `${uniqueId('m')}@example.com`.toLowerCase();

describe('sign-in', () => {
  it('answers 202 {} for a known and an unknown phone alike; only the member gets a code, in their language', async () => {
    const call = client();
    const phone = uniquePhone();
    await member({ phone }, 'fa');
    const unknown = uniquePhone();
    const known = await call('/v1/portal/sign-in', { phone });
    const nobody = await call('/v1/portal/sign-in', { phone: unknown });
    expect([known.status, known.text]).toEqual([202, '{}']);
    expect([nobody.status, nobody.text]).toEqual([202, '{}']);

    const [sms] = await outbox(phone);
    expect(sms?.channel).toBe('sms');
    // Persian words and digits for a member who reads Persian.
    expect(sms?.text).toContain('کد ورود');
    expect(sms?.text).toMatch(/[۰-۹]{6}/);
    expect(await outbox(unknown)).toEqual([]);

    // The code is kept hashed, with the table's TTL, for both addresses alike.
    const stored = (await club.client.send(new GetCommand({ TableName: club.tableName, Key: signInCodeKey('phone', phone) }))).Item!;
    const decoy = (await club.client.send(new GetCommand({ TableName: club.tableName, Key: signInCodeKey('phone', unknown) }))).Item!;
    expect(JSON.stringify(stored)).not.toContain(await codeSentTo(phone));
    expect(Object.keys(stored).sort()).toEqual([...Object.keys(decoy), 'memberId'].sort());
    expect(stored.ttl - Math.floor(Date.now() / 1000)).toBeGreaterThan(9 * 60);
    expect(stored.ttl - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(11 * 60);
    const ttl = await club.client.send(new DescribeTimeToLiveCommand({ TableName: club.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'ttl' });
  });

  it('verifies the right code once: a token every /v1/me route takes as Bearer', async () => {
    const call = client();
    const email = uniqueEmail();
    const memberId = await member({ email }, 'en');
    // Any case: emails are looked up as the member directory keeps them.
    expect((await call('/v1/portal/sign-in', { email: email.toUpperCase() })).status).toBe(202);
    const [mail] = await outbox(email);
    expect(mail).toMatchObject({ channel: 'email', subject: 'Your sign-in code' });
    const code = await codeSentTo(email);

    const verified = await call('/v1/portal/verify', { email, code });
    expect(verified.status).toBe(200);
    expect(Date.parse(verified.body.expiresAt)).toBeGreaterThan(Date.now());
    const me = await club.api('GET', '/v1/me', undefined, { authorization: `Bearer ${verified.body.token}` });
    expect(me.status).toBe(200);
    expect(me.body.memberId).toBe(memberId);

    const again = await call('/v1/portal/verify', { email, code });
    expect([again.status, again.body.error.code]).toEqual([401, 'SIGN_IN_CODE_INVALID']);
  });

  it('takes the code in Persian digits, and a phone in any form the program reads', async () => {
    const call = client();
    const phone = uniquePhone();
    const memberId = await member({ phone });
    expect((await call('/v1/portal/sign-in', { phone: `00${phone.slice(1)}` })).status).toBe(202);
    const persian = (await codeSentTo(phone)).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    const verified = await call('/v1/portal/verify', { phone: `+${phone.slice(1, 3)} ${phone.slice(3)}`, code: persian });
    expect(verified.status).toBe(200);
    const me = await club.api('GET', '/v1/me', undefined, { authorization: `Bearer ${verified.body.token}` });
    expect(me.body.memberId).toBe(memberId);
  });

  it('kills the code after 5 wrong tries, even for the right code; a new sign-in replaces it', async () => {
    const call = client();
    const phone = uniquePhone();
    await member({ phone });
    await call('/v1/portal/sign-in', { phone });
    const code = await codeSentTo(phone);
    for (let i = 0; i < 5; i++) {
      const wrong = await call('/v1/portal/verify', { phone, code: otherCode(code) });
      expect([wrong.status, wrong.body.error.code]).toEqual([401, 'SIGN_IN_CODE_INVALID']);
    }
    const dead = await call('/v1/portal/verify', { phone, code });
    expect([dead.status, dead.body.error.code]).toEqual([401, 'SIGN_IN_CODE_INVALID']);

    await call('/v1/portal/sign-in', { phone });
    const fresh = await codeSentTo(phone);
    expect((await call('/v1/portal/verify', { phone, code: fresh })).status).toBe(200);
  });

  it('takes only the newest code: a new sign-in makes the previous one useless', async () => {
    const call = client();
    const email = uniqueEmail();
    await member({ email });
    await call('/v1/portal/sign-in', { email });
    const first = await codeSentTo(email);
    await call('/v1/portal/sign-in', { email });
    const second = await codeSentTo(email);
    if (first !== second) expect((await call('/v1/portal/verify', { email, code: first })).status).toBe(401);
    expect((await call('/v1/portal/verify', { email, code: second })).status).toBe(200);
  });

  it('refuses an expired code, although TTL has not removed it yet', async () => {
    const call = client();
    const email = uniqueEmail();
    await member({ email });
    await call('/v1/portal/sign-in', { email });
    const code = await codeSentTo(email);
    // As if 10 minutes had passed: DynamoDB removes expired items lazily, so the item is still there.
    await club.client.send(
      new UpdateCommand({
        TableName: club.tableName,
        Key: signInCodeKey('email', email),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1000).toISOString() },
      }),
    );
    const res = await call('/v1/portal/verify', { email, code });
    expect([res.status, res.body.error.code]).toEqual([401, 'SIGN_IN_CODE_INVALID']);
  });

  it('answers a wrong code for nobody exactly as for a member', async () => {
    const call = client();
    const email = uniqueEmail();
    await member({ email });
    await call('/v1/portal/sign-in', { email });
    const nobody = uniqueEmail();
    await call('/v1/portal/sign-in', { email: nobody });
    const code = await codeSentTo(email);
    const forMember = await call('/v1/portal/verify', { email, code: otherCode(code) });
    const forNobody = await call('/v1/portal/verify', { email: nobody, code: otherCode(code) });
    const never = await call('/v1/portal/verify', { email: uniqueEmail(), code });
    expect([forMember.status, forNobody.status, never.status]).toEqual([401, 401, 401]);
    expect(forNobody.text).toBe(forMember.text);
    expect(never.text).toBe(forMember.text);
  });
});

describe('limits', () => {
  it('answers 429 with Retry-After after 5 sign-ins for one phone in the window', async () => {
    const call = client();
    const phone = uniquePhone();
    await member({ phone });
    for (let i = 0; i < 5; i++) expect((await call('/v1/portal/sign-in', { phone })).status).toBe(202);
    const flood = await call('/v1/portal/sign-in', { phone: `00${phone.slice(1)}` });
    expect([flood.status, flood.body.error.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
    const retry = Number(flood.headers['retry-after']);
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(15 * 60);
    // Another client is refused for that phone as well: the limit is the phone's.
    expect((await client()('/v1/portal/sign-in', { phone })).status).toBe(429);
    expect(await outbox(phone)).toHaveLength(5);
  });

  it('answers 429 after 20 sign-ins from one client, whatever the addresses', async () => {
    const call = client();
    const answers = await Promise.all(Array.from({ length: 20 }, () => call('/v1/portal/sign-in', { email: uniqueEmail() })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const flood = await call('/v1/portal/sign-in', { email: uniqueEmail() });
    expect([flood.status, flood.body.error.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
    expect(Number(flood.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Another client is not held back by this one.
    expect((await client()('/v1/portal/sign-in', { email: uniqueEmail() })).status).toBe(202);
  });

  it('limits code checks: 10 per phone or email in the window', async () => {
    const call = client();
    const email = uniqueEmail();
    for (let i = 0; i < 10; i++) expect((await call('/v1/portal/verify', { email, code: '123456' })).status).toBe(401);
    const flood = await call('/v1/portal/verify', { email, code: '123456' });
    expect([flood.status, flood.body.error.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
    expect(Number(flood.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('refuses a malformed phone or email with 400 and writes nothing', async () => {
    const call = client();
    const signInItems = async () =>
      (
        await club.client.send(
          new ScanCommand({
            TableName: club.tableName,
            FilterExpression: 'itemType IN (:a, :b)',
            ExpressionAttributeValues: { ':a': 'sign-in-code', ':b': 'rate-window' },
            ConsistentRead: true,
          }),
        )
      ).Items?.length ?? 0;
    const before = await signInItems();
    for (const body of [
      { phone: 'call me' },
      { phone: '12' },
      { email: 'not-an-email' },
      { phone: '+989121234567', email: 'a@example.com' },
      {},
    ]) {
      const res = await call('/v1/portal/sign-in', body);
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    for (const body of [
      { email: 'a@example.com', code: '12345' },
      { email: 'a@example.com', code: 'abcdef' },
      { phone: 'x', code: '123456' },
    ]) {
      const res = await call('/v1/portal/verify', body);
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(await signInItems()).toBe(before);
  });
});

describe('self-service enrolment (the program says enrolment.selfService)', () => {
  const program = programApi(() => club);
  const memberByEmail = async (email: string) => (await club.api('GET', `/v1/members?email=${encodeURIComponent(email)}`)).body.items;
  afterAll(async () => {
    await program.putProgram({ enrolment: { selfService: false } });
  });

  it('is off by default: a code for nobody is never sent, and verifying enrols no one', async () => {
    expect((await club.api('GET', '/v1/admin/program')).body.enrolment).toEqual({ selfService: false });
    const call = client();
    const email = uniqueEmail();
    expect((await call('/v1/portal/sign-in', { email })).status).toBe(202);
    expect(await outbox(email)).toEqual([]);
    expect((await call('/v1/portal/verify', { email, code: '000000' })).status).toBe(401);
    expect(await memberByEmail(email)).toEqual([]);
  });

  it('when on, sends a code to a new address and verifying it enrols the customer: sign-up bonus and referrer', async () => {
    await program.putProgram({ enrolment: { selfService: true }, bonuses: { signUp: 25, referral: { referrer: 10, referred: 5 } } });
    const referrer = await member({ email: uniqueEmail() });
    const referral = (await club.api('GET', `/v1/members/${referrer}/referral-code`)).body.code as string;
    const call = client();
    const email = uniqueEmail();
    expect((await call('/v1/portal/sign-in', { email })).text).toBe('{}');
    const code = await codeSentTo(email);

    const verified = await call('/v1/portal/verify', { email, code, referredBy: referral });
    expect(verified.status).toBe(200);
    const me = await club.api('GET', '/v1/me', undefined, { authorization: `Bearer ${verified.body.token}` });
    // 25 sign-up points; the referral pays on the first order, as for any member.
    expect(me.body.balance).toBe(25);
    const [joined] = await memberByEmail(email);
    expect(joined).toMatchObject({ memberId: me.body.memberId, email, referredBy: referral, channel: 'club-page' });

    // Its first order pays both sides of the referral: 10 to the referrer (25 sign-up + 10), 5 to the new member.
    const order = await club.api('POST', '/v1/earn', {
      memberId: joined.memberId,
      orderId: uniqueId('o'),
      amount: '10.00',
      currency: 'USD',
    });
    expect(order.status).toBe(200);
    expect((await club.api('GET', `/v1/members/${referrer}`)).body.balance).toBe(35);
    expect((await club.api('GET', `/v1/members/${joined.memberId}`)).body.balance).toBe(25 + 10 + 5);

    // The code enrols once.
    expect((await call('/v1/portal/verify', { email, code })).status).toBe(401);
    expect(await memberByEmail(email)).toHaveLength(1);
  });

  it('keeps the pilot gate: a new member outside the pilot group gets no sign-up bonus', async () => {
    await program.putProgram({
      enrolment: { selfService: true },
      bonuses: { signUp: 25 },
      pilot: { enabled: true, tags: ['pilot'], memberIds: [], percent: 0 },
    });
    const call = client();
    const phone = uniquePhone();
    await call('/v1/portal/sign-in', { phone });
    const verified = await call('/v1/portal/verify', { phone, code: await codeSentTo(phone) });
    expect(verified.status).toBe(200);
    const me = await club.api('GET', '/v1/me', undefined, { authorization: `Bearer ${verified.body.token}` });
    expect(me.body.balance).toBe(0);
  });

  it('enrols no one when the program turned it off between the code and its check', async () => {
    await program.putProgram({ enrolment: { selfService: true } });
    const call = client();
    const email = uniqueEmail();
    await call('/v1/portal/sign-in', { email });
    const code = await codeSentTo(email);
    await program.putProgram({ enrolment: { selfService: false } });
    const res = await call('/v1/portal/verify', { email, code });
    expect([res.status, res.body.error.code]).toEqual([401, 'SIGN_IN_CODE_INVALID']);
    expect(await memberByEmail(email)).toEqual([]);
  });
});

describe('abuse protection: country prefix, the daily SMS cap, the program phone region', () => {
  const program = programApi(() => club);
  const setEnv = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  afterAll(async () => {
    setEnv('LOYALTY_SIGN_IN_PER_COUNTRY', undefined);
    setEnv('LOYALTY_SIGN_IN_DAILY_SMS_CAP', undefined);
    await program.putProgram({});
  });
  const dayCounter = async () => {
    const day = `${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`;
    const item = await club.client.send(
      new GetCommand({ TableName: club.tableName, Key: rateWindowKey('sign-in-sms-day', 'all', day), ConsistentRead: true }),
    );
    return Number(item.Item?.hits ?? 0);
  };

  it('answers 429 with Retry-After when one country calling code floods, whatever the phones and clients', async () => {
    // 3 SMS sign-ins to +98 per window; earlier tests of this file may have used some of them.
    setEnv('LOYALTY_SIGN_IN_PER_COUNTRY', '3');
    try {
      const answers: number[] = [];
      for (let i = 0; i < 8 && !answers.includes(429); i++)
        answers.push((await client()('/v1/portal/sign-in', { phone: uniquePhone() })).status);
      expect(answers).toContain(429);
      const flood = await client()('/v1/portal/sign-in', { phone: uniquePhone() });
      expect([flood.status, flood.body.error.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
      const retry = Number(flood.headers['retry-after']);
      expect(retry).toBeGreaterThanOrEqual(1);
      expect(retry).toBeLessThanOrEqual(15 * 60);
      // Another country code, and email, are not held back by +98's flood.
      expect((await client()('/v1/portal/sign-in', { phone: '+49 151 23456789' })).status).toBe(202);
      expect((await client()('/v1/portal/sign-in', { email: uniqueEmail() })).status).toBe(202);
    } finally {
      setEnv('LOYALTY_SIGN_IN_PER_COUNTRY', undefined);
    }
  });

  it('stops sending SMS codes at the daily cap, and still answers 202 {}', async () => {
    const phones = [uniquePhone(), uniquePhone(), uniquePhone()];
    for (const phone of phones) await member({ phone });
    // Room for exactly two more codes today.
    setEnv('LOYALTY_SIGN_IN_DAILY_SMS_CAP', String((await dayCounter()) + 2));
    try {
      for (const phone of phones) {
        const res = await client()('/v1/portal/sign-in', { phone });
        expect([res.status, res.text]).toEqual([202, '{}']);
      }
      expect((await outbox(phones[0]!)).length).toBe(1);
      expect((await outbox(phones[1]!)).length).toBe(1);
      expect(await outbox(phones[2]!)).toEqual([]);
      // Email is not SMS: its codes still go out.
      const email = uniqueEmail();
      await member({ email });
      expect((await client()('/v1/portal/sign-in', { email })).status).toBe(202);
      expect(await outbox(email)).toHaveLength(1);
    } finally {
      setEnv('LOYALTY_SIGN_IN_DAILY_SMS_CAP', undefined);
    }
  });

  it("refuses a phone outside the program's phone region with 400, writes nothing and sends nothing", async () => {
    await program.putProgram({ phoneRegion: 'IR' });
    const german = '+4915123456780';
    const res = await client()('/v1/portal/sign-in', { phone: german });
    expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(JSON.stringify(res.body.error.details)).toContain('IR');
    const stored = await club.client.send(new GetCommand({ TableName: club.tableName, Key: signInCodeKey('phone', german) }));
    expect(stored.Item).toBeUndefined();
    expect(await outbox(german)).toEqual([]);
    // The region's own numbers, in any form, still sign in.
    expect((await client()('/v1/portal/sign-in', { phone: uniquePhone().replace('+98', '0') })).status).toBe(202);
  });
});
